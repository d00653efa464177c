import { answersAsColumnsProperty } from '../shared/columns';
import type {
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { eventsSubtitle } from '../shared/event-options';
import { ALL_EVENTS, receiveDelivery } from '../shared/pipeline';
import {
	listeningTexts,
	optionsProperty,
	OUTPUT_NAMES,
	simplifyProperty,
} from '../shared/properties';
import { dashboardLifecycle } from '../shared/registration';
import { localSecretTest } from '../shared/secret-check';
import { REFINER_EVENTS } from './events';
import { refinerReceiver } from './receiver';

export class RefinerTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Refiner Trigger',
		name: 'refinerTrigger',
		icon: { light: 'file:refiner.svg', dark: 'file:refiner.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: eventsSubtitle(REFINER_EVENTS),
		description:
			'Starts the workflow when Refiner sends a survey webhook (e.g. a completed survey). Checks the secret token of every delivery.',
		defaults: { name: 'Refiner Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: OUTPUT_NAMES,
		...listeningTexts(
			'Refiner',
			'For the test, set the target URL of the webhook in Refiner (Integrations › Webhooks) to this node’s Test URL, then complete a survey; set the Production URL back afterwards',
			'Refiner keeps one target URL per webhook: to test, set it to this node’s <b>Test URL</b> for a moment (Integrations › Webhooks), click <b>Listen for test event</b>, then complete a survey. Set the <b>Production URL</b> back afterwards.',
		),
		credentials: [
			{
				name: 'refinerWebhookApi',
				required: true,
				testedBy: 'refinerSecretToken',
				displayOptions: { show: { verification: ['token'] } },
			},
		],
		webhooks: [
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' },
		],
		properties: [
			{
				displayName:
					'Refiner has no API for webhooks: in Refiner open <b>Integrations › Webhooks › Create Webhook</b>, paste this node’s <b>Production URL</b> (under Webhook URLs above) as the target URL, choose the trigger event, and enter the same secret token as in the credential. Keep the production URL there — the test URL only works while n8n is listening for a test event.',
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Verification',
				name: 'verification',
				type: 'options',
				options: [
					{
						name: 'Secret Token (Recommended)',
						value: 'token',
						description: 'Refuse deliveries that do not carry the secret token',
					},
					{ name: 'None', value: 'none', description: 'Accept every delivery to this URL' },
				],
				default: 'token',
			},
			{
				displayName:
					'Without a secret token, anyone who learns this URL can start the workflow with made-up data. Set a secret token in Refiner and in the credential.',
				name: 'noVerificationWarning',
				type: 'notice',
				default: '',
				displayOptions: { show: { verification: ['none'] } },
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				options: REFINER_EVENTS,
				required: true,
				default: [ALL_EVENTS],
				description:
					'Filter on Refiner’s triggered_event; other deliveries are acknowledged and ignored',
			},
			simplifyProperty,
			answersAsColumnsProperty,
			optionsProperty(),
		],
	};

	methods = {
		credentialTest: { refinerSecretToken: localSecretTest(refinerReceiver.secret, 'secret token') },
	};

	// Refiner webhooks are configured in Refiner's dashboard: nothing to register or remove remotely.
	webhookMethods = { default: dashboardLifecycle };

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return receiveDelivery(this, refinerReceiver);
	}
}
