/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- Node-side code (tests, emulators, scripts), never loaded by n8n */
/**
 * Refusing a forgery, at 1 KiB, 64 KiB and 16 MiB (n8n's default N8N_PAYLOAD_SIZE_MAX): each
 * trigger's webhook() answering a forged delivery (current timestamp, well-formed signature or
 * token, no secret) against one HMAC-SHA256 over the same bytes. A refusal has a fixed cost before
 * any body work (reading the request and the options, answering, a rate-limited log line), which
 * alone is several HMACs of a small body; so what the body adds is measured: refusing the forgery
 * minus refusing the same bytes without a signature or token. Targets: at most 1.5× one HMAC, 3×
 * where a second candidate is tried (Prolific's Python form, small bodies only) — never a parse.
 * At 1 KiB the fixed cost of reading a request is as large as one HMAC, so a figure is judged on
 * the 95% confidence interval of its median (stats.ts), printed beside it.
 */
import type { IWebhookResponseData } from 'n8n-workflow';
import { createHmac } from 'crypto';
import path from 'path';

import { signDelivery } from '../lib/samples';
import { CASES, paddedBody, webhookContext, type Case } from './handler';
import { firstExport } from '../lib/load';
import { medianInterval, undecided, verdict, type MedianInterval } from './stats';

const DIST = path.resolve(__dirname, '..', '..', 'dist', 'nodes');
export const FORGERY_TARGET = 1.5;
export const TWO_CANDIDATE_TARGET = 3;
const SIZES = [
	{ label: '1 KiB', bytes: 1024, iterations: 4000 },
	{ label: '64 KiB', bytes: 64 * 1024, iterations: 200 },
	{ label: '16 MiB', bytes: 16 * 1024 * 1024, iterations: 1 },
];
const ROUNDS = 15;
/** Rounds a figure whose interval still holds its target may take, at most. */
const MAX_ROUNDS = 150;

const median = (values: number[]) =>
	[...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Microseconds per call of `run`, for each of `blocks` blocks of `iterations` calls. */
async function perCall(run: () => unknown, iterations: number, blocks = ROUNDS): Promise<number[]> {
	const times: number[] = [];
	for (let block = 0; block < blocks; block++) {
		const start = process.hrtime.bigint();
		for (let i = 0; i < iterations; i++) await run();
		times.push(Number(process.hrtime.bigint() - start) / 1e3 / iterations);
	}
	return times;
}

/** One trigger of one workflow receiving the same request again and again, as a forger sends it. */
function refuser(
	testCase: Case,
	rawBody: Buffer,
	headers: Record<string, string>,
	query: Record<string, string>,
) {
	const Node = firstExport<new () => { webhook: (this: unknown) => Promise<IWebhookResponseData> }>(
		path.join(DIST, testCase.nodeFile),
	);
	const node = new Node();
	const statuses: number[] = [];
	const response = {
		status: (code: number) => (statuses.push(code), response),
		json: () => response,
	};
	const workflow = { id: `bench-forgery-${testCase.provider}`, name: 'Bench' };
	const ctx = {
		...webhookContext(testCase, rawBody, headers, query),
		getResponseObject: () => response,
		getWorkflow: () => workflow,
	};
	return { refuse: () => node.webhook.call(ctx), statuses };
}

export async function benchForgery(report: (line: string, ok: boolean) => void) {
	for (const { label, bytes, iterations } of SIZES) {
		for (const testCase of CASES) {
			const body = paddedBody(testCase, bytes);
			const rawBody = Buffer.from(body);
			const forged = signDelivery(
				testCase.provider,
				'http://127.0.0.1/webhook',
				body,
				'an-attacker-guess-0123456789',
			);
			const withForgery = refuser(
				testCase,
				rawBody,
				forged.headers,
				Object.fromEntries(new URL(forged.url).searchParams),
			);
			const unsigned = refuser(testCase, rawBody, { 'content-type': 'application/json' }, {});
			const hmac = () => createHmac('sha256', testCase.secret).update(rawBody).digest();
			const target = bytes <= testCase.secondCandidateUpTo ? TWO_CANDIDATE_TARGET : FORGERY_TARGET;
			// Interleaved block by block, and compared within each round, so that a slower phase of
			// the machine weighs on all three alike. The figure is the median round, judged on its 95%
			// interval: rounds are added while the target lies inside it (up to MAX_ROUNDS), and it
			// misses only when the whole interval is above the target.
			const rounds: Array<{ refused: number; baseline: number; oneHmac: number; ratio: number }> =
				[];
			await perCall(withForgery.refuse, iterations); // warm-up (and a Prolific secret re-read, at most one per 10 minutes)
			let interval: MedianInterval | undefined;
			while (
				!interval ||
				(undecided(interval, target) && rounds.length < MAX_ROUNDS && bytes < 2 ** 20)
			) {
				for (let round = 0; round < (interval ? ROUNDS : ROUNDS * 2); round++) {
					const [refused] = await perCall(withForgery.refuse, iterations, 1);
					const [baseline] = await perCall(unsigned.refuse, iterations, 1);
					const [oneHmac] = await perCall(hmac, iterations, 1);
					rounds.push({
						refused,
						baseline,
						oneHmac,
						ratio: Math.max(0, refused - baseline) / oneHmac,
					});
				}
				interval = medianInterval(rounds.map((round) => round.ratio));
			}
			if ([...withForgery.statuses, ...unsigned.statuses].some((status) => status !== 401)) {
				throw new Error(
					`${testCase.provider} ${label}: a forged or unsigned delivery was not refused with 401`,
				);
			}
			const { refused, baseline, oneHmac } = [...rounds].sort((a, b) => a.ratio - b.ratio)[
				Math.floor(rounds.length / 2)
			];
			const us = (value: number) =>
				(value >= 1000 ? `${(value / 1000).toFixed(2)} ms` : `${value.toFixed(1)} µs`).padStart(9);
			report(
				`forgery ${testCase.provider.padEnd(8)} ${label.padStart(6)}: refused in ${us(refused)}, unsigned ${us(baseline)}, body adds ${us(Math.max(0, refused - baseline))} vs one HMAC ${us(oneHmac)} = ${interval.median.toFixed(2)}× (95% CI ${interval.low.toFixed(2)}–${interval.high.toFixed(2)}×, ${interval.samples} rounds; target ≤ ${target}×)`,
				verdict(interval, target) === 'within',
			);
		}
	}
}

export const PER_HEADER_TARGET_US = 5;
const HEADERS = 2_000; // Node's default maxHeadersCount; thousands of short headers fit n8n's header limit

/**
 * A token scheme compares every header value, in several forms, in constant time whatever its
 * length (hashing each): a forged delivery with thousands of headers, per header.
 */
export async function benchManyHeaders(report: (line: string, ok: boolean) => void) {
	for (const testCase of CASES) {
		const body = paddedBody(testCase, 1024);
		const forged = signDelivery(
			testCase.provider,
			'http://127.0.0.1/webhook',
			body,
			'an-attacker-guess-0123456789',
		);
		const headers: Record<string, string> = { ...forged.headers };
		for (let i = 0; i < HEADERS; i++) headers[`x-h${i}`] = `value-${i}-${'v'.repeat(i % 40)}`;
		const { refuse, statuses } = refuser(
			testCase,
			Buffer.from(body),
			headers,
			Object.fromEntries(new URL(forged.url).searchParams),
		);
		const times = await perCall(refuse, 20);
		if (statuses.some((status) => status !== 401))
			throw new Error(
				`${testCase.provider}: a forged delivery with many headers was not refused with 401`,
			);
		const perHeader = median(times) / HEADERS;
		report(
			`forgery ${testCase.provider.padEnd(8)} with ${HEADERS} headers: refused in ${(median(times) / 1000).toFixed(2)} ms = ${perHeader.toFixed(2)} µs per header (target ≤ ${PER_HEADER_TARGET_US} µs)`,
			perHeader <= PER_HEADER_TARGET_US,
		);
	}
}

if (require.main === module) void benchForgery((line) => process.stdout.write(`${line}\n`));
