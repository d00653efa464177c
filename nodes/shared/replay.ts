import { createHash } from 'crypto';

import { Sightings } from './sightings';
import type { SignedAt } from './types';

/**
 * Remembers the signatures this process accepted while their timestamps are inside the tolerance
 * window, so a captured delivery replayed within the window starts no second execution
 * (sightings.ts: per registration, bounded, soonest-expiring first).
 *
 * The memory is per process: with several n8n webhook processes (queue mode), a replay that reaches
 * another process than the original is not recognised there (README, Security).
 */
export const REPLAY_LIMITS = { perRegistration: 10_000, total: 50_000 };

const signatures = new Sightings(REPLAY_LIMITS);

/** True the first time a signature is seen for a registration; false for a repeat that has not expired. */
export const firstSighting = (
	scope: string,
	digest: string,
	expiresAtMs: number,
	nowMs: number,
): boolean => signatures.firstSighting(scope, digest, expiresAtMs, nowMs);

/** Forgets a signature again, so a delivery that failed after verification can be retried by the provider. */
export const forgetSighting = (scope: string, digest: string): void =>
	signatures.forget(scope, digest);

/** How many signatures are remembered now, in all or for one registration (for tests and benchmarks). */
export const rememberedCount = (scope?: string): number => signatures.count(scope);

/**
 * The item's `replayKey`: hex SHA-256 of the provider and the signature that matched (which covers
 * the signed timestamp and the signed bytes, not the unsigned headers). A captured delivery
 * replayed inside the window — with another X-Event-ID, in any spelling that verifies, on another
 * webhook process — carries the original's; a provider's retry, signed again at another time,
 * does not (README, "One run per event").
 */
export const replayKeyOf = (provider: string, signed: SignedAt): string =>
	createHash('sha256').update(`${provider}\n`).update(signed.digest, 'latin1').digest('hex');

/** Forgets every signature (for benchmarks that measure the replay memory on its own). */
export const forgetAllSightings = (): void => signatures.clear();
