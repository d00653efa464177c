/**
 * A bounded memory of keys seen per registration, each until an expiry time: the replay memory
 * (signatures, replay.ts) and the retry memory (provider events, retries.ts) are two of these.
 *
 * Memory is kept per registration (the webhook URL a trigger registered, see state.ts) and bounded
 * twice: at most `perRegistration` entries for one registration, at most `total` for the process.
 * Keys are fixed-size digests, so the entry bounds are byte bounds too. What goes first when a
 * bound is reached is chosen by expiry time — expired entries, then those that expire soonest (with
 * one lifetime for every key, the oldest). Every registration holding entries keeps at least an
 * equal share of the process bound (`total` ÷ registrations holding entries): a process-wide
 * shortage is taken only from registrations above that share. So triggers whose owner floods them
 * with valid deliveries (they know the secrets) evict only their own entries beyond their share,
 * never what another workflow keeps within its share.
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
	/** No key expires before this (ms): the process-wide sweep for expired keys is skipped until then. */
	private earliestExpiry = Infinity;

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
		if (keys && keys.size >= this.limits.perRegistration) this.evict(scope, keys, nowMs);
		if (this.entries >= this.limits.total) this.makeRoomInAll(scope, nowMs);
		keys = this.registrations.get(scope);
		if (!keys) this.registrations.set(scope, (keys = new Map()));
		keys.set(key, expiresAtMs);
		this.entries++;
		if (expiresAtMs < this.earliestExpiry) this.earliestExpiry = expiresAtMs;
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
		this.earliestExpiry = Infinity;
	}

	/** A registration at its own bound: its expired keys go, then, while it is still at the bound, its soonest-expiring tenth. */
	private evict(scope: string, keys: Map<string, number>, nowMs: number): void {
		this.dropExpired(scope, keys, nowMs);
		if (keys.size >= this.limits.perRegistration) this.trim(scope, keys, Math.ceil(keys.size / 10));
	}

	private dropExpired(scope: string, keys: Map<string, number>, nowMs: number): void {
		for (const [key, expiresAt] of keys) if (expiresAt <= nowMs) this.remove(scope, keys, key);
	}

	/** Forgets exactly `count` keys of one registration, those that expire soonest (sorting once, so a flood stays O(log n) a delivery). */
	private trim(scope: string, keys: Map<string, number>, count: number): void {
		if (count <= 0) return;
		if (count >= keys.size) {
			for (const key of [...keys.keys()]) this.remove(scope, keys, key);
			return;
		}
		const cutoff = [...keys.values()].sort((a, b) => a - b)[count - 1];
		let atCutoff = count - [...keys.values()].filter((expiresAt) => expiresAt < cutoff).length;
		for (const [key, expiresAt] of keys) {
			if (expiresAt < cutoff || (expiresAt === cutoff && atCutoff-- > 0))
				this.remove(scope, keys, key);
		}
	}

	private remove(scope: string, keys: Map<string, number>, key: string): void {
		if (!keys.delete(key)) return;
		this.entries--;
		if (keys.size === 0) this.registrations.delete(scope);
	}

	/**
	 * The process is at its bound, and `adding` is about to add a key. Expired keys go everywhere.
	 * Then every registration holding keys (counting `adding`) is guaranteed an equal share of the
	 * bound: a registration at or above its share makes room from its own keys (its oldest, the
	 * one inserted first); one below it is given room by the registrations above the share, the
	 * largest first, down to a common level no lower than the share, freeing up to a tenth of the
	 * bound so that this pass runs once per many deliveries.
	 */
	private makeRoomInAll(adding: string, nowMs: number): void {
		// A flood of live keys never pays for a sweep of every registration.
		if (nowMs >= this.earliestExpiry) {
			for (const [scope, keys] of this.registrations) this.dropExpired(scope, keys, nowMs);
			this.earliestExpiry = Infinity;
			for (const keys of this.registrations.values())
				for (const expiresAt of keys.values())
					if (expiresAt < this.earliestExpiry) this.earliestExpiry = expiresAt;
			if (this.entries < this.limits.total) return;
		}
		const holders = this.registrations.size + (this.registrations.has(adding) ? 0 : 1);
		const share = Math.floor(this.limits.total / holders);
		const own = this.registrations.get(adding);
		// At or above its share, the registration that adds gives its own oldest key for the new one:
		// the steady state of a flood, one step a delivery, and nobody else loses anything.
		if (own && own.size >= share) {
			this.remove(adding, own, own.keys().next().value as string);
			return;
		}
		const goal = this.entries - Math.floor(this.limits.total * 0.9);
		const above = [...this.registrations]
			.filter(([, keys]) => keys.size > share)
			.sort((a, b) => b[1].size - a[1].size);
		// The highest level at which trimming every registration above it frees the goal.
		let level = share;
		let sum = 0;
		for (let i = 0; i < above.length; i++) {
			sum += above[i][1].size;
			const next = i + 1 < above.length ? above[i + 1][1].size : share;
			const fits = Math.floor((sum - goal) / (i + 1));
			if (fits >= next) {
				level = Math.max(fits, share);
				break;
			}
		}
		// Down to the level, largest first, and no more than the goal: sizes are whole numbers, so
		// trimming every registration to the level could free far more (thousands of one-entry ones).
		let remaining = goal;
		for (const [scope, keys] of above) {
			if (remaining <= 0) break;
			const take = Math.min(keys.size - level, remaining);
			this.trim(scope, keys, take);
			remaining -= take;
		}
		if (this.entries < this.limits.total) return;
		// Nobody is above the share (every registration holds exactly it): the largest gives its oldest.
		const [largest] = [...this.registrations].sort((a, b) => b[1].size - a[1].size);
		if (largest) this.remove(largest[0], largest[1], largest[1].keys().next().value as string);
	}
}
