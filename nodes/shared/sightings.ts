/**
 * A bounded memory of keys seen per registration, each until an expiry time: the replay memory
 * (signatures, replay.ts) and the retry memory (provider events, retries.ts) are two of these.
 *
 * Memory is kept per registration (the webhook URL a trigger registered, see state.ts) and bounded
 * twice: at most `perRegistration` entries for one registration, at most `total` for the process.
 * Keys are fixed-size digests, so the entry bounds are byte bounds too. What goes first when a
 * bound is reached is chosen by expiry time — expired entries, then those that expire soonest (with
 * one lifetime for every key, the oldest) — and a process-wide shortage is taken from the
 * registration that holds the most. So a workflow whose owner floods its own trigger with valid
 * deliveries (they know its secret) evicts only its own entries, never another workflow's.
 *
 * The memory is per process and does not survive a restart (README, "One run per event").
 */
export interface SightingLimits {
	perRegistration: number;
	total: number;
}

export class Sightings {
	/** Per registration: key → when it may be accepted again (ms). */
	private readonly registrations = new Map<string, Map<string, number>>();
	private entries = 0;

	constructor(readonly limits: SightingLimits) {}

	/**
	 * True the first time a key is seen for a registration (it is then remembered until
	 * `expiresAtMs`); false for a repeat whose earlier copy has not expired yet. Check and record
	 * happen in one synchronous step, so two concurrent copies cannot both pass.
	 */
	firstSighting(scope: string, key: string, expiresAtMs: number, nowMs: number): boolean {
		let keys = this.registrations.get(scope);
		const known = keys?.get(key);
		if (known !== undefined && known > nowMs) return false;
		if (keys && known !== undefined) this.remove(scope, keys, key);
		keys = this.registrations.get(scope);
		if (keys && keys.size >= this.limits.perRegistration)
			this.evict(scope, keys, nowMs, this.limits.perRegistration);
		if (this.entries >= this.limits.total) this.makeRoomInAll(nowMs);
		keys = this.registrations.get(scope);
		if (!keys) this.registrations.set(scope, (keys = new Map()));
		keys.set(key, expiresAtMs);
		this.entries++;
		return true;
	}

	/** Forgets a key again, so a delivery that failed after it was recorded can be retried by the provider. */
	forget(scope: string, key: string): void {
		const keys = this.registrations.get(scope);
		if (keys) this.remove(scope, keys, key);
	}

	/** How many keys are remembered now, in all or for one registration (for tests and benchmarks). */
	count(scope?: string): number {
		return scope === undefined ? this.entries : (this.registrations.get(scope)?.size ?? 0);
	}

	/** Forgets every key (for tests and benchmarks). */
	clear(): void {
		this.registrations.clear();
		this.entries = 0;
	}

	/** Forgets the expired keys of one registration, then, while it is still at `keep` or more, the tenth that expires soonest. */
	private evict(scope: string, keys: Map<string, number>, nowMs: number, keep: number): void {
		for (const [key, expiresAt] of keys) {
			if (expiresAt <= nowMs) this.remove(scope, keys, key);
		}
		if (keys.size < keep) return;
		// Sorting once per tenth keeps a flood of live keys at O(log n) per delivery.
		const cutoff = [...keys.values()].sort((a, b) => a - b)[Math.ceil(keys.size / 10) - 1];
		for (const [key, expiresAt] of keys) {
			if (expiresAt <= cutoff) this.remove(scope, keys, key);
		}
	}

	private remove(scope: string, keys: Map<string, number>, key: string): void {
		if (!keys.delete(key)) return;
		this.entries--;
		if (keys.size === 0) this.registrations.delete(scope);
	}

	/**
	 * The process is at its bound: expired keys go everywhere, then a tenth of the bound is taken
	 * from the registrations that hold the most, the soonest-expiring tenth of each in turn.
	 */
	private makeRoomInAll(nowMs: number): void {
		for (const [scope, keys] of this.registrations) {
			for (const [key, expiresAt] of keys) if (expiresAt <= nowMs) this.remove(scope, keys, key);
		}
		if (this.entries < this.limits.total) return;
		const floor = Math.floor(this.limits.total * 0.9);
		const largestFirst = [...this.registrations].sort((a, b) => b[1].size - a[1].size);
		for (const [scope, keys] of largestFirst) {
			if (this.entries <= floor) break;
			this.evict(scope, keys, nowMs, 0);
		}
	}
}
