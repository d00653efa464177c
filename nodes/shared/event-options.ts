import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { printable } from './log';

/** An event type as a provider's API lists it. */
export interface ListedEvent {
	value: string;
	description?: string | null;
}

/**
 * The event types accepted from a provider's list: a letter or digit, then letters, digits, `.`,
 * `_`, `:` and `-`, at most 100 characters in all (every documented type fits: `study.status.change`,
 * `com.cint.session.updated`, `quota-fill-registered`). Anything else — a line break, an escape
 * sequence, markup — is left out of the Events options, and so never reaches a subscription, a
 * log line or the editor.
 */
export const SAFE_EVENT_TYPE = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;

/** "participant.submission.created" → "Participant Submission Created". */
export const eventTitle = (value: string): string =>
	value
		.split(/[._\-\s]+/)
		.filter(Boolean)
		.map((word) => `${word.charAt(0).toUpperCase()}${word.slice(1)}`)
		.join(' ');

/**
 * The Events options of a trigger whose provider lists its event types: the built-in ones first
 * (their names and descriptions), then every type the provider lists that the package does not
 * know yet — so a type added later can be selected without a new release. When the list cannot be
 * read, the built-in options are shown and n8n's log says why.
 */
export async function loadEventOptions(
	ctx: ILoadOptionsFunctions,
	displayName: string,
	builtIn: INodePropertyOptions[],
	list: () => Promise<ListedEvent[]>,
): Promise<INodePropertyOptions[]> {
	let listed: ListedEvent[];
	try {
		listed = await list();
	} catch (error) {
		ctx.logger.warn(
			`${displayName} Trigger could not load the event types from ${displayName}, so Events shows the built-in list: ${printable((error as Error).message, 300)}`,
		);
		return builtIn;
	}
	const known = new Set(builtIn.map((option) => String(option.value)));
	const added = new Map<string, INodePropertyOptions>();
	let unsafe = 0;
	for (const { value, description } of listed) {
		if (typeof value !== 'string' || !SAFE_EVENT_TYPE.test(value)) {
			unsafe++;
			continue;
		}
		if (known.has(value) || added.has(value)) continue;
		added.set(value, {
			name: eventTitle(value),
			value,
			description:
				typeof description === 'string' && description
					? printable(description, 300)
					: `${displayName} lists this event type; the package has no documented payload for it yet`,
		});
	}
	if (unsafe)
		ctx.logger.warn(
			`${displayName} Trigger left ${unsafe} event type(s) listed by ${displayName} out of Events: their names are not letters, digits, '.', '_', ':' and '-' (at most 100 characters)`,
		);
	return [...builtIn, ...added.values()];
}

/**
 * The node subtitle: the selected events by the names Events shows ("Survey Displayed"), an event
 * the package does not know by its value. An n8n expression, built from the options it names.
 */
export function eventsSubtitle(options: ReadonlyArray<{ name: string; value: unknown }>): string {
	const names = JSON.stringify(
		Object.fromEntries(options.map((option) => [String(option.value), option.name])),
	);
	return `={{ (() => { const names = ${names}; return [].concat($parameter["events"] || []).map((event) => (typeof names[event] === "string" ? names[event] : event)).join(", "); })() }}`;
}
