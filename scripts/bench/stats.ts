/**
 * The confidence interval of a median, for benchmark figures that sit near their target: a figure
 * misses only when its whole interval is above the target (the code got slower), never because
 * one run of a noisy machine landed on the wrong side.
 *
 * Distribution-free (order statistics): for n samples, the interval runs from the k-th smallest
 * to the k-th largest sample, with k the largest rank for which a Binomial(n, ½) variable falls
 * below k with probability at most (1 − confidence) / 2.
 */
export interface MedianInterval {
	median: number;
	low: number;
	high: number;
	samples: number;
}

/** P(X ≤ x) for X ~ Binomial(n, ½). */
function binomialHalfCdf(n: number, x: number): number {
	let term = 0.5 ** n; // P(X = 0)
	let sum = term;
	for (let i = 1; i <= x; i++) {
		term = (term * (n - i + 1)) / i;
		sum += term;
	}
	return sum;
}

export function medianInterval(values: readonly number[], confidence = 0.95): MedianInterval {
	const sorted = [...values].sort((a, b) => a - b);
	const n = sorted.length;
	if (n === 0) throw new Error('no samples');
	const tail = (1 - confidence) / 2;
	// k: the largest rank with P(X ≤ k − 1) ≤ tail (at least 1: the extremes).
	let k = 1;
	while (k < n / 2 && binomialHalfCdf(n, k) <= tail) k++;
	const middle = (n - 1) / 2;
	return {
		median: (sorted[Math.floor(middle)] + sorted[Math.ceil(middle)]) / 2,
		low: sorted[k - 1],
		high: sorted[n - k],
		samples: n,
	};
}

/** Whether a figure is within its target: 'within' when its interval's low end is at or below it, 'over' when the whole interval is above. */
export const verdict = (interval: MedianInterval, target: number): 'within' | 'over' =>
	interval.low <= target ? 'within' : 'over';

/** Whether the target falls inside the interval (more samples would tell more). */
export const undecided = (interval: MedianInterval, target: number): boolean =>
	interval.low <= target && interval.high > target;
