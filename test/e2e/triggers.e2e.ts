/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- Node-side code (tests, emulators, scripts), never loaded by n8n */
/**
 * Every trigger in a real n8n (2.41.1) with the packed package installed: registration with the
 * provider emulators, signed deliveries becoming exactly one execution with the documented item,
 * refusals (401/400/422) and ignored events (200) without executions, unpublish/republish without
 * leftovers or duplicates, one execution per event however often it is sent, Remove Duplicates on dedupeKey, and the event types a provider lists.
 */
import { randomUUID } from 'crypto';
import { readFileSync } from 'fs';

import type { PoltioEmulator } from '../../scripts/lib/emulators/poltio';
import type { ProlificEmulator } from '../../scripts/lib/emulators/prolific';
import { PROVIDERS, providerEntry } from '../../scripts/lib/providers';
import { signDelivery, sampleBody, send } from '../../scripts/lib/samples';
import { nowSeconds } from '../../scripts/lib/provider-signing';
import { stringsIn } from '../../scripts/lib/json-tree';
import type { N8nRest } from '../../scripts/lib/rest';
import {
	createTriggerWorkflow,
	Emulators,
	noOpNode,
	removeDuplicatesNode,
	secretFields,
	triggerSetups,
	type TriggerSetup,
} from '../../scripts/lib/setups';
import {
	binaryOutput,
	e2eState,
	eventually,
	leakedSecrets,
	nodeOutput,
	nodesRun,
	recordSecrets,
	signedInRest,
} from './n8n';

let rest: N8nRest;
const emulators = new Emulators();
const setups = triggerSetups(emulators);

beforeAll(async () => {
	rest = await signedInRest();
	await emulators.start();
});
afterAll(async () => {
	recordSecrets(...emulators.issuedSecrets());
	await emulators.stop();
});

/** The documented simplified item of each setup's sample event (README, unit tests), from the registry. */
const EXPECTED: Record<string, Record<string, unknown>> = Object.fromEntries(
	PROVIDERS.map(({ provider, sampleItem }) => [
		provider,
		{
			...sampleItem.exact,
			...Object.fromEntries(
				Object.entries(sampleItem.contains ?? {}).map(([key, value]) => [
					key,
					expect.objectContaining(value),
				]),
			),
		},
	]),
);

const createTrigger = (
	setup: TriggerSetup,
	extraNodes: unknown[] = [],
	connections: Record<string, unknown> = {},
) =>
	createTriggerWorkflow(
		rest,
		setup,
		`${setup.provider} e2e ${randomUUID().slice(0, 8)}`,
		extraNodes,
		connections,
		// These scenarios count runs: a refusal starts none. Problem reports have their own tests.
		{ reportProblems: false },
	);

const executionsOf = async (workflowId: string) =>
	(await rest.executions(workflowId)).filter((e) => e.status !== 'running' && e.status !== 'new');

/** The finished runs of a workflow, newest first, once there are at least `atLeast`. */
const finishedRuns = (workflowId: string, what: string, atLeast = 1, ms = 20_000) =>
	eventually(
		async () => {
			const done = await executionsOf(workflowId);
			return done.length >= atLeast ? done : undefined;
		},
		ms,
		what,
	);

describe.each(setups)('$provider trigger in n8n', (scenario) => {
	it('registers, receives, refuses, ignores, unpublishes and republishes cleanly', async () => {
		const { workflowId, url } = await createTrigger(scenario);
		await rest.publish(workflowId);

		if (scenario.registrations)
			expect(scenario.registrations(url)).toBe(scenario.registrationsPerWorkflow);

		const secret = scenario.secret(url);
		recordSecrets(secret, ...secretFields(scenario));
		const valid = signDelivery(
			scenario.provider,
			url,
			sampleBody(scenario.provider, scenario.event),
			secret,
		);
		expect((await send(valid)).status).toBe(200);
		const [execution] = await finishedRuns(workflowId, `${scenario.provider} execution`, 1, 20_000);
		const [item] = await nodeOutput(rest, execution.id, 'Trigger');
		expect(item).toEqual(
			expect.objectContaining({
				...EXPECTED[scenario.provider],
				receivedAt: expect.stringMatching(/^20\d\d-/),
			}),
		);
		expect(leakedSecrets(JSON.stringify(item))).toEqual([]);

		if (providerEntry(scenario.provider).covers.time) {
			// The same signed request again (a replay inside the timestamp window): no second execution.
			expect((await send(valid)).status).toBe(200);
		}
		const forged = signDelivery(scenario.provider, url, valid.body, `${secret}-forged`);
		expect((await send(forged)).status).toBe(401);
		expect(
			(await send({ url, body: valid.body, headers: { 'content-type': 'application/json' } }))
				.status,
		).toBe(401);
		const unselected = signDelivery(
			scenario.provider,
			url,
			sampleBody(scenario.provider, scenario.unselected),
			secret,
		);
		expect((await send(unselected)).status).toBe(200);
		const malformed = signDelivery(scenario.provider, url, '{"not json', secret);
		expect(
			(
				await send({
					...malformed,
					headers: { ...malformed.headers, 'content-type': 'text/plain' },
				})
			).status,
		).toBe(400);
		expect((await send(malformed)).status).toBe(422);

		await new Promise((resolve) => setTimeout(resolve, 1500));
		expect(await executionsOf(workflowId)).toHaveLength(1);

		await rest.unpublish(workflowId);
		if (scenario.registrations)
			await eventually(() => scenario.registrations!(url) === 0, 15_000, 'remote webhook removal');
		await eventually(
			async () => (await send(valid)).status === 404,
			15_000,
			'production URL to answer 404',
		);

		await rest.publish(workflowId);
		if (scenario.registrations)
			expect(scenario.registrations(url)).toBe(scenario.registrationsPerWorkflow);
		await rest.unpublish(workflowId);
		if (scenario.registrations)
			await eventually(() => scenario.registrations!(url) === 0, 15_000, 'remote webhook removal');
	});
});

/** One key of n8n's public API for the suite (n8n 1.x refuses a second key created soon after the first). */
let apiKey: Promise<string> | undefined;
const publicApiKey = () =>
	(apiKey ??= rest.createApiKey(['workflow:read']).then((key) => {
		recordSecrets(key);
		return key;
	}));

describe.each(setups.filter((setup) => setup.registrations))(
	"$provider trigger: the workflow as n8n's public API shows it",
	(scenario) => {
		it('holds nothing that forges a delivery: every string of its static data is refused as the secret or token', async () => {
			const { workflowId, url } = await createTrigger(scenario);
			await rest.publish(workflowId);
			const apiKey = await publicApiKey();
			const workflow = await rest.publicWorkflow(apiKey, workflowId);
			const strings = stringsIn(workflow.staticData);
			expect(strings.length).toBeGreaterThan(2);
			const secret = scenario.secret(url);
			expect(strings).not.toContain(secret);
			const body = sampleBody(scenario.provider, scenario.event);
			for (const candidate of strings)
				expect([
					candidate,
					(await send(signDelivery(scenario.provider, url, body, candidate))).status,
				]).toEqual([candidate, 401]);
			expect((await send(signDelivery(scenario.provider, url, body, secret))).status).toBe(200);
			await eventually(
				async () => ((await executionsOf(workflowId)).length === 1 ? true : undefined),
				20_000,
				`${scenario.provider} execution`,
			);
			await rest.unpublish(workflowId);
		});
	},
);

it('Screeb Trigger: an answer to a question titled "constructor" reaches the workflow as answers.constructor_', async () => {
	const scenario = setups.find((setup) => setup.provider === 'screeb')!;
	const { workflowId, url } = await createTrigger(scenario);
	await rest.publish(workflowId);
	const event = JSON.parse(sampleBody('screeb', scenario.event));
	const titles = ['constructor', '__proto__', 'prototype', 'constructor_'];
	event.payload.response.items = titles.map((title, index) => ({
		question: { id: `q${index}`, type: 'text', title },
		answer: {
			fields: [
				{ id: `f${index}`, type: 'text', value: `answer ${index}`, text: `answer ${index}` },
			],
		},
	}));
	expect(
		(await send(signDelivery('screeb', url, JSON.stringify(event), scenario.secret(url)))).status,
	).toBe(200);
	const [execution] = await finishedRuns(workflowId, 'screeb execution', 1, 20_000);
	// Read back through n8n: what the workflow's next node and the stored execution see.
	const [item] = await nodeOutput(rest, execution.id, 'Trigger');
	expect(item.answers).toEqual({
		constructor_: 'answer 0',
		__proto___: 'answer 1',
		prototype_: 'answer 2',
		constructor__: 'answer 3',
	});
	await rest.unpublish(workflowId);
});

/** Sends three deliveries of one Prolific event, each signed again at its own time as Prolific's retries are. */
async function sendThreeRetries(scenario: TriggerSetup, url: string, eventId: string) {
	const body = sampleBody('prolific', 'submission.status.change');
	const firstSent = Number(nowSeconds()) - 3;
	for (let attempt = 1; attempt <= 3; attempt++) {
		expect(
			(
				await send(
					signDelivery(
						'prolific',
						url,
						body,
						scenario.secret(url),
						eventId,
						String(firstSent + attempt),
					),
				)
			).status,
		).toBe(200);
	}
}

it("Prolific Trigger: three deliveries of one event (Prolific's retries, each signed again) start one execution", async () => {
	const scenario = setups[0];
	const { workflowId, url } = await createTrigger(scenario);
	await rest.publish(workflowId);
	const eventId = randomUUID();
	await sendThreeRetries(scenario, url, eventId);
	const [execution] = await finishedRuns(workflowId, 'the execution', 1, 20_000);
	await new Promise((resolve) => setTimeout(resolve, 1500));
	expect(await executionsOf(workflowId)).toHaveLength(1);
	expect((await nodeOutput(rest, execution.id, 'Trigger'))[0]).toMatchObject({
		eventId,
		dedupeKey: expect.stringMatching(/^[0-9a-f]{64}$/),
	});
	await rest.unpublish(workflowId);
});

it('Prolific Trigger (Run Every Retry) → Remove Duplicates on dedupeKey passes one of three deliveries of the same event', async () => {
	const scenario = {
		...setups[0],
		parameters: () => ({ ...setups[0].parameters(), options: { runEveryRetry: true } }),
	};
	const { workflowId, url } = await createTrigger(
		scenario,
		[removeDuplicatesNode('={{ $json.dedupeKey }}')],
		{ Trigger: { main: [[{ node: 'Remove Duplicates', type: 'main', index: 0 }]] } },
	);
	await rest.publish(workflowId);
	const eventId = randomUUID();
	await sendThreeRetries(scenario, url, eventId);
	const executions = await eventually(
		async () => {
			const done = await executionsOf(workflowId);
			return done.length === 3 ? done : undefined;
		},
		30_000,
		'three executions',
	);
	const passed = await Promise.all(
		executions.map((execution) => nodeOutput(rest, execution.id, 'Remove Duplicates')),
	);
	expect(passed.flat()).toHaveLength(1);
	expect(passed.flat()[0]).toMatchObject({ eventId });
	await rest.unpublish(workflowId);
});

describe.each(setups.filter((setup) => providerEntry(setup.provider).listedEvent))(
	'$provider trigger: an event type the provider lists beyond the built-in ones',
	(scenario) => {
		it('is offered by the Events parameter, subscribed to on publish, and runs', async () => {
			const listed = providerEntry(scenario.provider).listedEvent!;
			const credentialName = `${scenario.provider} listed ${randomUUID().slice(0, 8)}`;
			const credential = {
				id: (
					await rest.createCredential(
						credentialName,
						scenario.credentialType,
						scenario.credential(),
					)
				).id,
				name: credentialName,
			};
			const options = await rest.loadOptions(
				`n8n-nodes-survey-triggers.${scenario.node}`,
				'events',
				listed.loadOptionsMethod,
				scenario.parameters(),
				{
					[scenario.credentialType]: credential,
				},
			);
			expect(options.map((option) => option.value)).toEqual(
				expect.arrayContaining([scenario.event, listed.event]),
			);
			const selected = {
				...scenario,
				parameters: () => ({ ...scenario.parameters(), events: [scenario.event, listed.event] }),
			};
			const { workflowId, url } = await createTriggerWorkflow(
				rest,
				selected,
				credentialName,
				[],
				{},
				{ credential, reportProblems: false },
			);
			await rest.publish(workflowId);
			expect(
				(
					await send(
						signDelivery(scenario.provider, url, JSON.stringify(listed.body), scenario.secret(url)),
					)
				).status,
			).toBe(200);
			const [execution] = await finishedRuns(
				workflowId,
				`${scenario.provider} execution of ${listed.event}`,
				1,
				20_000,
			);
			const [item] = await nodeOutput(rest, execution.id, 'Trigger');
			expect(item).toMatchObject(listed.item);
			expect(item.warnings).toBeUndefined();
			await rest.unpublish(workflowId);
		});
	},
);

it('Poltio Trigger registers the token as a path segment where Poltio drops query strings, and n8n routes it', async () => {
	const scenario = setups.find((setup) => setup.provider === 'poltio')!;
	const poltio = emulators.of<PoltioEmulator>('poltio')!;
	poltio.stripQueryStrings = true;
	try {
		const { workflowId, url } = await createTrigger(scenario);
		const webhookId = url.split('/').slice(-2)[0];
		const ours = () => [...poltio.hooks.values()].filter((hook) => hook.url.includes(webhookId));
		await rest.publish(workflowId);
		const [hook] = ours();
		expect(ours()).toHaveLength(1);
		// n8n's URL of a dynamic webhook with isFullPath: <base>/<webhookId>/<path>, here <webhookId>/<token>.
		const token = hook.url.split('/').pop()!;
		recordSecrets(token);
		expect(hook.url).toBe(`${rest.url}/webhook/${webhookId}/${webhookId}/${token}`);

		const body = sampleBody('poltio', 'session.completed');
		expect(
			(await send({ url: hook.url, body, headers: { 'content-type': 'application/json' } })).status,
		).toBe(200);
		const [execution] = await finishedRuns(
			workflowId,
			'poltio execution through the path token',
			1,
			20_000,
		);
		expect((await nodeOutput(rest, execution.id, 'Trigger'))[0]).toEqual(
			expect.objectContaining(EXPECTED.poltio),
		);
		const forged = await send({
			url: hook.url.replace(token, `${token.slice(0, -2)}xx`),
			body,
			headers: { 'content-type': 'application/json' },
		});
		expect(forged.status).toBe(401);

		await rest.unpublish(workflowId);
		await eventually(() => ours().length === 0, 15_000, 'remote webhook removal');
	} finally {
		poltio.stripQueryStrings = false;
	}
});

describe.each(setups)('$provider trigger, "Listen for test event"', (scenario) => {
	it('registers the test URL, takes one delivery, then cleans up', async () => {
		const { workflowId, url } = await createTrigger(scenario);
		const testUrl = url.replace('/webhook/', '/webhook-test/');
		const started = await rest.listenForTestEvent(workflowId, 'Trigger');
		expect(started).toMatchObject({ waitingForWebhook: true });
		if (scenario.registrations) {
			expect(scenario.registrations(testUrl)).toBe(scenario.registrationsPerWorkflow);
			expect(scenario.registrations(url)).toBe(0);
		}
		const delivery = signDelivery(
			scenario.provider,
			testUrl,
			sampleBody(scenario.provider, scenario.event),
			scenario.secret(testUrl),
		);
		recordSecrets(scenario.secret(testUrl));
		expect((await send(delivery)).status).toBe(200);
		if (scenario.registrations)
			await eventually(
				() => scenario.registrations!(testUrl) === 0,
				15_000,
				'test registration to be removed',
			);
		const [execution] = await finishedRuns(workflowId, 'the test execution', 1, 20_000);
		expect((await nodeOutput(rest, execution.id, 'Trigger'))[0]).toMatchObject({
			provider: scenario.provider,
			eventType: EXPECTED[scenario.provider].eventType,
		});
		await eventually(
			async () => (await send(delivery)).status === 404,
			15_000,
			'the test URL to close',
		);
	});
});

describe.each(setups)('$provider trigger, listening for a test event', (scenario) => {
	it('keeps listening through an unselected event and its resend; a forged delivery shows on Problems only; the selected event runs the next node once', async () => {
		const { workflowId, url } = await createTriggerWorkflow(
			rest,
			scenario,
			`${scenario.provider} listening ${randomUUID().slice(0, 8)}`,
			[noOpNode()],
			{ Trigger: { main: [[{ node: 'Next', type: 'main', index: 0 }]] } },
		);
		const testUrl = url.replace('/webhook/', '/webhook-test/');
		const runs = () => executionsOf(workflowId);
		const nextRun = async (before: number, what: string) =>
			(
				await eventually(
					async () => {
						const all = await runs();
						return all.length > before ? all : undefined;
					},
					20_000,
					`the test run after ${what}`,
				)
			)[0];
		const stillListening = async (before: number, what: string) => {
			// Nothing ran, and n8n still has the test URL (it answers 404 once listening ends).
			await new Promise((resolve) => setTimeout(resolve, 1500));
			expect([what, (await runs()).length]).toEqual([what, before]);
			if (scenario.registrations) expect(scenario.registrations(testUrl)).toBeGreaterThan(0);
		};
		const listen = async () => {
			expect(await rest.listenForTestEvent(workflowId, 'Trigger')).toMatchObject({
				waitingForWebhook: true,
			});
		};
		const sendNow = async (delivery: ReturnType<typeof signDelivery>) =>
			eventually(
				async () => {
					const status = (await send(delivery)).status;
					return status === 404 ? undefined : status;
				},
				20_000,
				'the test URL',
			);

		await listen();
		const secret = scenario.secret(testUrl);
		recordSecrets(secret);
		const sign = (event: string, key = secret) =>
			signDelivery(scenario.provider, testUrl, sampleBody(scenario.provider, event), key);

		// 1. An event not selected, then the provider's resend of it: 200, nothing runs, n8n keeps listening.
		const unselected = sign(scenario.unselected);
		expect(await sendNow(unselected)).toBe(200);
		await stillListening(0, 'after an unselected event');
		expect(await sendNow(unselected)).toBe(200);
		await stillListening(0, 'after its resend');

		// 2. A forged delivery: 401 to the sender; the test run shows why on Problems, Next does not run.
		expect(await sendNow(sign(scenario.event, `${secret}-wrong`))).toBe(401);
		const refused = await nextRun(0, 'a forged delivery');
		expect(await nodeOutput(rest, refused.id, 'Trigger', 0)).toEqual([]);
		const [problem] = await nodeOutput(rest, refused.id, 'Trigger', 1);
		expect(problem).toMatchObject({
			provider: scenario.provider,
			problem: 'authentication',
			count: 1,
			status: 401,
			message: expect.any(String),
		});
		expect(leakedSecrets(JSON.stringify(problem))).toEqual([]);
		expect(await nodesRun(rest, refused.id)).toEqual(['Trigger']);

		// 3. Listen again: the selected event runs Next once, on it.
		if (scenario.registrations)
			await eventually(
				() => scenario.registrations!(testUrl) === 0,
				15_000,
				'the test URL removed',
			);
		await listen();
		const event = sign(scenario.event, scenario.secret(testUrl));
		recordSecrets(scenario.secret(testUrl));
		expect(await sendNow(event)).toBe(200);
		const ran = await nextRun(1, 'the selected event');
		const [item] = await nodeOutput(rest, ran.id, 'Next');
		expect(item).toMatchObject({
			provider: scenario.provider,
			eventType: EXPECTED[scenario.provider].eventType,
		});
		expect(await nodeOutput(rest, ran.id, 'Next')).toHaveLength(1);
	});
});

it('1 000 forged production deliveries: one problem report and one warn line; after the window the next report and line count them all', async () => {
	const scenario = setups.find((setup) => setup.provider === 'screeb')!;
	// Report Problems is on by default; the shortest window keeps the test to a minute.
	const { workflowId, url } = await createTriggerWorkflow(
		rest,
		{
			...scenario,
			parameters: () => ({ ...scenario.parameters(), options: { problemWindow: 1 } }),
		},
		`screeb e2e ${randomUUID().slice(0, 8)}`,
	);
	await rest.publish(workflowId);
	recordSecrets(scenario.secret(url), ...secretFields(scenario));
	const body = sampleBody('screeb', 'response.ended');
	const forged = signDelivery('screeb', url, body, 'a-guessed-secret-0123456789');
	const lines = () =>
		readFileSync(e2eState().logFile, 'utf8')
			.split('\n')
			.filter((line) => line.includes(`(${workflowId}) refused a delivery`));
	const started = Date.now();
	expect((await send(forged)).status).toBe(401);
	const [report] = await finishedRuns(workflowId, 'the first problem report', 1, 15_000);
	expect(await nodeOutput(rest, report.id, 'Trigger', 0)).toEqual([]);
	expect(await nodeOutput(rest, report.id, 'Trigger', 1)).toEqual([
		expect.objectContaining({
			provider: 'screeb',
			problem: 'authentication',
			count: 1,
			status: 401,
		}),
	]);
	for (let i = 0; i < 1000; i++) expect((await send(forged)).status).toBe(401);
	const first = await eventually(
		() => (lines().length ? lines() : undefined),
		10_000,
		'the first refusal line',
	);
	expect(first).toHaveLength(1);
	expect(first[0]).toMatch(
		/Screeb Trigger "Trigger" in workflow "screeb e2e [0-9a-f]{8}" \(\w+\) refused a delivery with HTTP 401 \(signature does not match\): The signature does not match the secret in credential 'screeb e2e [0-9a-f]{8} credential'\. /,
	);
	expect(first[0]).toContain('(count since the previous line: 1)');
	expect(await executionsOf(workflowId)).toHaveLength(1);
	// Both windows are a minute: the next refusal after them reports and logs the 1 000 held back and itself.
	await new Promise((resolve) => setTimeout(resolve, Math.max(0, started + 61_000 - Date.now())));
	expect((await send(forged)).status).toBe(401);
	const second = await eventually(
		() => (lines().length > 1 ? lines() : undefined),
		10_000,
		'the second refusal line',
	);
	expect(second).toHaveLength(2);
	expect(second[1]).toContain('(count since the previous line: 1001)');
	const reports = await finishedRuns(workflowId, 'the second problem report', 2, 15_000);
	expect(reports).toHaveLength(2);
	const [next] = await nodeOutput(rest, reports[0].id, 'Trigger', 1);
	expect(next).toMatchObject({ problem: 'authentication', count: 1001, reportWindowMinutes: 1 });
	expect(leakedSecrets(JSON.stringify(next) + second.join('\n'))).toEqual([]);
	await rest.unpublish(workflowId);
}, 180_000);

it('a Prolific subscription with failed deliveries: the event runs alone; the count read on publish goes out with the next delivery that runs nothing on Event (a resend)', async () => {
	const scenario = setups.find((setup) => setup.provider === 'prolific')!;
	const prolific = emulators.of<ProlificEmulator>('prolific')!;
	prolific.failedEverywhere = 250;
	try {
		const { workflowId, url } = await createTriggerWorkflow(
			rest,
			scenario,
			`prolific e2e ${randomUUID().slice(0, 8)}`,
		);
		await rest.publish(workflowId);
		recordSecrets(scenario.secret(url));
		const delivery = signDelivery(
			'prolific',
			url,
			sampleBody('prolific', scenario.event),
			scenario.secret(url),
			'evt-failed-before',
		);
		expect((await send(delivery)).status).toBe(200);
		const [run] = await finishedRuns(workflowId, 'the run', 1, 15_000);
		expect(await nodeOutput(rest, run.id, 'Trigger', 0)).toHaveLength(1);
		expect(await nodeOutput(rest, run.id, 'Trigger', 1)).toEqual([]);
		// Prolific's resend of that event (signed anew) runs nothing on Event: the count goes with it.
		const resend = signDelivery(
			'prolific',
			url,
			sampleBody('prolific', scenario.event),
			scenario.secret(url),
			'evt-failed-before',
		);
		expect((await send(resend)).status).toBe(200);
		const [report] = await finishedRuns(workflowId, 'the report run', 2, 15_000);
		expect(await nodeOutput(rest, report.id, 'Trigger', 0)).toEqual([]);
		const subscriptions = scenario.registrationsPerWorkflow ?? 1;
		expect(await nodeOutput(rest, report.id, 'Trigger', 1)).toEqual([
			expect.objectContaining({
				provider: 'prolific',
				problem: 'provider-failures',
				count: 250 * subscriptions,
				message: expect.stringContaining(
					`Prolific reports ${250 * subscriptions} FAILED deliveries`,
				),
			}),
		]);
		await rest.unpublish(workflowId);
	} finally {
		prolific.failedEverywhere = 0;
	}
});

it("publishing with n8n's local URL and Prolific's public API fails at once, naming WEBHOOK_URL, and calls nothing", async () => {
	const scenario = setups.find((setup) => setup.provider === 'prolific')!;
	const publicApi = {
		...scenario,
		credential: () => ({ ...scenario.credential(), baseUrl: 'https://api.prolific.com' }),
	};
	const before = readFileSync(e2eState().proxyLog, 'utf8');
	const { workflowId } = await createTrigger(publicApi);
	await expect(rest.publish(workflowId)).rejects.toThrow(
		/Prolific cannot reach this trigger's webhook URL http:\/\/127\.0\.0\.1:\d+\/webhook\/[^ ]+: its host is this machine \(loopback\)\. Set n8n's WEBHOOK_URL to its public address/,
	);
	// Nothing went out: the recording proxy saw no new attempt.
	expect(readFileSync(e2eState().proxyLog, 'utf8')).toBe(before);
});

it('n8n tried to reach nothing outside this machine', async () => {
	// Control: a credential pointing outside makes n8n try, and the recording proxy must see it. A
	// dotless host, as a local network names a test server, lets the publish pass the reachability
	// check and call out.
	const control = {
		...setups[0],
		credential: () => ({ apiToken: 't', baseUrl: 'http://survey-triggers-control' }),
	};
	const { workflowId } = await createTrigger(control);
	await expect(rest.publish(workflowId)).rejects.toThrow();
	const attempts = readFileSync(e2eState().proxyLog, 'utf8').trim().split('\n').filter(Boolean);
	expect(attempts.some((line) => line.includes('survey-triggers-control'))).toBe(true);
	expect(attempts.filter((line) => !line.includes('survey-triggers-control'))).toEqual([]);
});

/** A CSV file's rows as lists of cells (RFC 4180 quoting, as n8n's Convert to File writes it). */
function csvRows(text: string): string[][] {
	const rows: string[][] = [[]];
	let cell = '';
	let quoted = false;
	const endCell = () => {
		rows[rows.length - 1].push(cell);
		cell = '';
	};
	// n8n starts the file with a byte order mark, for spreadsheet programs.
	const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
	for (let index = start; index < text.length; index++) {
		const char = text[index];
		if (quoted && char === '"' && text[index + 1] === '"') {
			cell += '"';
			index++;
		} else if (char === '"') quoted = !quoted;
		else if (quoted) cell += char;
		else if (char === ',') endCell();
		else if (char === '\n') {
			endCell();
			rows.push([]);
		} else if (char !== '\r') cell += char;
	}
	if (cell || rows[rows.length - 1].length) endCell();
	return rows.filter((row) => row.length > 1 || row[0]);
}

describe.each([
	{
		provider: 'screeb',
		sample: 'response.ended',
		respondent: ['surveyId', 'surveyName', 'respondentId', 'email', 'name', 'anonymousId'],
		questions: {
			'How likely are you to recommend us?': '9',
			'Which features do you use?': 'Dashboards, Exports',
			// A boolean cell, as spreadsheets write it.
			'Would you join a beta?': 'TRUE',
			'How can we improve your experience?': 'The new dashboard is buggy.',
		},
	},
	{
		provider: 'refiner',
		sample: 'completed-survey-columns',
		respondent: ['surveyId', 'surveyName', 'respondentId', 'email', 'name', 'contactUuid'],
		questions: {
			rating: '4',
			plan: 'Pro',
			features: 'Dashboards, Exports',
			anything_else: 'Faster exports, please',
		},
	},
	{
		provider: 'poltio',
		sample: 'session-completed-columns',
		respondent: ['surveyId', 'surveyName', 'respondentId', 'email', 'name', 'contentType'],
		questions: {
			'How would you rate our app?': '4',
			'Which plan are you on?': 'Pro',
			'Which features do you use?': 'Dashboards, Exports',
			'Anything else?': 'Faster exports, please',
		},
	},
])(
	'$provider trigger, Answers as Columns → Convert to File (CSV)',
	({ provider, sample, respondent, questions }) => {
		it('writes a header of the fixed fields, identifiers and question titles, and a row of the answers', async () => {
			const scenario = setups.find((setup) => setup.provider === provider)!;
			const withColumns = {
				...scenario,
				parameters: () => ({ ...scenario.parameters(), answersAsColumns: true }),
			};
			const convert = {
				id: randomUUID(),
				name: 'Convert to File',
				type: 'n8n-nodes-base.convertToFile',
				typeVersion: 1.1,
				position: [300, 0],
				parameters: { operation: 'csv', options: {} },
			};
			const { workflowId, url } = await createTrigger(withColumns, [convert], {
				Trigger: { main: [[{ node: 'Convert to File', type: 'main', index: 0 }]] },
			});
			await rest.publish(workflowId);
			const secret = scenario.secret(url);
			recordSecrets(secret);
			const body = readFileSync(`${__dirname}/../fixtures/${provider}/${sample}.json`, 'utf8');
			expect((await send(signDelivery(provider, url, body, secret))).status).toBe(200);
			const [execution] = await finishedRuns(workflowId, `${provider} execution`, 1, 20_000);
			expect(execution.status).toBe('success');
			const [header, row, ...more] = csvRows(
				await binaryOutput(rest, execution.id, 'Convert to File'),
			);
			expect(more).toEqual([]);
			expect(header.slice(0, 5)).toEqual([
				'provider',
				'eventId',
				'dedupeKey',
				'eventType',
				'receivedAt',
			]);
			expect(header.slice(5, 5 + respondent.length)).toEqual(respondent);
			const titles = Object.keys(questions);
			expect(header.slice(-titles.length)).toEqual(titles);
			expect(row).toHaveLength(header.length);
			expect(row[0]).toBe(provider);
			expect(row.slice(-titles.length)).toEqual(Object.values(questions));
			await rest.unpublish(workflowId);
		});
	},
);

it('a trigger of type version 2 verifies and runs a delivery whose content type n8n does not parse (n8n leaves its body unread; the trigger reads it), and refuses a forged one', async () => {
	const scenario = setups.find((setup) => setup.provider === 'screeb')!;
	const { workflowId, url } = await createTrigger(scenario);
	await rest.publish(workflowId);
	const secret = scenario.secret(url);
	recordSecrets(secret, ...secretFields(scenario));
	const body = sampleBody('screeb', 'response.ended');
	const unparsed = (delivery: ReturnType<typeof signDelivery>) => ({
		...delivery,
		headers: { ...delivery.headers, 'content-type': 'application/octet-stream' },
	});
	expect((await send(unparsed(signDelivery('screeb', url, body, `${secret}-wrong`)))).status).toBe(
		401,
	);
	expect((await send(unparsed(signDelivery('screeb', url, body, secret)))).status).toBe(200);
	const [run] = await finishedRuns(workflowId, 'the run', 1, 15_000);
	expect(await nodeOutput(rest, run.id, 'Trigger')).toEqual([
		expect.objectContaining(EXPECTED.screeb),
	]);
	await rest.unpublish(workflowId);
});

it('a workflow saved with a version 1 trigger keeps its items: a refused secret is still `signature`', async () => {
	const scenario = setups.find((setup) => setup.provider === 'refiner')!;
	const { workflowId, url } = await createTriggerWorkflow(
		rest,
		scenario,
		`refiner v1 ${randomUUID().slice(0, 8)}`,
		[],
		{},
		{ typeVersion: 1 },
	);
	await rest.publish(workflowId);
	recordSecrets(scenario.secret(url), ...secretFields(scenario));
	const body = sampleBody('refiner', scenario.event);
	expect(
		(await send(signDelivery('refiner', url, body, 'a-guessed-token-0123456789'))).status,
	).toBe(401);
	const [report] = await finishedRuns(workflowId, 'the problem report', 1, 15_000);
	expect(await nodeOutput(rest, report.id, 'Trigger', 1)).toEqual([
		expect.objectContaining({ provider: 'refiner', problem: 'signature', count: 1 }),
	]);
	await rest.unpublish(workflowId);
});
