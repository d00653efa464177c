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
import { PROLIFIC_EVENTS } from './events';
import { prolificReceiver } from './receiver';
import { listEventTypes, searchWorkspaces, prolificRegistration } from './registration';

export class ProlificTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Prolific Trigger',
		name: 'prolificTrigger',
		icon: { light: 'file:prolific.svg', dark: 'file:prolific.dark.svg' },
		group: ['trigger'],
		// 2: a refused secret is reported as `authentication`, and Answers as Columns has the same
		// columns across providers (CHANGELOG); version 1 nodes keep their items.
		version: [1, 2],
		defaultVersion: 2,
		subtitle: eventsSubtitle(PROLIFIC_EVENTS),
		description:
			'Starts the workflow when a Prolific study or submission changes. Subscribes to Prolific webhooks on publish and verifies every delivery’s signature.',
		defaults: { name: 'Prolific Trigger' },
		inputs: [],
		outputs: TRIGGER_OUTPUTS,
		outputNames: OUTPUT_NAMES,
		...listeningTexts(
			'Prolific',
			'Click Execute step and make the selected event happen in Prolific, e.g. a test participant submits or a study changes status: while n8n listens, the trigger subscribes n8n’s test URL with your workspace’s secret (Prolific needs an https URL).',
		),
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
				displayName: 'Workspace',
				name: 'workspaceId',
				type: 'resourceLocator',
				default: { mode: 'list', value: '' },
				required: true,
				description: 'The Prolific workspace whose events start this workflow',
				modes: [
					{
						displayName: 'From List',
						name: 'list',
						type: 'list',
						typeOptions: { searchListMethod: 'searchWorkspaces', searchable: true },
					},
					{
						displayName: 'By ID',
						name: 'id',
						type: 'string',
						placeholder: '6655aa00bb11cc22dd33ee44',
						validation: [
							{
								type: 'regex',
								properties: {
									regex: '^[a-f0-9]{24}$',
									errorMessage: 'Not a Prolific workspace ID',
								},
							},
						],
					},
				],
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
			optionsProperty([
				{
					displayName: 'Add Submission Details',
					name: 'addSubmissionDetails',
					type: 'boolean',
					default: false,
					description:
						'Whether to read the submission of each submission event from Prolific and add its study, completion code, start and completion times and bonuses to the item (Simplify on). One API call per delivery, made before Prolific gets its answer: a single attempt of at most 3 seconds; if it fails, the event is delivered without them, with a warning.',
				},
				timestampToleranceOption,
			]),
		],
	};

	methods = { loadOptions: { listEventTypes }, listSearch: { searchWorkspaces } };

	webhookMethods = { default: webhookLifecycle(prolificRegistration) };

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return receiveDelivery(this, prolificReceiver);
	}
}
