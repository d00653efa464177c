/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- Node-side code (tests, emulators, scripts), never loaded by n8n */
/**
 * Memory: heap growth of one trigger instance over 10 000 deliveries after warm-up, with garbage
 * collected before each reading (run node with --expose-gc). Flat means no per-delivery leak. The
 * replay memory (signatures accepted within the timestamp window) and the retry memory (events
 * that ran, for the provider's retry period), by design kept and bounded, are emptied before each
 * reading and measured on their own at their bounds: the retry memory after 1 000 000 distinct events.
 */
import path from 'path';

import { CASES, prepared } from './handler';
import { loadModule } from '../lib/load';

export const MEMORY_TARGET_BYTES = 1024 * 1024;
export const REPLAY_MEMORY_TARGET_BYTES = 32 * 1024 * 1024;
export const RETRY_MEMORY_TARGET_BYTES = 64 * 1024 * 1024;

const shared = (name: string) =>
	loadModule(path.resolve(__dirname, '..', '..', 'dist', 'nodes', 'shared', `${name}.js`));
const replay = shared('replay') as unknown as typeof import('../../nodes/shared/replay');
const retries = shared('retries') as unknown as typeof import('../../nodes/shared/retries');

/** The retry memory after `events` distinct events spread over `registrations`, as the pipeline records them. */
function fillRetryMemory(
	events: number,
	registrations: number,
): { held: number; remembered: number; largest: number } {
	const gc = (globalThis as { gc?: () => void }).gc!;
	retries.forgetAllEvents();
	gc();
	const before = process.memoryUsage().heapUsed;
	const policy = { horizonSeconds: 25 * 3600 };
	const delivery = {
		rawBody: Buffer.from(
			'{"resource_id":"64f0c0ffee","event_type":"submission.status.change","status":"APPROVED"}',
		),
	};
	const now = Date.now();
	for (let i = 0; i < events; i++) {
		const identity = retries.identify('prolific', policy, `evt-${i}`, delivery as never, {});
		retries.firstDelivery(
			`https://n8n.example.test/webhook/${i % registrations}/webhook`,
			identity,
			policy,
			now + i,
		);
	}
	gc();
	const held = process.memoryUsage().heapUsed - before;
	let largest = 0;
	for (let r = 0; r < registrations; r++)
		largest = Math.max(
			largest,
			retries.rememberedEvents(`https://n8n.example.test/webhook/${r}/webhook`),
		);
	const remembered = retries.rememberedEvents();
	retries.forgetAllEvents();
	return { held, remembered, largest };
}

export async function benchMemory(report: (line: string, ok: boolean) => void) {
	const gc = (globalThis as { gc?: () => void }).gc;
	if (!gc) throw new Error('run with node --expose-gc');
	for (const testCase of CASES) {
		const { node, ctx } = prepared(testCase, 1_000);
		for (let i = 0; i < 2_000; i++) await node.webhook.call(ctx);
		replay.forgetAllSightings();
		retries.forgetAllEvents();
		gc();
		const before = process.memoryUsage().heapUsed;
		for (let i = 0; i < 10_000; i++) await node.webhook.call(ctx);
		replay.forgetAllSightings();
		retries.forgetAllEvents();
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
	retries.forgetAllEvents(); // measured on its own below
	gc();
	const held = process.memoryUsage().heapUsed - before;
	report(
		`memory replay  : ${replay.rememberedCount()} signatures remembered (the bound) = ${(held / 2 ** 20).toFixed(1)} MB (target ≤ ${REPLAY_MEMORY_TARGET_BYTES / 2 ** 20} MB)`,
		held <= REPLAY_MEMORY_TARGET_BYTES,
	);
	replay.forgetAllSightings();
	retries.forgetAllEvents();

	// The retry memory: 1 000 000 distinct events into one registration, then over 20.
	const { perRegistration, total } = retries.RETRY_LIMITS;
	const one = fillRetryMemory(1_000_000, 1);
	report(
		`memory retries: 1 000 000 events to 1 trigger → ${one.remembered} remembered (bound ${perRegistration}) = ${(one.held / 2 ** 20).toFixed(1)} MB (target ≤ ${RETRY_MEMORY_TARGET_BYTES / 2 ** 20} MB)`,
		one.remembered <= perRegistration && one.held <= RETRY_MEMORY_TARGET_BYTES,
	);
	const many = fillRetryMemory(1_000_000, 20);
	report(
		`memory retries: 1 000 000 events to 20 triggers → ${many.remembered} remembered (bound ${total}; largest ${many.largest}) = ${(many.held / 2 ** 20).toFixed(1)} MB = ${Math.round(many.held / many.remembered)} bytes an event (target ≤ ${RETRY_MEMORY_TARGET_BYTES / 2 ** 20} MB)`,
		many.remembered <= total &&
			many.largest <= perRegistration &&
			many.held <= RETRY_MEMORY_TARGET_BYTES,
	);
}

if (require.main === module) void benchMemory((line) => process.stdout.write(`${line}\n`));
