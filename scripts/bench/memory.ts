/**
 * Memory: heap growth of one trigger instance over 10 000 deliveries after warm-up, with garbage
 * collected before each reading (run node with --expose-gc). Flat means no per-delivery leak.
 */
import { CASES, prepared } from './handler';

export const MEMORY_TARGET_BYTES = 1024 * 1024;

export async function benchMemory(report: (line: string, ok: boolean) => void) {
	const gc = (globalThis as { gc?: () => void }).gc;
	if (!gc) throw new Error('run with node --expose-gc');
	for (const testCase of CASES) {
		const { node, ctx } = prepared(testCase, 1_000);
		for (let i = 0; i < 2_000; i++) await node.webhook.call(ctx);
		gc();
		const before = process.memoryUsage().heapUsed;
		for (let i = 0; i < 10_000; i++) await node.webhook.call(ctx);
		gc();
		const growth = process.memoryUsage().heapUsed - before;
		report(
			`memory ${testCase.provider.padEnd(8)}: heap ${growth >= 0 ? '+' : ''}${(growth / 1024).toFixed(0)} KB after 10 000 deliveries (target < ${MEMORY_TARGET_BYTES / 1024} KB)`,
			growth < MEMORY_TARGET_BYTES,
		);
	}
}

if (require.main === module) void benchMemory((line) => process.stdout.write(`${line}\n`));
