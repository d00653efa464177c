import type { IDataObject } from 'n8n-workflow';

import { ProlificApi } from '../../credentials/ProlificApi.credentials';
import { ProlificTrigger } from '../../nodes/Prolific/ProlificTrigger.node';
import { ProlificEmulator } from '../../scripts/lib/emulators/prolific';
import { lifecycle } from '../helpers/lifecycle';
import { createHarness, type Harness } from '../helpers/n8n-context';

export const WORKSPACE = '6655aa00bb11cc22dd33ee44';
export const node = new ProlificTrigger();

export function prolificHarness(
	emulator: ProlificEmulator | undefined,
	parameters: IDataObject = {},
	overrides: { webhookUrl?: string; token?: string; staticData?: IDataObject } = {},
): Harness {
	return createHarness({
		nodeType: 'n8n-nodes-survey-triggers.prolificTrigger',
		parameters: {
			workspaceId: WORKSPACE,
			events: ['submission.status.change'],
			simple: true,
			options: {},
			...parameters,
		},
		credentialTypes: [new ProlificApi()],
		credentials: {
			prolificApi: {
				apiToken: overrides.token ?? emulator?.token ?? 'unused-token',
				baseUrl: emulator?.url ?? 'http://127.0.0.1:9',
			},
		},
		webhookUrl: overrides.webhookUrl,
		staticData: overrides.staticData,
	});
}

export const prolificLifecycle = (harness: Harness) => lifecycle(node, harness);

/** What a published trigger keeps in static data, with its signing secret in the clear (as 0.1.0 stored it). */
export const registeredState = (secret: string, webhookUrl: string): IDataObject => ({
	secret,
	workspaceId: WORKSPACE,
	webhookUrl,
	subscriptionIds: {},
});
