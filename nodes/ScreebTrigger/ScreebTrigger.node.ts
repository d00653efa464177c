import { answersAsColumnsProperty } from '../shared/columns';
import type {
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { eventsSubtitle } from '../shared/event-options';
import { receiveDelivery } from '../shared/pipeline';
import {
	listeningTexts,
	optionsProperty,
	OUTPUT_NAMES,
	simplifyProperty,
} from '../shared/properties';
import { dashboardLifecycle } from '../shared/registration';
import { localSecretTest } from '../shared/secret-check';
import { SCREEB_EVENTS } from './events';
import { screebReceiver } from './receiver';

export class ScreebTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Screeb Trigger',
		name: 'screebTrigger',
		icon: { light: 'file:screeb.svg', dark: 'file:screeb.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: eventsSubtitle(SCREEB_EVENTS),
		description:
			'Starts the workflow when a Screeb survey is displayed, answered or ended. Verifies every delivery’s HMAC signature.',
		defaults: { name: 'Screeb Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: OUTPUT_NAMES,
		...listeningTexts(
			'Screeb',
			'For the test, paste this node’s Test URL in Screeb (Settings › Integrations › Webhook) in place of the Production URL, then display and answer a survey; paste the Production URL back afterwards',
			'Screeb keeps one webhook URL: to test, paste this node’s <b>Test URL</b> in Screeb (Settings › Integrations › Webhook, or a survey’s Share › Webhook) for a moment, click <b>Listen for test event</b>, then display and answer a survey. Paste the <b>Production URL</b> back afterwards.',
		),
		credentials: [{ name: 'screebWebhookApi', required: true, testedBy: 'screebSecret' }],
		webhooks: [
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' },
		],
		properties: [
			{
				displayName:
					'Screeb has no API for webhooks: copy this node’s <b>Production URL</b> (under Webhook URLs above) and paste it in Screeb under <b>Settings › Integrations › Webhook</b> (all surveys of the workspace) or in a survey’s <b>Share › Webhook</b>. Keep the production URL there — the test URL only works while n8n is listening for a test event. Copy the webhook secret Screeb shows into the credential.',
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Events',
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
