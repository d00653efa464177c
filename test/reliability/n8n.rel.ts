/* eslint-disable @n8n/community-nodes/no-restricted-globals -- Node-side code (tests, emulators, scripts), never loaded by n8n */
/**
 * The triggers under load and churn in a real n8n (started by the shared global setup):
 * - 20 publish/unpublish cycles per API-registered trigger → no leaked, no duplicate webhooks;
 * - 1 000 distinct events, each delivered twice as a provider retries (the second copy signed again
 *   at another time; half of them right after, half interleaved with other events), 20 requests at
 *   a time, spread over the five triggers → exactly 1 000 executions (one per event) with the right
 *   items and no non-2xx answer;
 * - verified bodies of up to 16 MiB whose every list item misfits (the most zod issues per byte),
 *   to every trigger that has such a list: each answered 200 and run once, n8n stays up and runs
 *   the next event;
 * - none of the secrets used appears in any item (n8n's log is checked in global teardown).
 */
import { randomUUID } from 'crypto';

import { setAt } from '../../scripts/lib/json-tree';
import { nowSeconds } from '../../scripts/lib/provider-signing';
import { providerEntry, PROVIDERS } from '../../scripts/lib/providers';
import type { N8nRest } from '../../scripts/lib/rest';
import { sampleBody, send, signDelivery, type SignedDelivery } from '../../scripts/lib/samples';
import {
	createTriggerWorkflow,
	Emulators,
	secretFields,
	triggerSetups,
	type TriggerSetup,
} from '../../scripts/lib/setups';
import { eventually, leakedSecrets, nodeOutput, recordSecrets, signedInRest } from '../e2e/n8n';

const CYCLES = 20;
const DELIVERIES = 1_000;
const CONCURRENCY = 20;

let rest: N8nRest;
const emulators = new Emulators();
const setups = triggerSetups(emulators);

beforeAll(async () => {
	rest = await signedInRest();
	await emulators.start();
	for (const setup of setups) recordSecrets(...secretFields(setup));
});
afterAll(async () => {
	recordSecrets(...emulators.issuedSecrets());
	await emulators.stop();
});

describe.each(setups.filter((setup) => setup.registrations))(
	'$provider publish/unpublish churn',
	(setup) => {
		it(`leaks and duplicates no remote webhook over ${CYCLES} cycles`, async () => {
			const { workflowId, url } = await createTriggerWorkflow(
				rest,
				setup,
				`churn ${setup.provider} ${randomUUID().slice(0, 8)}`,
				[],
				{},
				// Refusals here are counted as no run: problem reports (their own suite) stay off.
				{ reportProblems: false },
			);
			let duplicates = 0;
			for (let cycle = 0; cycle < CYCLES; cycle++) {
				await rest.publish(workflowId);
				const registered = setup.registrations!(url);
				if (registered > setup.registrationsPerWorkflow!) duplicates++;
				expect(registered).toBe(setup.registrationsPerWorkflow);
				recordSecrets(setup.secret(url));
				await rest.unpublish(workflowId);
				await eventually(() => setup.registrations!(url) === 0, 15_000, 'removal');
			}
			const leaked = setup.registrations!(url);
			process.stdout.write(
				`churn ${setup.provider}: ${CYCLES} cycles, ${leaked} leaked, ${duplicates} duplicate registrations\n`,
			);
			expect([leaked, duplicates]).toEqual([0, 0]);
		});
	},
);

/**
 * One event of its own (its id where the provider carries it, and bytes of its own), delivered
 * twice: as first sent and as the provider's retry, signed again a second earlier.
 */
function eventDeliveredTwice(
	setup: TriggerSetup,
	url: string,
	index: number,
): { copies: [SignedDelivery, SignedDelivery]; id: string } {
	const entry = providerEntry(setup.provider);
	const body = JSON.parse(sampleBody(setup.provider, setup.event));
	const id = `${randomUUID()}-${index}`;
	entry.pad(body, id);
	if (entry.eventIdAt !== 'beside the body')
		for (const path of entry.eventIdAt) setAt(body, path, id);
	const text = JSON.stringify(body);
	const now = Number(nowSeconds());
	const copy = (sentAt: number) =>
		signDelivery(setup.provider, url, text, setup.secret(url), id, String(sentAt));
	return { copies: [copy(now), copy(now - 1)], id };
}

it(`turns ${DELIVERIES} events, each delivered twice, at concurrency ${CONCURRENCY} into exactly ${DELIVERIES} executions`, async () => {
	const targets = await Promise.all(
		setups.map(async (setup) => {
			const created = await createTriggerWorkflow(
				rest,
				setup,
				`load ${setup.provider} ${randomUUID().slice(0, 8)}`,
				[],
				{},
				// Refusals here are counted as no run: problem reports (their own suite) stay off.
				{ reportProblems: false },
			);
			await rest.publish(created.workflowId);
			recordSecrets(setup.secret(created.url));
			return { setup, ...created, sent: new Set<string>() };
		}),
	);
	const events = Array.from({ length: DELIVERIES }, (_, index) => {
		const target = targets[index % targets.length];
		const { copies, id } = eventDeliveredTwice(target.setup, target.url, index);
		target.sent.add(id);
		return copies;
	});
	// The first half: each retry right after its event; the second half: all events, then all retries.
	const half = events.slice(DELIVERIES / 2);
	const jobs = [
		...events.slice(0, DELIVERIES / 2).flat(),
		...half.map(([first]) => first),
		...half.map(([, retry]) => retry),
	];
	const started = Date.now();
	const statuses: number[] = [];
	let next = 0;
	await Promise.all(
		Array.from({ length: CONCURRENCY }, async () => {
			while (next < jobs.length && Date.now() - started < 240_000) {
				const job = jobs[next++];
				statuses.push((await send(job)).status);
			}
		}),
	);
	const sendSeconds = (Date.now() - started) / 1000;
	const non2xx = statuses.filter((status) => status < 200 || status >= 300).length;
	process.stdout.write(
		`load: sent ${statuses.length} in ${sendSeconds.toFixed(1)} s, ${non2xx} non-2xx (${[...new Set(statuses)].join(', ')})\n`,
	);

	let executed = 0;
	for (const target of targets) {
		let seen = 0;
		const executions = await eventually(
			async () => {
				const all = await rest.executions(target.workflowId);
				const done = all.filter((e) => e.status === 'success');
				seen = all.length;
				return done.length >= target.sent.size ? done : undefined;
			},
			120_000,
			`${target.setup.provider} executions`,
		).catch((error: Error) => {
			throw new Error(`${error.message} (${seen} executions of ${target.sent.size})`);
		});
		const items = (
			await Promise.all(executions.map((execution) => nodeOutput(rest, execution.id, 'Trigger')))
		).flat();
		expect(items).toHaveLength(target.sent.size);
		// Each event once: its id is the provider's, or starts with it (Poltio's state, Refiner's body hash).
		expect(new Set(items.map((item) => String(item.eventId).split(':')[0]))).toEqual(target.sent);
		expect(new Set(items.map((item) => item.dedupeKey)).size).toBe(target.sent.size);
		expect(
			items.every(
				(item) => item.provider === target.setup.provider && item.eventType === target.setup.event,
			),
		).toBe(true);
		expect(leakedSecrets(JSON.stringify(items))).toEqual([]);
		executed += executions.length;
		await rest.unpublish(target.workflowId);
	}
	process.stdout.write(
		`load: ${statuses.length} deliveries of ${DELIVERIES} events in ${sendSeconds.toFixed(1)} s (${(statuses.length / sendSeconds).toFixed(0)}/s), ${non2xx} non-2xx, ${executed} executions\n`,
	);
	expect(statuses).toHaveLength(2 * DELIVERIES);
	expect(non2xx).toBe(0);
	expect(executed).toBe(DELIVERIES);
});

describe.each(PROVIDERS.filter((entry) => entry.misfitItems))(
	'verified $provider bodies whose every list item misfits, up to 16 MiB',
	(entry) => {
		it('are each run once, and n8n stays up and runs the next event', async () => {
			const setup = setups.find((candidate) => candidate.provider === entry.provider)!;
			const { workflowId, url } = await createTriggerWorkflow(
				rest,
				setup,
				`odd bodies ${setup.provider} ${randomUUID().slice(0, 8)}`,
				[],
				{},
				// Refusals here are counted as no run: problem reports (their own suite) stay off.
				{ reportProblems: false },
			);
			await rest.publish(workflowId);
			const secret = setup.secret(url);
			recordSecrets(secret);
			// n8n answers 413 above 16 MiB; the largest body stays just below it.
			const sizes = [2 ** 20, 4 * 2 ** 20, 16 * 2 ** 20 - 4096];
			const started = Date.now();
			for (const [index, bytes] of sizes.entries()) {
				const event = JSON.parse(sampleBody(entry.provider, entry.event));
				entry.pad(event, `odd body ${index}`);
				const base = Buffer.byteLength(JSON.stringify(event));
				entry.misfitItems!(event, Math.floor((bytes - base) / 2), () => true);
				const body = JSON.stringify(event);
				expect(Buffer.byteLength(body)).toBeLessThanOrEqual(16 * 2 ** 20);
				const answer = await send(signDelivery(entry.provider, url, body, secret));
				expect(answer.status).toBe(200);
			}
			// A normal event after them still runs.
			const after = JSON.parse(sampleBody(entry.provider, entry.event));
			entry.pad(after, 'after the odd bodies');
			const normal = await send(signDelivery(entry.provider, url, JSON.stringify(after), secret));
			expect(normal.status).toBe(200);
			const executions = await eventually(
				async () => {
					const all = await rest.executions(workflowId);
					return all.filter((e) => e.status === 'success').length >= sizes.length + 1
						? all
						: undefined;
				},
				180_000,
				`${entry.provider} odd-body executions`,
			);
			expect(executions).toHaveLength(sizes.length + 1);
			process.stdout.write(
				`odd bodies ${entry.provider}: ${sizes.map((bytes) => `${(bytes / 2 ** 20).toFixed(1)} MiB`).join(', ')} every list item misfitting → ${executions.length} executions (with the normal event after them) in ${((Date.now() - started) / 1000).toFixed(1)} s; n8n up\n`,
			);
			await rest.unpublish(workflowId);
		});
	},
);
