/* eslint-disable @n8n/community-nodes/no-restricted-globals -- Node-side code (tests, emulators, scripts), never loaded by n8n */
/**
 * The triggers under load and churn in a real n8n (started by the shared global setup):
 * - 20 publish/unpublish cycles per API-registered trigger → no leaked, no duplicate webhooks;
 * - 1 000 validly signed deliveries, 20 at a time, spread over the five triggers → exactly 1 000
 *   executions with the right items and no non-2xx answer;
 * - none of the secrets used appears in any item (n8n's log is checked in global teardown).
 */
import { randomUUID } from 'crypto';

import type { N8nRest } from '../../scripts/lib/rest';
import { sampleBody, send, signDelivery, type SignedDelivery } from '../../scripts/lib/samples';
import { createTriggerWorkflow, Emulators, secretFields, triggerSetups, type TriggerSetup } from '../../scripts/lib/setups';
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
	recordSecrets(...emulators.cint.tokens.keys());
	await emulators.stop();
});

describe.each(setups.filter((setup) => setup.registrations))('$provider publish/unpublish churn', (setup) => {
	it(`leaks and duplicates no remote webhook over ${CYCLES} cycles`, async () => {
		const { workflowId, url } = await createTriggerWorkflow(rest, setup, `churn ${setup.provider} ${randomUUID().slice(0, 8)}`);
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
		process.stdout.write(`churn ${setup.provider}: ${CYCLES} cycles, ${leaked} leaked, ${duplicates} duplicate registrations\n`);
		expect([leaked, duplicates]).toEqual([0, 0]);
	});
});

/** A delivery with its own event id, so every one must become its own item. */
function uniqueDelivery(setup: TriggerSetup, url: string, index: number): { delivery: SignedDelivery; eventId: string } {
	const body = JSON.parse(sampleBody(setup.provider, setup.event));
	const id = `${randomUUID()}-${index}`;
	switch (setup.provider) {
		case 'prolific':
			// Distinct events differ in their signed bytes; identical bytes in one second are a replay.
			body.resource_id = id;
			return { delivery: signDelivery('prolific', url, JSON.stringify(body), setup.secret(url), id), eventId: id };
		case 'cint':
			body.id = id;
			return { delivery: signDelivery('cint', url, JSON.stringify(body), setup.secret(url)), eventId: id };
		case 'screeb':
			body.event_id = id;
			return { delivery: signDelivery('screeb', url, JSON.stringify(body), setup.secret(url)), eventId: id };
		case 'refiner':
			body.response.uuid = id;
			return { delivery: signDelivery('refiner', url, JSON.stringify(body), setup.secret(url)), eventId: `${id}:${body.triggered_event}` };
		default:
			body.session_id = id;
			return { delivery: signDelivery('poltio', url, JSON.stringify(body), setup.secret(url)), eventId: `${id}:complete` };
	}
}

it(`turns ${DELIVERIES} deliveries at concurrency ${CONCURRENCY} into exactly ${DELIVERIES} executions`, async () => {
	const targets = await Promise.all(
		setups.map(async (setup) => {
			const created = await createTriggerWorkflow(rest, setup, `load ${setup.provider} ${randomUUID().slice(0, 8)}`);
			await rest.publish(created.workflowId);
			recordSecrets(setup.secret(created.url));
			return { setup, ...created, sent: new Set<string>() };
		}),
	);
	const jobs = Array.from({ length: DELIVERIES }, (_, index) => {
		const target = targets[index % targets.length];
		const { delivery, eventId } = uniqueDelivery(target.setup, target.url, index);
		target.sent.add(eventId);
		return delivery;
	});
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
	process.stdout.write(`load: sent ${statuses.length} in ${sendSeconds.toFixed(1)} s, ${non2xx} non-2xx (${[...new Set(statuses)].join(', ')})\n`);

	let executed = 0;
	for (const target of targets) {
		let seen = 0;
		const executions = await eventually(async () => {
			const all = await rest.executions(target.workflowId);
			const done = all.filter((e) => e.status === 'success');
			seen = all.length;
			return done.length >= target.sent.size ? done : undefined;
		}, 120_000, `${target.setup.provider} executions`).catch((error: Error) => {
			throw new Error(`${error.message} (${seen} executions of ${target.sent.size})`);
		});
		const items = (
			await Promise.all(executions.map((execution) => nodeOutput(rest, execution.id, 'Trigger')))
		).flat();
		expect(items).toHaveLength(target.sent.size);
		expect(new Set(items.map((item) => item.eventId))).toEqual(target.sent);
		expect(items.every((item) => item.provider === target.setup.provider && item.eventType === target.setup.event)).toBe(true);
		expect(leakedSecrets(JSON.stringify(items))).toEqual([]);
		executed += executions.length;
		await rest.unpublish(target.workflowId);
	}
	process.stdout.write(
		`load: ${statuses.length} deliveries in ${sendSeconds.toFixed(1)} s (${(statuses.length / sendSeconds).toFixed(0)}/s), ${non2xx} non-2xx, ${executed} executions\n`,
	);
	expect(statuses).toHaveLength(DELIVERIES);
	expect(non2xx).toBe(0);
	expect(executed).toBe(DELIVERIES);
});
