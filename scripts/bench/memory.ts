/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- Node-side code (tests, emulators, scripts), never loaded by n8n */
/**
 * Memory: heap growth of one trigger instance over 10 000 deliveries after warm-up, with garbage
 * collected before each reading (run node with --expose-gc). Flat means no per-delivery leak. The
 * replay memory (signatures accepted within the timestamp window, by design kept and bounded) is
 * emptied before each reading and measured on its own at its bound.
 */
import path from 'path';

import { CASES, prepared } from './handler';
import { loadModule } from '../lib/load';

export const MEMORY_TARGET_BYTES = 1024 * 1024;
export const REPLAY_MEMORY_TARGET_BYTES = 32 * 1024 * 1024;

const replay = loadModule(path.resolve(__dirname, '..', '..', 'dist', 'nodes', 'shared', 'replay.js')) as unknown as typeof import('../../nodes/shared/replay');

export async function benchMemory(report: (line: string, ok: boolean) => void) {
	const gc = (globalThis as { gc?: () => void }).gc;
	if (!gc) throw new Error('run with node --expose-gc');
	for (const testCase of CASES) {
		const { node, ctx } = prepared(testCase, 1_000);
		for (let i = 0; i < 2_000; i++) await node.webhook.call(ctx);
		replay.forgetAllSightings();
		gc();
		const before = process.memoryUsage().heapUsed;
		for (let i = 0; i < 10_000; i++) await node.webhook.call(ctx);
		replay.forgetAllSightings();
		gc();
		const growth = process.memoryUsage().heapUsed - before;
		report(
			`memory ${testCase.provider.padEnd(8)}: heap ${growth >= 0 ? '+' : ''}${(growth / 1024).toFixed(0)} KB after 10 000 deliveries (target < ${MEMORY_TARGET_BYTES / 1024} KB)`,
			growth < MEMORY_TARGET_BYTES,
		);
	}
	// The replay memory full: 50 000 signatures of the shape the pipeline remembers.
	const { node, ctx } = prepared(CASES[0], 1_000);
	gc();
	const before = process.memoryUsage().heapUsed;
	for (let i = 0; i < 60_000; i++) await node.webhook.call(ctx);
	gc();
	const held = process.memoryUsage().heapUsed - before;
	report(
		`memory replay  : ${replay.rememberedCount()} signatures remembered (the bound) = ${(held / 2 ** 20).toFixed(1)} MB (target ≤ ${REPLAY_MEMORY_TARGET_BYTES / 2 ** 20} MB)`,
		held <= REPLAY_MEMORY_TARGET_BYTES,
	);
	replay.forgetAllSightings();
}

if (require.main === module) void benchMemory((line) => process.stdout.write(`${line}\n`));
