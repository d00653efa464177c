import { answersAsColumnsProperty } from '../shared/columns';
import type {
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { eventsSubtitle } from '../shared/event-options';
import { ALL_EVENTS, receiveDelivery } from '../shared/pipeline';
import {
	listeningTexts,
	optionsProperty,
	OUTPUT_NAMES,
	TRIGGER_OUTPUTS,
	simplifyProperty,
} from '../shared/properties';
import { dashboardLifecycle } from '../shared/registration';
import { localSecretTest } from '../shared/secret-check';
import { REFINER_TEST_STEPS } from './test-steps';
import { REFINER_EVENTS } from './events';
import { refinerReceiver } from './receiver';

export class RefinerTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Refiner Trigger',
		name: 'refinerTrigger',
		icon: { light: 'file:refiner.svg', dark: 'file:refiner.dark.svg' },
		group: ['trigger'],
		// 2: a refused secret is reported as `authentication`, and Answers as Columns has the same
		// columns across providers (CHANGELOG); version 1 nodes keep their items.
		version: [1, 2],
		defaultVersion: 2,
		subtitle: eventsSubtitle(REFINER_EVENTS),
		description:
			'Starts the workflow when Refiner sends a survey webhook (e.g. a completed survey). Checks the secret token of every delivery.',
		defaults: { name: 'Refiner Trigger' },
		inputs: [],
		outputs: TRIGGER_OUTPUTS,
		outputNames: OUTPUT_NAMES,
		...listeningTexts('Refiner', REFINER_TEST_STEPS),
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
				displayName: `Refiner has no API for webhooks: in Refiner open <b>Integrations › Webhooks › Create Webhook</b>, paste this node’s <b>Production URL</b> (under Webhook URLs above) as the target URL, choose the trigger event, and enter the same secret token as in the credential. To test: ${REFINER_TEST_STEPS}`,
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
				displayName: 'Event Names or IDs',
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
