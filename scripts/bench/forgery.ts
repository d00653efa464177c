/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- Node-side code (tests, emulators, scripts), never loaded by n8n */
/**
 * Refusing a forgery: each trigger's webhook() answering a forged 16 MiB delivery (n8n's default
 * N8N_PAYLOAD_SIZE_MAX; current timestamp, well-formed signature or token, no secret) against one
 * HMAC-SHA256 over the same bytes. Target: at most 1.5× — refusing must cost no more than checking.
 */
import type { IWebhookResponseData } from 'n8n-workflow';
import { createHmac } from 'crypto';
import path from 'path';

import { signDelivery } from '../lib/samples';
import { CASES, paddedBody, webhookContext } from './handler';
import { firstExport } from '../lib/load';

const DIST = path.resolve(__dirname, '..', '..', 'dist', 'nodes');
export const FORGERY_TARGET = 1.5;
const BYTES = 16 * 1024 * 1024;
const ROUNDS = 15;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const elapsedMs = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

export async function benchForgery(report: (line: string, ok: boolean) => void) {
	for (const testCase of CASES) {
		const body = paddedBody(testCase, BYTES);
		const rawBody = Buffer.from(body);
		const forged = signDelivery(testCase.provider, 'http://127.0.0.1/webhook', body, 'an-attacker-guess-0123456789');
		const query = Object.fromEntries(new URL(forged.url).searchParams);
		const Node = firstExport<new () => { webhook: (this: unknown) => Promise<IWebhookResponseData> }>(path.join(DIST, testCase.nodeFile));
		const node = new Node();
		const statuses: number[] = [];
		const response = { status: (code: number) => (statuses.push(code), response), json: () => response };
		const ctx = { ...webhookContext(testCase, rawBody, forged.headers, query), getResponseObject: () => response };
		const refuseTimes: number[] = [];
		const hmacTimes: number[] = [];
		for (let i = 0; i < ROUNDS + 2; i++) {
			let start = process.hrtime.bigint();
			await node.webhook.call(ctx);
			const refused = elapsedMs(start);
			start = process.hrtime.bigint();
			createHmac('sha256', testCase.secret).update(rawBody).digest();
			const hmac = elapsedMs(start);
			if (i < 2) continue; // two warm-up rounds
			refuseTimes.push(refused);
			hmacTimes.push(hmac);
		}
		if (statuses.some((status) => status !== 401)) throw new Error(`${testCase.provider}: a forged delivery was not refused with 401`);
		const refuse = median(refuseTimes);
		const hmac = median(hmacTimes);
		const ratio = refuse / hmac;
		report(
			`forgery ${testCase.provider.padEnd(8)} 16 MiB: refused in ${refuse.toFixed(2).padStart(7)} ms vs one HMAC ${hmac.toFixed(2).padStart(6)} ms = ${ratio.toFixed(2)}× (target ≤ ${FORGERY_TARGET}×)`,
			ratio <= FORGERY_TARGET,
		);
	}
}

if (require.main === module) void benchForgery((line) => process.stdout.write(`${line}\n`));
