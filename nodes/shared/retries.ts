import { createHash, randomUUID } from 'crypto';

import { Sightings } from './sightings';
import type { Delivery, RetryPolicy } from './types';

/**
 * The retry memory: every provider delivers at least once, so a resend of an event that already
 * started a run is answered 200 and starts none (README, "One run per event").
 *
 * An event is known by its provider id together with a digest of the payload a resend repeats, so
 * a different event that reuses an id (Prolific's X-Event-ID is an unsigned header) still runs and
 * a replayer cannot suppress genuine events. Keys are 16 bytes whatever the id's length; entries
 * live for the provider's retry horizon, per registration, and the bounds below hold in entries and
 * so in bytes (about 130 bytes an entry: BENCHMARKS.md measures it). Past a bound the oldest go
 * first. Nothing survives a restart, and webhook processes do not share it: items carry
 * `dedupeKey` for n8n's Remove Duplicates node (README).
 */
export const RETRY_LIMITS = { perRegistration: 100_000, total: 250_000 };

const events = new Sightings(RETRY_LIMITS);

/** One provider event as the retry memory and the item know it. */
export interface EventIdentity {
	/** The provider's id, or the body's hash when the delivery carries none. */
	eventId: string;
	/**
	 * Hex SHA-256 of the provider, the id and the payload a resend repeats: equal for the resends of
	 * one event, different for anything else. Without a provider id it is unique per delivery, so
	 * that nothing downstream drops it either.
	 */
	dedupeKey: string;
	/** Whether the provider sent an id (only then is the delivery checked against the memory). */
	fromProvider: boolean;
	/** The memory's key: the dedupe key's first 16 bytes, as 16 one-byte characters. */
	memoryKey: string;
}

/** The hash of a delivery's bytes, stable across resends: the id of an event that carries none. */
export function bodyHashId(delivery: Delivery): string {
	return `sha256:${createHash('sha256').update(delivery.rawBody).digest('hex')}`;
}

/**
 * What identifies the event of a verified delivery (`body` is its parsed JSON object). The payload
 * digested is the bytes the signature covers (`signedBody`, where a provider signs another form
 * than the raw bytes; else the raw body), so every spelling that verifies shares one dedupeKey.
 */
export function identify(
	provider: string,
	policy: RetryPolicy,
	providerId: string | undefined,
	delivery: Delivery,
	body: object,
	signedBody?: Buffer,
): EventIdentity {
	if (providerId === undefined || providerId === '') {
		return {
			eventId: bodyHashId(delivery),
			dedupeKey: `delivery:${randomUUID()}`,
			fromProvider: false,
			memoryKey: '',
		};
	}
	const changing = policy.changesOnResend ?? [];
	const payload = changing.length
		? JSON.stringify(
				Object.fromEntries(Object.entries(body).filter(([key]) => !changing.includes(key))),
			)
		: (signedBody ?? delivery.rawBody);
	const digest = createHash('sha256')
		.update(`${provider}\n${providerId.length}\n`)
		.update(providerId)
		.update(payload)
		.digest();
	return {
		eventId: providerId,
		dedupeKey: digest.toString('hex'),
		fromProvider: true,
		memoryKey: digest.toString('latin1', 0, 16),
	};
}

/**
 * True the first time an event is seen for a registration within the policy's horizon (it is then
 * remembered), false for a resend. A delivery without a provider id is always new.
 */
export function firstDelivery(
	scope: string,
	identity: EventIdentity,
	policy: RetryPolicy,
	nowMs: number,
): boolean {
	if (!identity.fromProvider) return true;
	return events.firstSighting(
		scope,
		identity.memoryKey,
		nowMs + policy.horizonSeconds * 1000,
		nowMs,
	);
}

/** Forgets an event again (its run could not be started), so the provider's next attempt runs. */
export function forgetDelivery(scope: string, identity: EventIdentity): void {
	if (identity.fromProvider) events.forget(scope, identity.memoryKey);
}

/** How many events are remembered now, in all or for one registration (for tests and benchmarks). */
export const rememberedEvents = (scope?: string): number => events.count(scope);

/** Forgets every event (for tests and benchmarks). */
export const forgetAllEvents = (): void => events.clear();
