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
import { prolificReceiver } from './receiver';
import { listEventTypes, listWorkspaces, prolificRegistration } from './registration';

export class ProlificTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Prolific Trigger',
		name: 'prolificTrigger',
		icon: { light: 'file:prolific.svg', dark: 'file:prolific.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["events"].join(", ")}}',
		description:
			'Starts the workflow when a Prolific study or submission changes. Subscribes to Prolific webhooks on publish and verifies every delivery’s signature.',
		defaults: { name: 'Prolific Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'prolificApi', required: true }],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: 'webhook',
			},
		],
		properties: [
			{
				displayName: 'Workspace Name or ID',
				name: 'workspaceId',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'listWorkspaces' },
				required: true,
				default: '',
				description:
					'The Prolific workspace whose events start this workflow. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'Event Names or IDs',
				name: 'events',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'listEventTypes' },
				required: true,
				default: ['submission.status.change'],
				description:
					'The Prolific events that start this workflow (one subscription each), as Prolific lists them. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			simplifyProperty,
			optionsProperty([timestampToleranceOption]),
		],
	};

	methods = { loadOptions: { listWorkspaces, listEventTypes } };

	webhookMethods = { default: webhookLifecycle(prolificRegistration) };

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return receiveDelivery(this, prolificReceiver);
	}
}
