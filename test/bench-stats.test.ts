/**
 * Benchmark figures near their target are judged on the confidence interval of their median
 * (scripts/bench/stats.ts): a run of a noisy machine that lands on the wrong side of the target
 * does not miss; a figure whose whole interval is above the target does.
 */
import { medianInterval, undecided, verdict } from '../scripts/bench/stats';
import { pythonJsonDumps } from '../scripts/lib/samples';

/** A deterministic spread of samples around `centre` (±`spread`). */
const samples = (centre: number, spread: number, count = 31) =>
	Array.from({ length: count }, (_, i) => centre + spread * Math.sin(i * 1.7));

describe('medianInterval', () => {
	it('brackets the median with the order statistics of a 95% distribution-free interval', () => {
		const values = Array.from({ length: 30 }, (_, i) => i + 1); // 1 … 30
		const interval = medianInterval(values);
		expect(interval.median).toBe(15.5);
		// For n = 30: P(Bin(30, ½) ≤ 9) ≈ 0.021 ≤ 0.025 < P(≤ 10) ≈ 0.049: ranks 10 and 21.
		expect([interval.low, interval.high]).toEqual([10, 21]);
		expect(interval.samples).toBe(30);
	});

	it('narrows as samples are added', () => {
		const few = medianInterval(samples(3, 0.1, 15));
		const many = medianInterval(samples(3, 0.1, 121));
		expect(many.high - many.low).toBeLessThan(few.high - few.low);
	});
});

describe('verdict', () => {
	it('a figure flapping around its target (2.97–3.07× against 3×) is within it', () => {
		const interval = medianInterval(samples(3.02, 0.05));
		expect(interval.median).toBeGreaterThan(3); // the median alone would miss
		expect(undecided(interval, 3)).toBe(true);
		expect(verdict(interval, 3)).toBe('within');
	});

	it('a figure whose whole interval is above its target misses', () => {
		const interval = medianInterval(samples(3.4, 0.05));
		expect(undecided(interval, 3)).toBe(false);
		expect(verdict(interval, 3)).toBe('over');
	});
});

describe("the benchmark's Python json.dumps form", () => {
	it('writes what CPython 3.11 json.dumps writes: ", " and ": " separators, non-ASCII escaped', () => {
		// What `python3 -c 'import json; print(json.dumps({…}))'` prints for the same object (numbers
		// in exponent form are written as JavaScript writes them; the samples have none).
		expect(
			pythonJsonDumps({ a: [1, 'é', { b: null }], 'k,e:y': 'x,y:z\u2028\u007f😀', n: -2.5 }),
		).toBe(
			'{"a": [1, "\\u00e9", {"b": null}], "k,e:y": "x,y:z\\u2028\\u007f\\ud83d\\ude00", "n": -2.5}',
		);
	});
});
