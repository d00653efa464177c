/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-hardcoded-secrets -- Node-side code (tests, emulators, scripts), never loaded by n8n */
/**
 * In a real n8n: throughput and median latency of a published workflow starting with the Prolific
 * Trigger versus the same workflow starting with n8n's own Webhook node (header auth), on the same
 * instance and settings, in interleaved rounds on loopback. Throughput counts a round as done
 * when all its executions have finished, so neither side leaves a backlog for the other.
 */
import { randomUUID } from 'crypto';

import type { N8nRest } from '../lib/rest';
import { sampleBody, signDelivery, type SignedDelivery } from '../lib/samples';
import { createTriggerWorkflow, triggerSetups } from '../lib/setups';
import { withRealN8n } from './real-n8n';

export const THROUGHPUT_TARGET = 0.95;
const ROUNDS = 3;
const PER_ROUND = 300;
const CONCURRENCY = 10;

const median = (values: number[]) =>
	[...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function round(
	rest: N8nRest,
	workflowId: string,
	makeRequest: (i: number) => SignedDelivery,
) {
	const before = await rest.countExecutions(workflowId);
	const latencies: number[] = [];
	let failures = 0;
	let next = 0;
	const started = performance.now();
	await Promise.all(
		Array.from({ length: CONCURRENCY }, async () => {
			while (next < PER_ROUND && performance.now() - started < 60_000) {
				const request = makeRequest(next++);
				const sent = performance.now();
				const response = await fetch(request.url, {
					method: 'POST',
					headers: request.headers,
					body: request.body,
				});
				await response.arrayBuffer();
				latencies.push(performance.now() - sent);
				if (response.status !== 200) failures++;
			}
		}),
	);
	while (
		performance.now() - started < 120_000 &&
		(await rest.countExecutions(workflowId)) < before + PER_ROUND
	) {
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	const seconds = (performance.now() - started) / 1000;
	return { throughput: latencies.length / seconds, latency: median(latencies), failures };
}

export async function benchN8nThroughput(report: (line: string, ok: boolean) => void) {
	await withRealN8n({ N8N_EXPRESSION_ENGINE: 'legacy' }, async ({ rest, emulators }) => {
		const setup = triggerSetups(emulators)[0];
		const ours = await createTriggerWorkflow(rest, setup, 'bench: Prolific Trigger');
		await rest.publish(ours.workflowId);
		const secret = setup.secret(ours.url);
		const body = sampleBody('prolific', 'submission.status.change');

		const headerAuth = await rest.createCredential('bench header auth', 'httpHeaderAuth', {
			name: 'X-Webhook-Token',
			value: 'bench-token-0123456789',
		});
		const webhookPath = randomUUID();
		const theirs = await rest.createWorkflow({
			name: 'bench: Webhook node',
			nodes: [
				{
					id: randomUUID(),
					name: 'Webhook',
					type: 'n8n-nodes-base.webhook',
					typeVersion: 2,
					position: [0, 0],
					webhookId: webhookPath,
					parameters: {
						httpMethod: 'POST',
						path: webhookPath,
						authentication: 'headerAuth',
						responseMode: 'onReceived',
						options: {},
					},
					credentials: { httpHeaderAuth: { id: headerAuth.id, name: 'bench header auth' } },
				},
			],
			connections: {},
		});
		await rest.publish(theirs.id);
		const webhookUrl = `${rest.url}/webhook/${webhookPath}`;

		// Every delivery a distinct event of the same size (a provider never signs the same bytes
		// twice inside the window; the trigger refuses such replays).
		let sent = 0;
		const distinctBody = () => body.replace('64f0c0ffee', (++sent).toString(16).padStart(10, '0'));
		const ourRequest = (i: number) =>
			signDelivery('prolific', ours.url, distinctBody(), secret, `bench-${i}-${randomUUID()}`);
		const theirRequest = (): SignedDelivery => ({
			url: webhookUrl,
			body,
			headers: { 'content-type': 'application/json', 'x-webhook-token': 'bench-token-0123456789' },
		});
		await round(rest, ours.workflowId, ourRequest); // warm-up, both sides
		await round(rest, theirs.id, theirRequest);

		const oursResults = [];
		const theirsResults = [];
		for (let i = 0; i < ROUNDS; i++) {
			oursResults.push(await round(rest, ours.workflowId, ourRequest));
			theirsResults.push(await round(rest, theirs.id, theirRequest));
		}
		const failures = [...oursResults, ...theirsResults].reduce((sum, r) => sum + r.failures, 0);
		const ourThroughput = median(oursResults.map((r) => r.throughput));
		const theirThroughput = median(theirsResults.map((r) => r.throughput));
		const ratio = ourThroughput / theirThroughput;
		report(
			`n8n ${ROUNDS}×${PER_ROUND} deliveries each, concurrency ${CONCURRENCY}: Prolific Trigger ${ourThroughput.toFixed(1)}/s (median latency ${median(oursResults.map((r) => r.latency)).toFixed(1)} ms) vs Webhook node with header auth ${theirThroughput.toFixed(1)}/s (${median(theirsResults.map((r) => r.latency)).toFixed(1)} ms) = ${ratio.toFixed(2)}× (target ≥ ${THROUGHPUT_TARGET}), ${failures} non-200`,
			ratio >= THROUGHPUT_TARGET && failures === 0,
		);
	});
}

if (require.main === module) void benchN8nThroughput((line) => process.stdout.write(`${line}\n`));
