/**
 * The bounded memories (replays, resends) are shared by every trigger of the process: a flood in one
 * workflow must not make another forget. Each registration holding entries keeps at least an equal
 * share of the process bound; a shortage is taken only from registrations above that share.
 */
import { Sightings } from '../../nodes/shared/sightings';
import { RETRY_LIMITS } from '../../nodes/shared/retries';

const HOUR = 3_600_000;
const FLOODERS = 25;

/** `deliveries` new keys spread over the flooders in turn, one a millisecond, each living a day. */
function flood(memory: Sightings, deliveries: number, startMs: number): void {
	for (let i = 0; i < deliveries; i++)
		memory.firstSighting(
			`flooder ${i % FLOODERS}`,
			`flood-${startMs + i}`,
			startMs + i + 24 * HOUR,
			startMs + i,
		);
}

describe('a flood of 25 triggers of one owner', () => {
	it('leaves a workflow below its share every event it remembered', () => {
		const memory = new Sightings(RETRY_LIMITS);
		const now = 1_000_000;
		for (let i = 0; i < 9_000; i++)
			expect(memory.firstSighting('victim', `event-${i}`, now + 24 * HOUR, now)).toBe(true);
		flood(memory, 240_000, now + 1);
		flood(memory, 240_000, now + 240_001); // and as much again
		expect(memory.count()).toBeLessThanOrEqual(RETRY_LIMITS.total);
		expect(memory.count('victim')).toBe(9_000);
		// Every resend of the victim's events is still recognised.
		for (let i = 0; i < 9_000; i++)
			expect(memory.firstSighting('victim', `event-${i}`, now + 24 * HOUR, now + 480_001)).toBe(
				false,
			);
	});

	it('takes from a workflow above its share no more than brings it down to the share', () => {
		const memory = new Sightings(RETRY_LIMITS);
		const now = 1_000_000;
		for (let i = 0; i < 10_000; i++)
			memory.firstSighting('victim', `event-${i}`, now + 24 * HOUR + i, now);
		flood(memory, 240_000, now + 1);
		flood(memory, 240_000, now + 240_001);
		const share = Math.floor(RETRY_LIMITS.total / (FLOODERS + 1));
		expect(memory.count()).toBeLessThanOrEqual(RETRY_LIMITS.total);
		expect(memory.count('victim')).toBeGreaterThanOrEqual(share);
		// The newest of the victim's events are the ones kept.
		expect(memory.firstSighting('victim', 'event-9999', now + 24 * HOUR, now + 480_001)).toBe(
			false,
		);
	});

	it('still bounds the flooders: each keeps about its share, its oldest entries going first', () => {
		const memory = new Sightings(RETRY_LIMITS);
		const now = 1_000_000;
		flood(memory, 600_000, now);
		expect(memory.count()).toBeLessThanOrEqual(RETRY_LIMITS.total);
		for (let f = 0; f < FLOODERS; f++)
			expect(memory.count(`flooder ${f}`)).toBeGreaterThanOrEqual(
				Math.floor((RETRY_LIMITS.total * 0.9) / FLOODERS),
			);
		// The newest delivery of each flooder is remembered, the first ones were let go.
		const later = now + 600_000;
		expect(
			memory.firstSighting('flooder 0', `flood-${now + 599_975}`, later + 24 * HOUR, later),
		).toBe(false);
		expect(memory.firstSighting('flooder 0', `flood-${now}`, later + 24 * HOUR, later)).toBe(true);
	});

	it('frees a tenth of the bound at a time, not every entry, when thousands of registrations hold one each', () => {
		const memory = new Sightings({ perRegistration: 10_000, total: 50_000 });
		const now = 1_000_000;
		for (let i = 0; i < 60_000; i++)
			memory.firstSighting(`workflow ${i}`, `signature ${i}`, now + 300_000 + i, now + i);
		expect(memory.count()).toBeGreaterThanOrEqual(45_000);
		expect(memory.count()).toBeLessThanOrEqual(50_000);
		// The newest are the ones kept.
		expect(
			memory.firstSighting('workflow 59999', 'signature 59999', now + 400_000, now + 60_000),
		).toBe(false);
	});
});
