/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- Node-side code (tests, emulators, scripts), never loaded by n8n */
/**
 * Refusing a forgery, at 1 KiB, 64 KiB and 16 MiB (n8n's default N8N_PAYLOAD_SIZE_MAX): each
 * trigger's webhook() answering a forged delivery (current timestamp, well-formed signature or
 * token, no secret) against one HMAC-SHA256 over the same bytes. A refusal has a fixed cost before
 * any body work (reading the request and the options, answering, a rate-limited log line), which
 * alone is several HMACs of a small body; so what the body adds is measured: refusing the forgery
 * minus refusing the same bytes without a signature or token. Targets: at most 1.5× one HMAC, 3×
 * where a second candidate is tried (Prolific's Python form, small bodies only) — never a parse.
 */
import type { IWebhookResponseData } from 'n8n-workflow';
import { createHmac } from 'crypto';
import path from 'path';

import { signDelivery } from '../lib/samples';
import { CASES, paddedBody, webhookContext, type Case } from './handler';
import { firstExport } from '../lib/load';

const DIST = path.resolve(__dirname, '..', '..', 'dist', 'nodes');
export const FORGERY_TARGET = 1.5;
export const TWO_CANDIDATE_TARGET = 3;
const SIZES = [
	{ label: '1 KiB', bytes: 1024, iterations: 4000 },
	{ label: '64 KiB', bytes: 64 * 1024, iterations: 200 },
	{ label: '16 MiB', bytes: 16 * 1024 * 1024, iterations: 1 },
];
const ROUNDS = 15;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Microseconds per call of `run`, the median of ROUNDS blocks of `iterations` calls, after a warm-up block. */
async function perCall(run: () => unknown, iterations: number): Promise<number[]> {
	const blocks: number[] = [];
	for (let round = 0; round < ROUNDS + 1; round++) {
		const start = process.hrtime.bigint();
		for (let i = 0; i < iterations; i++) await run();
		if (round > 0) blocks.push(Number(process.hrtime.bigint() - start) / 1e3 / iterations);
	}
	return blocks;
}

function refuser(testCase: Case, rawBody: Buffer, headers: Record<string, string>, query: Record<string, string>) {
	const Node = firstExport<new () => { webhook: (this: unknown) => Promise<IWebhookResponseData> }>(path.join(DIST, testCase.nodeFile));
	const node = new Node();
	const statuses: number[] = [];
	const response = { status: (code: number) => (statuses.push(code), response), json: () => response };
	const ctx = { ...webhookContext(testCase, rawBody, headers, query), getResponseObject: () => response };
	return { refuse: () => node.webhook.call(ctx), statuses };
}

export async function benchForgery(report: (line: string, ok: boolean) => void) {
	for (const { label, bytes, iterations } of SIZES) {
		for (const testCase of CASES) {
			const body = paddedBody(testCase, bytes);
			const rawBody = Buffer.from(body);
			const forged = signDelivery(testCase.provider, 'http://127.0.0.1/webhook', body, 'an-attacker-guess-0123456789');
			const withForgery = refuser(testCase, rawBody, forged.headers, Object.fromEntries(new URL(forged.url).searchParams));
			const unsigned = refuser(testCase, rawBody, { 'content-type': 'application/json' }, {});
			const hmac = () => createHmac('sha256', testCase.secret).update(rawBody).digest();
			// Interleaved, so that a slower phase of the machine weighs on all three alike.
			const [forgedTimes, unsignedTimes, hmacTimes] = [[], [], []] as number[][];
			for (let repeat = 0; repeat < 3; repeat++) {
				forgedTimes.push(...(await perCall(withForgery.refuse, iterations)));
				unsignedTimes.push(...(await perCall(unsigned.refuse, iterations)));
				hmacTimes.push(...(await perCall(hmac, iterations)));
			}
			if ([...withForgery.statuses, ...unsigned.statuses].some((status) => status !== 401)) {
				throw new Error(`${testCase.provider} ${label}: a forged or unsigned delivery was not refused with 401`);
			}
			const [refused, baseline, oneHmac] = [median(forgedTimes), median(unsignedTimes), median(hmacTimes)];
			const ratio = Math.max(0, refused - baseline) / oneHmac;
			const target = bytes <= testCase.secondCandidateUpTo ? TWO_CANDIDATE_TARGET : FORGERY_TARGET;
			const us = (value: number) => (value >= 1000 ? `${(value / 1000).toFixed(2)} ms` : `${value.toFixed(1)} µs`).padStart(9);
			report(
				`forgery ${testCase.provider.padEnd(8)} ${label.padStart(6)}: refused in ${us(refused)}, unsigned ${us(baseline)}, body adds ${us(Math.max(0, refused - baseline))} vs one HMAC ${us(oneHmac)} = ${ratio.toFixed(2)}× (target ≤ ${target}×)`,
				ratio <= target,
			);
		}
	}
}

if (require.main === module) void benchForgery((line) => process.stdout.write(`${line}\n`));
