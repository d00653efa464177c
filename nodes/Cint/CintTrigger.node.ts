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
	timestampToleranceOption,
} from '../shared/properties';
import { webhookLifecycle } from '../shared/registration';
import { CINT_EVENTS } from './events';
import { cintReceiver } from './receiver';
import { cintRegistration, listEventTypes } from './registration';

export class CintTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Cint Trigger',
		name: 'cintTrigger',
		icon: { light: 'file:cint.svg', dark: 'file:cint.dark.svg' },
		group: ['trigger'],
		// 2: a refused secret is reported as `authentication`, and Answers as Columns has the same
		// columns across providers (CHANGELOG); version 1 nodes keep their items.
		version: [1, 2],
		defaultVersion: 2,
		subtitle: eventsSubtitle(CINT_EVENTS),
		description:
			'Starts the workflow on Cint Exchange session, target-group and quota-fill events. Registers the webhook with Cint on publish and verifies every delivery’s signature.',
		defaults: { name: 'Cint Trigger' },
		inputs: [],
		outputs: TRIGGER_OUTPUTS,
		outputNames: OUTPUT_NAMES,
		...listeningTexts(
			'Cint',
			'Click Execute step and make the selected event happen in Cint, e.g. change a target group or complete a session: while n8n listens, the trigger registers n8n’s test URL with Cint.',
		),
		credentials: [{ name: 'cintApi', required: true }],
		webhooks: [
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' },
		],
		properties: [
			{
				displayName: 'Event Names or IDs',
				name: 'events',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'listEventTypes' },
				required: true,
				default: ['session-updated'],
				description:
					'The Cint event streams that start this workflow (one webhook carries them all), as Cint lists them for the account. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			simplifyProperty,
			optionsProperty([timestampToleranceOption]),
		],
	};

	methods = { loadOptions: { listEventTypes } };

	webhookMethods = { default: webhookLifecycle(cintRegistration) };

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return receiveDelivery(this, cintReceiver);
	}
}
