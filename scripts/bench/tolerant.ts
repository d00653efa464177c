/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- Node-side code (tests, emulators, scripts), never loaded by n8n */
/**
 * The tolerant reader's worst case: a verified body whose list holds as many misfitting items as
 * it fixes one by one (MAX_LIST_MISFITS, spread over the list; past that the list is left out
 * whole, which costs less — see odd-bodies.ts). Its cost through the trigger's webhook() against
 * the floor for the same bytes — JSON.parse plus one validation with the trigger's schema — at
 * about 1 MiB (target ≤ 3×), and its time per item from 10 000 to 80 000 items, which must not
 * grow (at 80 000 items ≤ 1.5× what it is at 10 000).
 */
import path from 'path';

import { PROVIDERS } from '../lib/providers';
import { loadModule } from '../lib/load';
import { sampleBody } from '../lib/samples';
import { CASES, prepared, type Case } from './handler';

export const TOLERANT_TARGET = 3;
export const FLAT_TARGET = 1.5;
const DIST = path.resolve(__dirname, '..', '..', 'dist', 'nodes');
const ROUNDS = 7;
/** The built package's bound on misfitting items fixed one by one (schema.ts). */
const { MAX_LIST_MISFITS } = loadModule(path.join(DIST, 'shared', 'schema.js')) as unknown as {
	MAX_LIST_MISFITS: number;
};

const median = (values: number[]) =>
	[...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function timeMs(run: () => unknown): Promise<number> {
	const times: number[] = [];
	for (let round = 0; round < ROUNDS + 1; round++) {
		const start = process.hrtime.bigint();
		await run();
		if (round > 0) times.push(Number(process.hrtime.bigint() - start) / 1e6);
	}
	return median(times);
}

export async function benchTolerant(report: (line: string, ok: boolean) => void) {
	const { validatorOf } = loadModule(
		path.join(DIST, 'shared', 'validate.js'),
	) as unknown as typeof import('../../nodes/shared/validate');
	for (const entry of PROVIDERS) {
		if (!entry.misfitItems) continue;
		const testCase = CASES.find((candidate) => candidate.provider === entry.provider) as Case;
		const receiver = Object.values(
			loadModule(path.join(DIST, `${entry.nodeFile.split('/')[0]}`, 'receiver.js')),
		).find(
			(value) => typeof value === 'object' && value !== null && 'schema' in value,
		) as import('../../nodes/shared/types').WebhookReceiver<unknown>;
		const validate = validatorOf(receiver.schema, receiver.prepare);
		const bodyOf = (count: number) => {
			const event = JSON.parse(sampleBody(entry.provider, entry.event));
			const step = Math.floor(count / MAX_LIST_MISFITS);
			entry.misfitItems!(event, count, (index) => index % step === step - 1);
			return JSON.stringify(event);
		};
		const perItem: number[] = [];
		for (const count of [10_000, 20_000, 40_000, 80_000]) {
			const body = bodyOf(count);
			const { node, ctx } = prepared(testCase, 0, body);
			const handler = await timeMs(() => node.webhook.call(ctx));
			const floor = await timeMs(() => validate(JSON.parse(body)));
			perItem.push((handler * 1000) / count);
			const mib = Buffer.byteLength(body) / 2 ** 20;
			const ratio = handler / floor;
			const checked = mib >= 0.75 && mib <= 1.5;
			report(
				`tolerant ${entry.provider.padEnd(8)} ${String(count).padStart(6)} items, ${MAX_LIST_MISFITS} of them misfitting (${mib.toFixed(2)} MiB): ${handler.toFixed(1)} ms vs JSON.parse + one validation ${floor.toFixed(1)} ms = ${ratio.toFixed(2)}×${checked ? ` (target ≤ ${TOLERANT_TARGET}×)` : ' (no target)'}, ${perItem[perItem.length - 1].toFixed(2)} µs per item`,
				!checked || ratio <= TOLERANT_TARGET,
			);
		}
		// Linear: the time per item does not grow with the list (the 100 fix-ups are a fixed cost,
		// which weighs more per item on the smallest body, so it is not compared the other way round).
		const growth = perItem[perItem.length - 1] / perItem[0];
		report(
			`tolerant ${entry.provider.padEnd(8)} time per item at 80 000 items vs at 10 000: ${growth.toFixed(2)}× (target ≤ ${FLAT_TARGET}×)`,
			growth <= FLAT_TARGET,
		);
	}
}

if (require.main === module) void benchTolerant((line) => process.stdout.write(`${line}\n`));
