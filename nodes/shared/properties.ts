import type { INodeProperties, INodeTypeDescription } from 'n8n-workflow';

import { PROBLEM_WINDOW_MINUTES } from './problems';
import { TOLERANCE_SECONDS } from './verify';

export const simplifyProperty: INodeProperties = {
	displayName: 'Simplify',
	name: 'simple',
	type: 'boolean',
	default: true,
	// n8n's strict lint fixes the description's words; the hint says what they mean for events.
	description: 'Whether to return a simplified version of the response instead of the raw data',
	hint: 'On: each event as one flat item: provider, eventId, dedupeKey (for Remove Duplicates), eventType, receivedAt, replayKey (Prolific), then the event’s fields. Off: the event’s body exactly as the provider sent it.',
};

export const timestampToleranceOption: INodeProperties = {
	displayName: 'Timestamp Tolerance (Seconds)',
	name: 'timestampTolerance',
	type: 'number',
	typeOptions: { minValue: TOLERANCE_SECONDS.min, maxValue: TOLERANCE_SECONDS.max },
	// A literal, as n8n's lint wants; the same as TOLERANCE_SECONDS.default.
	default: 300,
	description:
		'How far the signed timestamp may differ from this server’s clock before a delivery is refused as a possible replay',
};

/** The Options collection every trigger has, plus provider-specific extras. */
export function optionsProperty(extra: INodeProperties[] = []): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Include Headers',
				name: 'includeHeaders',
				type: 'boolean',
				default: false,
				description:
					'Whether to add the request headers to the item (signature and credential headers are always left out)',
			},
			{
				displayName: 'Problem Report Window (Minutes)',
				name: 'problemWindow',
				type: 'number',
				typeOptions: { minValue: PROBLEM_WINDOW_MINUTES.min, maxValue: PROBLEM_WINDOW_MINUTES.max },
				// A literal, as n8n's lint wants; the same as PROBLEM_WINDOW_MINUTES.default.
				default: 10,
				description:
					'At most one Problems item per kind in this many minutes (per n8n webhook process); the next report carries the count of what happened in between. Reports run on their own, never beside an event: a report that is due waits for the next delivery that runs nothing on Event (a refusal, an ignored event, a resend).',
			},
			{
				displayName: 'Report Problems',
				name: 'reportProblems',
				type: 'boolean',
				default: true,
				description:
					'Whether to send refused deliveries (wrong secret, old timestamp, malformed body) to the Problems output, in runs of their own: one item per kind of problem, with a count, at most once per Problem Report Window',
			},
			{
				displayName: 'Report Unselected Events',
				name: 'reportUnselected',
				type: 'boolean',
				default: false,
				description:
					'Whether events not selected in Events are reported on the Problems output too (off: they are normal traffic, e.g. Screeb posts every event to one URL)',
			},
			{
				displayName: 'Run Every Retry',
				name: 'runEveryRetry',
				type: 'boolean',
				default: false,
				description:
					'Whether every delivery runs the workflow, including the provider’s resends of an event that already ran. Off: a resend (same event ID and payload within the provider’s retry period) is answered 200 and starts no run.',
			},
			...extra,
		],
	};
}

/** A trigger's two outputs: the events the user selected, and the problems they should know of (problems.ts). */
export const OUTPUT_NAMES = ['Event', 'Problems'];

/**
 * The same two outputs as n8n reads them. An expression, because n8n's editor offers Pin and Edit
 * in the output panel only to a node whose `outputs` is not a list of several; it resolves the
 * expression and pins the one main output that is not of the `error` category: Event.
 */
export const TRIGGER_OUTPUTS = `={{${JSON.stringify([
	{ type: 'main', displayName: OUTPUT_NAMES[0] },
	{ type: 'main', displayName: OUTPUT_NAMES[1], category: 'error' },
])}}}` as const;

/** The button that starts listening, named as n8n shows it on both lines for this package's triggers. */
const EXECUTE =
	'n8n’s button is <b>Execute step</b> (in the empty output panel: <b>Test this trigger</b>).';

/**
 * What n8n's trigger panel says before and while listening for a test event. `howToTest` says to
 * click Execute step and what to do in the provider to send an event, in plain text (Screeb and
 * Refiner: their test steps, word for word as README and docs give them). The texts are static per node type: they name n8n's
 * WEBHOOK_URL, which decides whether the provider can reach the URL at all, and the Options a user
 * may have changed by name rather than by value.
 */
export function listeningTexts(
	provider: string,
	howToTest: string,
): Pick<INodeTypeDescription, 'eventTriggerDescription' | 'triggerPanel'> {
	return {
		eventTriggerDescription: `Waiting for an event from ${provider}`,
		triggerPanel: {
			header: `Pull in events from ${provider}`,
			executionsHelp: {
				inactive: `${howToTest} ${EXECUTE} Events you did not select, and ${provider}’s resends, keep n8n listening. A refused delivery (wrong secret, old timestamp, malformed body) ends the test with one item on the <b>Problems</b> output saying why, and no node on <b>Event</b> runs on it; n8n still shows the step green with “Node executed successfully”, so look at Problems before you take it for a success. ${provider} reaches n8n only at its public address, n8n’s <code>WEBHOOK_URL</code>. A test event that arrived can be pinned (<b>Pin</b> in the output panel) to build the rest of the workflow on it without sending another.`,
				active: `This workflow is published: every selected ${provider} event runs it, and its runs are listed under Executions. Refused deliveries start runs of their own on the <b>Problems</b> output, never beside an event, at most one per kind in each <i>Options › Problem Report Window</i> (10 minutes unless changed). To be alerted, connect Problems to a <b>Stop and Error</b> node: n8n then runs the workflow’s Error Workflow.`,
			},
			activationHint: {
				inactive: `Once the test works, publish the workflow (activate it on n8n 1.x): every selected ${provider} event then runs it.`,
				active: `This workflow is published: every selected ${provider} event runs it.`,
			},
		},
	};
}
