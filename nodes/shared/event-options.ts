import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { printable } from './log';

/** An event type as a provider's API lists it. */
export interface ListedEvent {
	value: string;
	description?: string | null;
}

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
	for (const { value, description } of listed) {
		if (!value || known.has(value) || added.has(value)) continue;
		added.set(value, {
			name: eventTitle(value),
			value,
			description:
				description ||
				`${displayName} lists this event type; the package has no documented payload for it yet`,
		});
	}
	return [...builtIn, ...added.values()];
}
