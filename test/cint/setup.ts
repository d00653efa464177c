import type { IDataObject } from 'n8n-workflow';

import { CintApi } from '../../credentials/CintApi.credentials';
import { CintTrigger } from '../../nodes/Cint/CintTrigger.node';
import { CintEmulator } from '../../scripts/lib/emulators/cint';
import { createHarness, type Harness } from '../helpers/n8n-context';

export const node = new CintTrigger();

export function cintHarness(
	emulator: CintEmulator | undefined,
	parameters: IDataObject = {},
	overrides: { clientSecret?: string; staticData?: IDataObject; webhookUrl?: string } = {},
): Harness {
	return createHarness({
		nodeType: 'n8n-nodes-survey-triggers.cintTrigger',
		parameters: { events: ['session-updated'], simple: true, options: {}, ...parameters },
		credentialTypes: [new CintApi()],
		credentials: {
			cintApi: {
				clientId: emulator?.clientId ?? 'unused',
				clientSecret: overrides.clientSecret ?? emulator?.clientSecret ?? 'unused',
				accountId: emulator?.accountId ?? 1,
				apiVersion: '2025-12-18',
				baseUrl: emulator?.baseUrl ?? 'http://127.0.0.1:9/v1',
				authUrl: emulator?.authUrl ?? 'http://127.0.0.1:9/oauth/token',
				accessToken: '',
			},
		},
		staticData: overrides.staticData,
		webhookUrl: overrides.webhookUrl,
	});
}
