import type { Delivery, Verification, WebhookReceiver } from '../shared/types';
import { accept, refuse } from '../shared/verify';
import {
	POLTIO_EVENTS,
	poltioEventId,
	poltioEventName,
	poltioEventSchema,
	shapePoltioEvent,
	poltioColumns,
	type PoltioEvent,
} from './events';
import { tokenMatches } from './token';

/**
 * Poltio signs nothing: the trigger registers its URL with a random token and checks it here, in
 * time independent of the body. Poltio sends no signed time either, so a captured delivery can be
 * replayed (README, Security).
 */
export function verifyPoltio(delivery: Delivery, stored: string): Verification {
	// The token arrives in the query string, or as the path segment of the node's `setup` webhook.
	const inPath = delivery.params.token;
	const received = typeof inPath === 'string' && inPath !== '' ? inPath : delivery.query.token;
	if (typeof received !== 'string' || received === '') return refuse('missing', 'missing token');
	return tokenMatches(stored, received)
		? accept({ secrets: [received] })
		: refuse('mismatch', 'token does not match');
}

export const poltioReceiver: WebhookReceiver<PoltioEvent> = {
	provider: 'poltio',
	displayName: 'Poltio',
	secretHeaders: [],
	mismatchHelp:
		'The URL token does not match the one this trigger registered with Poltio: the request was sent to an outdated or guessed URL. If Poltio still posts to an old URL, publish the workflow again (activate it on n8n 1.x).',
	secret: {
		registration: 'token',
		missing: refuse(
			'setup',
			'the trigger has no token yet: publish the workflow again (activate it on n8n 1.x)',
		),
	},
	verify: verifyPoltio,
	schema: poltioEventSchema,
	events: POLTIO_EVENTS,
	eventName: poltioEventName,
	eventId: poltioEventId,
	// Poltio's retries are not documented; a day is kept.
	retries: { horizonSeconds: 24 * 3600 },
	shape: shapePoltioEvent,
	columns: poltioColumns,
};
