/**
 * Remembers the signatures this process accepted while their timestamps are inside the tolerance
 * window, so a captured delivery replayed within the window starts no second execution. Memory is
 * bounded: at most MAX_REMEMBERED entries; when full, expired ones are swept first, then the oldest go.
 *
 * The memory is per process: with several n8n webhook processes (queue mode), a replay that reaches
 * another process than the original is not recognised there (README, Security).
 */
const MAX_REMEMBERED = 50_000;
const remembered = new Map<string, number>();

function makeRoom(nowMs: number): void {
	// Oldest first; entries expire roughly in the order they came, so the sweep stops early.
	for (const [key, expiresAt] of remembered) {
		if (expiresAt > nowMs) break;
		remembered.delete(key);
	}
	if (remembered.size < MAX_REMEMBERED) return;
	// Still full of live entries (a flood of valid deliveries): forget the oldest tenth.
	let excess = Math.ceil(MAX_REMEMBERED / 10);
	for (const key of remembered.keys()) {
		if (excess-- <= 0) break;
		remembered.delete(key);
	}
}

/**
 * True the first time `key` is seen (it is then remembered until `expiresAtMs`); false for a repeat
 * whose earlier copy has not expired yet. Check and record happen in one synchronous step, so two
 * concurrent copies cannot both pass.
 */
export function firstSighting(key: string, expiresAtMs: number, nowMs: number): boolean {
	const known = remembered.get(key);
	if (known !== undefined && known > nowMs) return false;
	if (remembered.size >= MAX_REMEMBERED) makeRoom(nowMs);
	remembered.delete(key); // re-inserted at the end: insertion order stays oldest-first
	remembered.set(key, expiresAtMs);
	return true;
}

/** Forgets a key again, so a delivery that failed after verification can be retried by the provider. */
export function forgetSighting(key: string): void {
	remembered.delete(key);
}

/** How many signatures are remembered now (for tests and benchmarks). */
export function rememberedCount(): number {
	return remembered.size;
}

/** Forgets every signature (for benchmarks that measure the replay memory on its own). */
export function forgetAllSightings(): void {
	remembered.clear();
}
