/**
 * Remembers the signatures this process accepted while their timestamps are inside the tolerance
 * window, so a captured delivery replayed within the window starts no second execution.
 *
 * Memory is kept per registration (the webhook URL a trigger registered, see state.ts) and bounded
 * twice: at most PER_REGISTRATION entries for one registration, at most TOTAL for the process. What
 * goes first when a bound is reached is chosen by expiry time — expired entries, then those that
 * expire soonest — and a process-wide shortage is taken from the registration that holds the most.
 * So a workflow whose owner floods its own trigger with valid deliveries (they know its secret)
 * evicts only its own entries, never another workflow's.
 *
 * The memory is per process: with several n8n webhook processes (queue mode), a replay that reaches
 * another process than the original is not recognised there (README, Security).
 */
export const REPLAY_LIMITS = { perRegistration: 10_000, total: 50_000 };

/** Per registration: signature → when it may be accepted again (ms). */
const registrations = new Map<string, Map<string, number>>();
let total = 0;

/** Forgets the expired entries of one registration, then, while it is still at `keep` or more, the tenth that expires soonest. */
function evict(scope: string, entries: Map<string, number>, nowMs: number, keep: number): void {
	for (const [digest, expiresAt] of entries) {
		if (expiresAt <= nowMs) remove(scope, entries, digest);
	}
	if (entries.size < keep) return;
	// Sorting once per tenth keeps a flood of live entries at O(log n) per delivery.
	const cutoff = [...entries.values()].sort((a, b) => a - b)[Math.ceil(entries.size / 10) - 1];
	for (const [digest, expiresAt] of entries) {
		if (expiresAt <= cutoff) remove(scope, entries, digest);
	}
}

function remove(scope: string, entries: Map<string, number>, digest: string): void {
	if (!entries.delete(digest)) return;
	total--;
	if (entries.size === 0) registrations.delete(scope);
}

/**
 * The process is at its bound: expired entries go everywhere, then a tenth of the bound is taken
 * from the registrations that hold the most, the soonest-expiring tenth of each in turn.
 */
function makeRoomInAll(nowMs: number): void {
	for (const [scope, entries] of registrations) {
		for (const [digest, expiresAt] of entries) if (expiresAt <= nowMs) remove(scope, entries, digest);
	}
	if (total < REPLAY_LIMITS.total) return;
	const floor = Math.floor(REPLAY_LIMITS.total * 0.9);
	const largestFirst = [...registrations].sort((a, b) => b[1].size - a[1].size);
	for (const [scope, entries] of largestFirst) {
		if (total <= floor) break;
		evict(scope, entries, nowMs, 0);
	}
}

/**
 * True the first time a signature is seen for a registration (it is then remembered until
 * `expiresAtMs`); false for a repeat whose earlier copy has not expired yet. Check and record happen
 * in one synchronous step, so two concurrent copies cannot both pass.
 */
export function firstSighting(scope: string, digest: string, expiresAtMs: number, nowMs: number): boolean {
	let entries = registrations.get(scope);
	const known = entries?.get(digest);
	if (known !== undefined && known > nowMs) return false;
	if (entries && known !== undefined) remove(scope, entries, digest);
	entries = registrations.get(scope);
	if (entries && entries.size >= REPLAY_LIMITS.perRegistration) evict(scope, entries, nowMs, REPLAY_LIMITS.perRegistration);
	if (total >= REPLAY_LIMITS.total) makeRoomInAll(nowMs);
	entries = registrations.get(scope);
	if (!entries) registrations.set(scope, (entries = new Map()));
	entries.set(digest, expiresAtMs);
	total++;
	return true;
}

/** Forgets a signature again, so a delivery that failed after verification can be retried by the provider. */
export function forgetSighting(scope: string, digest: string): void {
	const entries = registrations.get(scope);
	if (entries) remove(scope, entries, digest);
}

/** How many signatures are remembered now, in all or for one registration (for tests and benchmarks). */
export function rememberedCount(scope?: string): number {
	return scope === undefined ? total : (registrations.get(scope)?.size ?? 0);
}

/** Forgets every signature (for benchmarks that measure the replay memory on its own). */
export function forgetAllSightings(): void {
	registrations.clear();
	total = 0;
}
