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
	hint: 'On: each event as one flat item (provider, eventId, eventType, receivedAt, then the event’s fields). Off: the event’s body exactly as the provider sent it.',
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
					'At most one Problems item per kind in this many minutes (per n8n webhook process); the next item carries the count of what happened in between',
			},
			{
				displayName: 'Report Problems',
				name: 'reportProblems',
				type: 'boolean',
				default: true,
				description:
					'Whether to send refused deliveries (wrong secret, old timestamp, malformed body) and the failed deliveries the provider reports to the Problems output: one item per kind of problem, with a count, at most once per Problem Report Window',
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
 * What n8n's trigger panel says before and while listening for a test event: `whileListening` is
 * what to do in the provider to send one now. The texts are static: they name n8n's WEBHOOK_URL,
 * which decides whether the provider can reach the URL at all.
 */
export function listeningTexts(
	provider: string,
	whileListening: string,
	howToTest: string,
): Pick<INodeTypeDescription, 'eventTriggerDescription' | 'triggerPanel'> {
	return {
		eventTriggerDescription: `${whileListening}. ${provider} reaches this n8n only at a public address: n8n’s WEBHOOK_URL.`,
		triggerPanel: {
			header: `Pull in events from ${provider}`,
			executionsHelp: {
				inactive: `${howToTest} Events you did not select and ${provider}’s resends keep n8n listening. A delivery that is refused (wrong secret, old timestamp, malformed body) ends the test with one item on the <b>Problems</b> output saying why; no node on the <b>Event</b> output runs on it. ${provider} can only reach n8n if n8n’s <code>WEBHOOK_URL</code> is set to its public address. When the test works, publish the workflow (activate it on n8n 1.x): every selected event then runs it.`,
				active: `This workflow is published: every selected ${provider} event runs it, and its runs are listed under Executions. Refused deliveries, and deliveries ${provider} reports as failed, go to the <b>Problems</b> output, at most once per kind every 10 minutes (Options › Problem Report Window).`,
			},
			activationHint: `Once the test works, publish the workflow (activate it on n8n 1.x): every selected ${provider} event then runs it.`,
		},
	};
}
