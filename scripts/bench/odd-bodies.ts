/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- Node-side code (tests, emulators, scripts), never loaded by n8n */
/**
 * Verified bodies whose every list item misfits (a number where the schema expects an object: the
 * most zod issues per byte) against a fitting body of the same byte count (the same list of valid
 * items), at 1, 4 and 16 MiB (n8n answers 413 beyond 16 MiB): each trigger's webhook() from dist/,
 * the time of a delivery and its peak heap over a baseline taken after GC (the high-water mark
 * from V8's GC profiler: the largest heap before any collection during the delivery, or at its
 * end). Targets: time at most 3× the fitting body's; peak heap at most 3× what JSON.parse of the
 * body retains, plus 32 MiB. Run with --expose-gc (npm run bench does).
 */
import v8 from 'v8';

import { PROVIDERS } from '../lib/providers';
import { sampleBody } from '../lib/samples';
import { CASES, prepared, type Case } from './handler';

export const ODD_TIME_TARGET = 3;
export const ODD_HEAP_FACTOR = 3;
export const ODD_HEAP_ALLOWANCE = 32 * 2 ** 20;
const SIZES = [1, 4, 16].map((mib) => ({ label: `${mib} MiB`, bytes: mib * 2 ** 20 }));
const ROUNDS = 3;
const MAX_BODY = 16 * 2 ** 20;

const collect = () => {
	const gc = (globalThis as { gc?: () => void }).gc;
	if (!gc) throw new Error('run with node --expose-gc');
	gc();
	gc();
};
const usedHeap = () => v8.getHeapStatistics().used_heap_size;
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

/** One delivery: its time (ms) and the heap's high-water mark over the baseline (bytes). */
async function delivery(run: () => Promise<unknown>): Promise<{ ms: number; peak: number }> {
	collect();
	const baseline = usedHeap();
	const profiler = new v8.GCProfiler();
	profiler.start();
	const start = process.hrtime.bigint();
	await run();
	const ms = Number(process.hrtime.bigint() - start) / 1e6;
	const atEnd = usedHeap();
	const { statistics } = profiler.stop();
	const beforeCollections = statistics.map((gc) => gc.beforeGC.heapStatistics.usedHeapSize);
	return { ms, peak: Math.max(atEnd, ...beforeCollections) - baseline };
}

/** What JSON.parse of the body retains (bytes), after GC. */
function parseRetains(text: string): number {
	collect();
	const baseline = usedHeap();
	const parsed: unknown = JSON.parse(text);
	collect();
	const retained = usedHeap() - baseline;
	if (parsed === undefined) throw new Error('unreachable');
	return retained;
}

/** The sample with `count` list items, every one misfitting or none. */
function bodyOf(provider: string, event: string, count: number, misfit: boolean): string {
	const entry = PROVIDERS.find((candidate) => candidate.provider === provider)!;
	const body = JSON.parse(sampleBody(provider, event));
	entry.misfitItems!(body, count, () => misfit);
	return JSON.stringify(body);
}

/** The largest item count whose body stays within `bytes` (a binary search: sizes grow with the count). */
function countFor(provider: string, event: string, bytes: number, misfit: boolean): number {
	const fits = (count: number) =>
		Buffer.byteLength(bodyOf(provider, event, count, misfit)) <= Math.min(bytes, MAX_BODY);
	let low = 0;
	let high = 1;
	while (fits(high)) high *= 2;
	while (high - low > 1) {
		const middle = Math.floor((low + high) / 2);
		if (fits(middle)) low = middle;
		else high = middle;
	}
	return low;
}

export async function benchOddBodies(report: (line: string, ok: boolean) => void) {
	for (const entry of PROVIDERS.filter((candidate) => candidate.misfitItems)) {
		const testCase = CASES.find((candidate) => candidate.provider === entry.provider) as Case;
		for (const { label, bytes } of SIZES) {
			const misfitBody = bodyOf(
				entry.provider,
				entry.event,
				countFor(entry.provider, entry.event, bytes, true),
				true,
			);
			const fittingBody = bodyOf(
				entry.provider,
				entry.event,
				countFor(entry.provider, entry.event, Buffer.byteLength(misfitBody), false),
				false,
			);
			const misfit = prepared(testCase, 0, misfitBody);
			const fitting = prepared(testCase, 0, fittingBody);
			const odd: Array<{ ms: number; peak: number }> = [];
			const fit: Array<{ ms: number; peak: number }> = [];
			for (let round = 0; round < ROUNDS; round++) {
				odd.push(await delivery(() => misfit.node.webhook.call(misfit.ctx)));
				fit.push(await delivery(() => fitting.node.webhook.call(fitting.ctx)));
			}
			const answered = await misfit.node.webhook.call(misfit.ctx);
			if (!answered.workflowData)
				throw new Error(`${entry.provider} ${label}: the misfitting body was not delivered`);
			const median = (values: number[]) =>
				[...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
			const oddMs = median(odd.map((run) => run.ms));
			const fitMs = median(fit.map((run) => run.ms));
			const peak = Math.max(...odd.map((run) => run.peak));
			const retained = parseRetains(misfitBody);
			const heapTarget = ODD_HEAP_FACTOR * retained + ODD_HEAP_ALLOWANCE;
			report(
				`odd body ${entry.provider.padEnd(8)} ${label.padStart(6)} (${Buffer.byteLength(misfitBody)} bytes, every list item misfitting): ${oddMs.toFixed(1)} ms vs fitting body ${fitMs.toFixed(1)} ms = ${(oddMs / fitMs).toFixed(2)}× (target ≤ ${ODD_TIME_TARGET}×)`,
				oddMs / fitMs <= ODD_TIME_TARGET,
			);
			report(
				`odd body ${entry.provider.padEnd(8)} ${label.padStart(6)}: peak heap +${mib(peak)} vs JSON.parse retains ${mib(retained)} (target ≤ ${ODD_HEAP_FACTOR}× + 32 MiB = ${mib(heapTarget)})`,
				peak <= heapTarget,
			);
		}
	}
}

if (require.main === module) void benchOddBodies((line) => process.stdout.write(`${line}\n`));
