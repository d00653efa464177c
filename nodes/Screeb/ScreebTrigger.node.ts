import { answersAsColumnsProperty } from '../shared/columns';
import type {
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { eventsSubtitle } from '../shared/event-options';
import { receiveDelivery } from '../shared/pipeline';
import {
	listeningTexts,
	optionsProperty,
	OUTPUT_NAMES,
	TRIGGER_OUTPUTS,
	simplifyProperty,
} from '../shared/properties';
import { dashboardLifecycle } from '../shared/registration';
import { localSecretTest } from '../shared/secret-check';
import { SCREEB_TEST_STEPS } from './test-steps';
import { SCREEB_EVENTS } from './events';
import { screebReceiver } from './receiver';

export class ScreebTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Screeb Trigger',
		name: 'screebTrigger',
		icon: { light: 'file:screeb.svg', dark: 'file:screeb.dark.svg' },
		group: ['trigger'],
		// 2: a refused secret is reported as `authentication`, and Answers as Columns has the same
		// columns across providers (CHANGELOG); version 1 nodes keep their items.
		version: [1, 2],
		defaultVersion: 2,
		subtitle: eventsSubtitle(SCREEB_EVENTS),
		description:
			'Starts the workflow when a Screeb survey is displayed, answered or ended. Verifies every delivery’s HMAC signature.',
		defaults: { name: 'Screeb Trigger' },
		inputs: [],
		outputs: TRIGGER_OUTPUTS,
		outputNames: OUTPUT_NAMES,
		...listeningTexts('Screeb', SCREEB_TEST_STEPS),
		credentials: [{ name: 'screebWebhookApi', required: true, testedBy: 'screebSecret' }],
		webhooks: [
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' },
		],
		properties: [
			{
				displayName: `Screeb has no API for webhooks: copy this node’s <b>Production URL</b> (under Webhook URLs above) and paste it in Screeb under <b>Settings › Integrations › Webhook</b> (all surveys of the workspace), and copy the webhook secret Screeb shows into the credential. To test: ${SCREEB_TEST_STEPS}`,
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Event Names or IDs',
				name: 'events',
				type: 'multiOptions',
				options: SCREEB_EVENTS,
				required: true,
				default: ['response.ended'],
				description:
					'The Screeb events that start this workflow; others are acknowledged and ignored',
			},
			simplifyProperty,
			answersAsColumnsProperty,
			optionsProperty(),
		],
	};

	methods = {
		credentialTest: { screebSecret: localSecretTest(screebReceiver.secret, 'webhook secret') },
	};

	// Screeb webhooks are configured in Screeb's dashboard: nothing to register or remove remotely.
	webhookMethods = { default: dashboardLifecycle };

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return receiveDelivery(this, screebReceiver);
	}
}
