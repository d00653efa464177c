import type {
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { receiveDelivery } from '../shared/pipeline';
import { optionsProperty, simplifyProperty, timestampToleranceOption } from '../shared/properties';
import { webhookLifecycle } from '../shared/registration';
import { CINT_EVENTS } from './events';
import { cintReceiver } from './receiver';
import { cintRegistration } from './registration';

export class CintTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Cint Trigger',
		name: 'cintTrigger',
		icon: { light: 'file:cint.svg', dark: 'file:cint.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["events"].join(", ")}}',
		description:
			'Starts the workflow on Cint Exchange session, target-group and quota-fill events. Registers the webhook with Cint on publish and verifies every delivery’s signature.',
		defaults: { name: 'Cint Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'cintApi', required: true }],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
		properties: [
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				options: CINT_EVENTS,
				required: true,
				default: ['session-updated'],
				description: 'The Cint event streams that start this workflow (one webhook carries them all)',
			},
			simplifyProperty,
			optionsProperty([timestampToleranceOption]),
		],
	};

	webhookMethods = { default: webhookLifecycle(cintRegistration) };

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return receiveDelivery(this, cintReceiver);
	}
}
