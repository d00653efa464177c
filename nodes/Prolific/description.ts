/**
 * The Prolific node's parameters: Submission, Bonus, Study and Message, each operation with the
 * fields Prolific's API reference asks for (docs.prolific.com › API Reference).
 */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

const show = (resource: string, operation: string[]) => ({
	show: { resource: [resource], operation },
});

/** Prolific ids are 24 hexadecimal characters (e.g. 60ffe5c8371090c7041d43f8). */
const PROLIFIC_ID = '[a-f0-9]{24}';

export const studyLocator = (operations: Record<string, string[]>): INodeProperties[] =>
	Object.entries(operations).map(([resource, operation]) => ({
		displayName: 'Study',
		name: 'studyId',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		displayOptions: show(resource, operation),
		description: 'The study, as Prolific shows it in its list, its ID, or the address of its page',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchStudies', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: '60f6acb180a7b59ac0621f9e',
				validation: [
					{
						type: 'regex',
						properties: { regex: `^${PROLIFIC_ID}$`, errorMessage: 'Not a Prolific study ID' },
					},
				],
			},
			{
				displayName: 'By URL',
				name: 'url',
				type: 'string',
				placeholder:
					'https://app.prolific.com/researcher/workspaces/studies/60f6acb180a7b59ac0621f9e',
				extractValue: { type: 'regex', regex: `/studies/(${PROLIFIC_ID})` },
				validation: [
					{
						type: 'regex',
						properties: {
							regex: `^https://app\\.prolific\\.com/.*/studies/${PROLIFIC_ID}`,
							errorMessage: 'Not the address of a Prolific study page',
						},
					},
				],
			},
		],
	}));

const submissionLocator: INodeProperties = {
	displayName: 'Submission',
	name: 'submissionId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	displayOptions: show('submission', ['get', 'approve', 'reject', 'requestReturn']),
	description:
		'The submission: from the list of those awaiting review, or its ID (the Prolific Trigger’s submissionId, Prolific’s %SESSION_ID%)',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchSubmissions', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: '60d9aadeb86739de712faee0',
			validation: [
				{
					type: 'regex',
					properties: { regex: `^${PROLIFIC_ID}$`, errorMessage: 'Not a Prolific submission ID' },
				},
			],
		},
	],
};

/** Prolific's rejection categories (the API's enum), in the words Prolific's app uses. */
export const REJECTION_CATEGORIES: INodePropertyOptions[] = [
	{ name: 'Bad Completion Code', value: 'BAD_CODE' },
	{ name: 'Failed Attention Check', value: 'FAILED_CHECK' },
	{ name: 'Failed Instructions', value: 'FAILED_INSTRUCTIONS' },
	{ name: 'Incomplete Longitudinal Study', value: 'INCOMP_LONGITUDINAL' },
	{ name: 'Low Effort', value: 'LOW_EFFORT' },
	{ name: 'Malingering', value: 'MALINGERING' },
	{ name: 'No Completion Code', value: 'NO_CODE' },
	{ name: 'No Data', value: 'NO_DATA' },
	{ name: 'Other', value: 'OTHER' },
	{ name: 'Too Quickly', value: 'TOO_QUICKLY' },
	{ name: 'Too Slowly', value: 'TOO_SLOWLY' },
	{ name: 'Unsupported Device', value: 'UNSUPP_DEVICE' },
];

/** Prolific's rule for a rejection message. */
export const MIN_REJECTION_MESSAGE = 100;

/** Submission statuses the list filters on (Prolific's names, underscores for spaces). */
/** Spelled as Prolific's items and events spell them (spaces, TIMED-OUT), so an item's status can be mapped in. */
const SUBMISSION_STATUSES: INodePropertyOptions[] = [
	{ name: 'Any Status', value: '' },
	{ name: 'Active', value: 'ACTIVE' },
	{ name: 'Approved', value: 'APPROVED' },
	{ name: 'Awaiting Review', value: 'AWAITING REVIEW' },
	{ name: 'Partially Approved', value: 'PARTIALLY APPROVED' },
	{ name: 'Rejected', value: 'REJECTED' },
	{ name: 'Reserved', value: 'RESERVED' },
	{ name: 'Returned', value: 'RETURNED' },
	{ name: 'Screened Out', value: 'SCREENED OUT' },
	{ name: 'Timed Out', value: 'TIMED-OUT' },
];

const returnAllAndLimit = (resource: string): INodeProperties[] => [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		displayOptions: show(resource, ['getAll']),
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		default: 50,
		typeOptions: { minValue: 1 },
		displayOptions: { show: { resource: [resource], operation: ['getAll'], returnAll: [false] } },
		description: 'Max number of results to return',
	},
];

const simplify = (resource: string): INodeProperties => ({
	displayName: 'Simplify',
	name: 'simple',
	type: 'boolean',
	default: true,
	displayOptions: show(resource, ['get', 'getAll']),
	description: 'Whether to return a simplified version of the response instead of the raw data',
	hint: 'On: the fields a workflow uses, in camelCase, times as ISO 8601. Off: Prolific’s answer as it is.',
});

export const properties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		default: 'submission',
		options: [
			{ name: 'Bonus', value: 'bonus' },
			{ name: 'Message', value: 'message' },
			{ name: 'Study', value: 'study' },
			{ name: 'Submission', value: 'submission' },
		],
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['submission'] } },
		default: 'get',
		options: [
			{
				name: 'Approve',
				value: 'approve',
				action: 'Approve a submission',
				description: 'Approve a submission awaiting review; the participant is paid its reward',
			},
			{ name: 'Get', value: 'get', action: 'Get a submission', description: 'Get one submission' },
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many submissions',
				description: 'Get the submissions of a study',
			},
			{
				name: 'Reject',
				value: 'reject',
				action: 'Reject a submission',
				description: 'Reject a submission awaiting review, with a category and a message',
			},
			{
				name: 'Request Return',
				value: 'requestReturn',
				action: 'Ask the participant to return a submission',
				description: 'Ask the participant to return their submission, with the reasons',
			},
		],
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['bonus'] } },
		default: 'pay',
		options: [
			{
				name: 'Pay',
				value: 'pay',
				action: 'Pay a bonus',
				description: 'Pay a participant a bonus once per Idempotency Key',
			},
		],
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['study'] } },
		default: 'get',
		options: [
			{ name: 'Get', value: 'get', action: 'Get a study', description: 'Get one study' },
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many studies',
				description: 'Get the studies this token can see',
			},
		],
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['message'] } },
		default: 'send',
		options: [
			{
				name: 'Send',
				value: 'send',
				action: 'Send a message to a participant',
				description: 'Send a participant a message about a study',
			},
		],
	},

	submissionLocator,
	...studyLocator({ submission: ['getAll'], study: ['get'], bonus: ['pay'], message: ['send'] }),
	{
		displayName: 'Status',
		name: 'status',
		type: 'options',
		default: '',
		options: SUBMISSION_STATUSES,
		displayOptions: show('submission', ['getAll']),
		description:
			'Only submissions with this status. An expression may give it as items spell it (AWAITING REVIEW); case and underscores do not matter.',
	},
	...returnAllAndLimit('submission'),
	...returnAllAndLimit('study'),
	simplify('submission'),
	simplify('study'),

	{
		displayName: 'Rejection Category',
		name: 'rejectionCategory',
		type: 'options',
		default: 'FAILED_INSTRUCTIONS',
		required: true,
		options: REJECTION_CATEGORIES,
		displayOptions: show('submission', ['reject']),
		description: 'Why the submission is rejected, as Prolific categorises it',
	},
	{
		displayName: 'Message to Participant',
		name: 'rejectionMessage',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		displayOptions: show('submission', ['reject']),
		description: `Prolific sends it to the participant. At least ${MIN_REJECTION_MESSAGE} characters: say what was expected and what was missing.`,
	},
	{
		displayName: 'Reasons',
		name: 'returnReasons',
		type: 'multiOptions',
		default: [],
		required: true,
		displayOptions: show('submission', ['requestReturn']),
		options: [
			{ name: 'Didn’t Finish the Study', value: 'Didn’t finish the study' },
			{ name: 'Encountered Technical Problems', value: 'Encountered technical problems' },
			{ name: 'Withdrew Consent', value: 'Withdrew consent' },
		],
		description: 'Prolific writes the message to the participant from these reasons',
	},
	{
		displayName: 'Other Reason',
		name: 'otherReturnReason',
		type: 'string',
		default: '',
		displayOptions: show('submission', ['requestReturn']),
		description: 'A reason in your own words, sent with the ones chosen above',
	},

	{
		displayName: 'Participant ID',
		name: 'participantId',
		type: 'string',
		default: '={{ $json.participantId }}',
		required: true,
		displayOptions: { show: { resource: ['bonus', 'message'] } },
		description:
			'The participant’s Prolific ID (the Prolific Trigger’s participantId, Prolific’s %PROLIFIC_PID%)',
	},
	{
		displayName: 'Amount',
		name: 'amount',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 1.50',
		displayOptions: show('bonus', ['pay']),
		description:
			'In the study’s currency, as a decimal with at most two decimals: 1.50 pays £1.50 in a GBP study (not pence). Prolific adds its fees. Anything else is refused before any call.',
	},
	{
		displayName: 'Maximum Amount',
		name: 'maximumAmount',
		type: 'string',
		default: '',
		placeholder: 'e.g. 5.00',
		displayOptions: show('bonus', ['pay']),
		description:
			'A bonus above this is refused before any call, so a wrong expression cannot pay too much. Empty: no maximum.',
	},
	{
		displayName: 'Idempotency Key',
		name: 'idempotencyKey',
		type: 'string',
		default: '',
		placeholder: '{{ $json.dedupeKey }}|<study ID>|<participant ID>',
		displayOptions: show('bonus', ['pay']),
		description:
			'The same key never pays twice from this node. Empty: the trigger item’s dedupeKey with the study and participant (and its replayKey likewise), so one bonus per event and participant; give each bonus its own key to pay two for one event. Needed where the item has no dedupeKey (manual runs, AI agents).',
	},
	{
		displayName: 'Allow AI Agents to Move Money',
		name: 'allowAgentMoney',
		type: 'boolean',
		default: false,
		displayOptions: {
			show: {
				'@tool': [true],
				resource: ['submission', 'bonus'],
				operation: ['approve', 'reject', 'requestReturn', 'pay'],
			},
		},
		description:
			'Whether an AI agent may approve, reject or ask to return a submission, or pay a bonus: each decides what a participant is paid. Off: the agent’s call is refused and nothing is sent.',
	},
	{
		displayName: 'Message',
		name: 'messageBody',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		displayOptions: show('message', ['send']),
		description: 'The text the participant reads in Prolific',
	},
];
