import { answersAsColumnsProperty } from '../shared/columns';
import type {
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { receiveDelivery } from '../shared/pipeline';
import {
	listeningTexts,
	optionsProperty,
	OUTPUT_NAMES,
	TRIGGER_OUTPUTS,
	simplifyProperty,
} from '../shared/properties';
import { webhookLifecycle } from '../shared/registration';
import { POLTIO_EVENTS } from './events';
import { poltioReceiver } from './receiver';
import { listContents, poltioRegistration } from './registration';

export class PoltioTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Poltio Trigger',
		name: 'poltioTrigger',
		icon: { light: 'file:poltio.svg', dark: 'file:poltio.dark.svg' },
		group: ['trigger'],
		// 2: a refused secret is reported as `authentication`, and Answers as Columns has the same
		// columns across providers (CHANGELOG); version 1 nodes keep their items.
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '={{$parameter["scope"] === "account" ? "Account-wide" : "One content"}}',
		description:
			'Starts the workflow when a visitor finishes (or abandons) a Poltio quiz, poll, test or survey. Registers the webhook with Poltio on publish.',
		defaults: { name: 'Poltio Trigger' },
		inputs: [],
		outputs: TRIGGER_OUTPUTS,
		outputNames: OUTPUT_NAMES,
		...listeningTexts(
			'Poltio',
			'Click Execute step and take the chosen quiz, poll, test or survey yourself: while n8n listens, the trigger registers n8n’s test URL with Poltio (sessions arrive after Poltio’s Delay).',
		),
		credentials: [{ name: 'poltioApi', required: true }],
		webhooks: [
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' },
			// Used only where Poltio keeps a hook URL without its query string: the token becomes the
			// last path segment. The webhook id in the path keeps it unique across workflows, and
			// isFullPath makes n8n store the template the way it looks dynamic paths up.
			{
				name: 'setup',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: '={{$webhookId}}/:token',
				isFullPath: true,
				ndvHideUrl: true,
			},
		],
		properties: [
			{
				displayName: 'Scope',
				name: 'scope',
				type: 'options',
				options: [
					{
						name: 'One Content',
						value: 'content',
						description: 'Sessions of one quiz, poll, test or survey',
					},
					{
						name: 'Account-Wide',
						value: 'account',
						description: 'Sessions of every content (Poltio allows two such webhooks)',
					},
				],
				default: 'content',
			},
			{
				displayName: 'Content Name or ID',
				name: 'contentId',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'listContents' },
				required: true,
				default: '',
				displayOptions: { show: { scope: ['content'] } },
				description:
					'The Poltio content whose sessions start this workflow. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'Event Names or IDs',
				name: 'events',
				type: 'multiOptions',
				options: POLTIO_EVENTS,
				required: true,
				default: ['session.completed'],
				description:
					'With both, an abandoned session arrives as incomplete first and, if finished later, again as completed',
			},
			{
				displayName: 'Delivery Settings',
				name: 'deliverySettings',
				type: 'collection',
				placeholder: 'Add Setting',
				default: {},
				options: [
					{
						displayName: 'Delay (Seconds)',
						name: 'delay',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: 10,
						description:
							'Wait this long after a session finishes before Poltio sends it (gives visitors time to leave lead data)',
					},
					{
						displayName: 'Incomplete Delay (Seconds)',
						name: 'incompleteDelay',
						type: 'number',
						typeOptions: { minValue: 60 },
						default: 60,
						description:
							'Seconds after a session starts when an unfinished session is sent as incomplete; at least 60 and at least the Delay',
					},
					{
						displayName: 'Send Answers',
						name: 'sendAnswers',
						type: 'boolean',
						default: true,
						description: 'Whether to include every answer of the session',
					},
					{
						displayName: 'Send Incomplete',
						name: 'sendIncomplete',
						type: 'boolean',
						default: false,
						description:
							'Whether Poltio sends sessions whose result was not seen (always on when Session Incomplete is selected)',
					},
					{
						displayName: 'Send Leads',
						name: 'sendLeads',
						type: 'boolean',
						default: true,
						description: 'Whether to include the lead form entries (email, phone, name, …)',
					},
				],
			},
			simplifyProperty,
			answersAsColumnsProperty,
			optionsProperty(),
		],
	};

	methods = { loadOptions: { listContents } };

	webhookMethods = { default: webhookLifecycle(poltioRegistration) };

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return receiveDelivery(this, poltioReceiver);
	}
}
