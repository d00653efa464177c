/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions -- Node-side code (tests, emulators, scripts), never loaded by n8n */
/**
 * Queue mode, as large installations run n8n: Redis and PostgreSQL (Debian's redis-server and
 * postgresql, started here on 127.0.0.1), and four n8n processes sharing them — main (publishes
 * the workflow, runs registration), two `n8n webhook` processes (receive deliveries, run webhook())
 * and `n8n worker` (runs the executions). The package works there unchanged.
 *
 * The retry and replay memories are per process: a provider's retry that lands on the other
 * webhook process starts a second execution there, and so does a captured delivery replayed there
 * (re-spelled, or with another X-Event-ID). README's recipe — n8n's Remove Duplicates node on
 * `dedupeKey` right after the trigger, and for Prolific a second one on `replayKey` — lets only
 * one of them reach the nodes that follow. Prolific Missed Events polls on the main process only:
 * once per poll time, its recovered event run on the worker.
 */
import { randomUUID } from 'crypto';
import { execFileSync, spawn, type ChildProcess } from 'child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, readdirSync } from 'fs';
import net from 'net';
import os from 'os';
import path from 'path';

import { N8nRest } from '../../scripts/lib/rest';
import {
	ensureN8n,
	ensureNode,
	freePort,
	installPackedPackage,
	startN8n,
	type RunningN8n,
} from '../../scripts/lib/runtime';
import { nowSeconds } from '../../scripts/lib/provider-signing';
import { sampleBody, send, signDelivery } from '../../scripts/lib/samples';
import {
	createTriggerWorkflow,
	Emulators,
	removeDuplicatesNode,
	triggerSetups,
} from '../../scripts/lib/setups';
import type { ProlificEmulator } from '../../scripts/lib/emulators/prolific';
import { eventually, nodeOutput } from '../e2e/n8n';

const log = (message: string) => process.stdout.write(`[queue] ${message}\n`);

async function waitForPort(port: number, ms = 30_000) {
	const deadline = Date.now() + ms;
	while (Date.now() < deadline) {
		const open = await new Promise<boolean>((resolve) => {
			const socket = net.connect(port, '127.0.0.1', () => socket.end(() => resolve(true)));
			socket.on('error', () => resolve(false));
		});
		if (open) return;
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	throw new Error(`nothing listens on 127.0.0.1:${port}`);
}

const postgresBin = () => {
	const root = '/usr/lib/postgresql';
	const version = existsSync(root) ? readdirSync(root).sort().pop() : undefined;
	if (!version) throw new Error('PostgreSQL is not installed: apt-get install postgresql');
	return path.join(root, version, 'bin');
};

const children: ChildProcess[] = [];
const n8ns: RunningN8n[] = [];
const emulators = new Emulators();
let dir: string;

afterAll(async () => {
	await Promise.all(n8ns.map((n8n) => n8n.stop()));
	for (const child of children) child.kill('SIGTERM');
	await emulators.stop();
});

it('publishes in main, receives in the webhook process, executes on the worker, refuses forgeries', async () => {
	if (!existsSync('/usr/bin/redis-server'))
		throw new Error('Redis is not installed: apt-get install redis-server');
	dir = mkdtempSync(path.join(os.tmpdir(), 'survey-triggers-queue-'));
	chmodSync(dir, 0o755);

	const redisPort = await freePort();
	const redis = spawn(
		'/usr/bin/redis-server',
		['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
		{ stdio: 'ignore' },
	);
	children.push(redis);

	const pgData = path.join(dir, 'pgdata');
	const pgPort = await freePort();
	execFileSync('mkdir', ['-p', pgData]);
	const asPostgres = (command: string, args: string[]) =>
		(process.getuid?.() === 0
			? ['runuser', ['-u', 'postgres', '--', command, ...args]]
			: [command, args]) as [string, string[]];
	if (process.getuid?.() === 0)
		chownSync(
			pgData,
			Number(execFileSync('id', ['-u', 'postgres']).toString()),
			Number(execFileSync('id', ['-g', 'postgres']).toString()),
		);
	execFileSync(
		...asPostgres(path.join(postgresBin(), 'initdb'), [
			'-D',
			pgData,
			'-U',
			'postgres',
			'--auth=trust',
		]),
		{ stdio: 'ignore' },
	);
	const postgres = spawn(
		...asPostgres(path.join(postgresBin(), 'postgres'), [
			'-D',
			pgData,
			'-p',
			String(pgPort),
			'-h',
			'127.0.0.1',
			'-k',
			pgData,
		]),
		{ stdio: 'ignore' },
	);
	children.push(postgres);
	await waitForPort(redisPort);
	await waitForPort(pgPort);
	await eventually(
		() => {
			execFileSync(
				'psql',
				['-h', '127.0.0.1', '-p', String(pgPort), '-U', 'postgres', '-c', 'CREATE DATABASE n8n'],
				{ stdio: 'ignore' },
			);
			return true;
		},
		30_000,
		'PostgreSQL to accept connections',
	);
	log(`redis on ${redisPort}, postgres on ${pgPort}`);

	const node = ensureNode(log);
	const n8nBinary = ensureN8n(node, log);
	const userFolder = path.join(dir, 'home');
	installPackedPackage(userFolder, log);
	const [mainPort, webhookPort, secondWebhookPort, workerHealthPort] = [
		await freePort(),
		await freePort(),
		await freePort(),
		await freePort(),
	];
	const shared = {
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(pgPort),
		DB_POSTGRESDB_DATABASE: 'n8n',
		DB_POSTGRESDB_USER: 'postgres',
		DB_POSTGRESDB_PASSWORD: '',
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(redisPort),
		N8N_WEBHOOK_URL: `http://127.0.0.1:${webhookPort}/`,
		N8N_EXPRESSION_ENGINE: 'legacy',
	};
	const main = await startN8n(
		node,
		n8nBinary,
		{ port: mainPort, userFolder, logFile: path.join(dir, 'main.log'), env: shared },
		log,
	);
	n8ns.push(main);
	const [webhook, secondWebhook, worker] = await Promise.all([
		startN8n(
			node,
			n8nBinary,
			{
				command: 'webhook',
				port: webhookPort,
				userFolder,
				logFile: path.join(dir, 'webhook.log'),
				env: { ...shared, N8N_RUNNERS_BROKER_PORT: String(webhookPort + 1) },
			},
			log,
		),
		startN8n(
			node,
			n8nBinary,
			{
				command: 'webhook',
				port: secondWebhookPort,
				userFolder,
				logFile: path.join(dir, 'webhook-2.log'),
				env: { ...shared, N8N_RUNNERS_BROKER_PORT: String(secondWebhookPort + 1) },
			},
			log,
		),
		startN8n(
			node,
			n8nBinary,
			{
				command: 'worker',
				port: workerHealthPort,
				userFolder,
				logFile: path.join(dir, 'worker.log'),
				readinessUrl: `http://127.0.0.1:${workerHealthPort}/healthz`,
				env: {
					...shared,
					QUEUE_HEALTH_CHECK_ACTIVE: 'true',
					QUEUE_HEALTH_CHECK_PORT: String(workerHealthPort),
					N8N_RUNNERS_BROKER_PORT: String(workerHealthPort + 1),
				},
			},
			log,
		),
	]);
	n8ns.push(webhook, secondWebhook, worker);

	await emulators.start();
	const setup = triggerSetups(emulators)[0];
	const rest = new N8nRest(main.url);
	await rest.signIn();
	// README's recipe: Remove Duplicates on dedupeKey right after the trigger, then (Prolific) on replayKey.
	const { workflowId, url } = await createTriggerWorkflow(
		rest,
		setup,
		'queue mode prolific',
		[
			removeDuplicatesNode('={{ $json.dedupeKey }}'),
			{
				...removeDuplicatesNode('={{ $json.replayKey }}', [450, 0]),
				name: 'Remove Replays',
			},
			{
				id: randomUUID(),
				name: 'Pay Bonus',
				type: 'n8n-nodes-base.noOp',
				typeVersion: 1,
				position: [600, 0],
				parameters: {},
			},
		],
		{
			Trigger: { main: [[{ node: 'Remove Duplicates', type: 'main', index: 0 }]] },
			'Remove Duplicates': { main: [[{ node: 'Remove Replays', type: 'main', index: 0 }]] },
			'Remove Replays': { main: [[{ node: 'Pay Bonus', type: 'main', index: 0 }]] },
		},
		// The run count below is of events: the forged delivery starts no problem report here.
		{ reportProblems: false },
	);
	expect(url.startsWith(`http://127.0.0.1:${mainPort}/`)).toBe(true);
	const webhookUrl = url.replace(`:${mainPort}/`, `:${webhookPort}/`);
	const secondWebhookUrl = url.replace(`:${mainPort}/`, `:${secondWebhookPort}/`);
	await rest.publish(workflowId);
	expect(setup.registrations!(webhookUrl)).toBe(setup.registrationsPerWorkflow);

	// As Prolific sends it: Python's json.dumps form, without the fixture file's final newline.
	const body = sampleBody('prolific', 'submission.status.change').trim();
	const forged = signDelivery('prolific', webhookUrl, body, 'not-the-secret');
	expect((await send(forged)).status).toBe(401);
	const sentAt = Number(nowSeconds()) - 10;
	const valid = signDelivery(
		'prolific',
		webhookUrl,
		body,
		setup.secret(webhookUrl),
		'queue-event-1',
		String(sentAt),
	);
	expect((await send(valid)).status).toBe(200);

	const [execution] = await eventually(
		async () => {
			const done = (await rest.executions(workflowId)).filter((e) => e.status === 'success');
			return done.length ? done : undefined;
		},
		60_000,
		'the execution',
	);
	expect((await nodeOutput(rest, execution.id, 'Trigger'))[0]).toMatchObject({
		eventId: 'queue-event-1',
		status: 'APPROVED',
	});
	expect(await nodeOutput(rest, execution.id, 'Pay Bonus')).toHaveLength(1);
	await eventually(
		() =>
			readFileSync(path.join(dir, 'worker.log'), 'utf8').includes(
				`Worker started execution ${execution.id} `,
			),
		15_000,
		'the worker log',
	);

	// Prolific's retry of the same event, signed again later: on the same process it starts no execution …
	const retry = (url: string, seconds: number) =>
		signDelivery(
			'prolific',
			url,
			body,
			setup.secret(webhookUrl),
			'queue-event-1',
			String(sentAt + seconds),
		);
	expect((await send(retry(webhookUrl, 2))).status).toBe(200);
	await new Promise((resolve) => setTimeout(resolve, 1_500));
	expect(await rest.executions(workflowId)).toHaveLength(1);
	// … on the other webhook process it does (that process never saw the event), and Remove Duplicates stops it.
	expect((await send(retry(secondWebhookUrl, 4))).status).toBe(200);
	const both = await eventually(
		async () => {
			const done = (await rest.executions(workflowId)).filter((e) => e.status === 'success');
			return done.length === 2 ? done : undefined;
		},
		60_000,
		'the execution of the retry on the second webhook process',
	);
	const paid = await Promise.all(both.map((run) => nodeOutput(rest, run.id, 'Pay Bonus')));
	const triggered = await Promise.all(both.map((run) => nodeOutput(rest, run.id, 'Trigger')));
	expect(triggered.map((items) => items[0].dedupeKey)).toEqual([
		triggered[0][0].dedupeKey,
		triggered[0][0].dedupeKey,
	]);
	expect(paid.flat()).toHaveLength(1);
	await new Promise((resolve) => setTimeout(resolve, 1_000));
	expect(await rest.executions(workflowId)).toHaveLength(2);

	// A captured copy of the first delivery, replayed where that process's replay memory never saw
	// it: re-spelled (compact JSON, which Prolific's Python-form candidate verifies) to the main
	// process, and with another X-Event-ID to webhook process 2. Each runs there; Remove Duplicates
	// stops the first (same dedupeKey), Remove Replays the second (same replayKey).
	const mainUrl = webhookUrl.replace(`:${webhookPort}/`, `:${mainPort}/`);
	const respelled = JSON.stringify(JSON.parse(body));
	expect(respelled).not.toBe(body);
	expect((await send({ ...valid, url: mainUrl, body: respelled })).status).toBe(200);
	expect(
		(
			await send({
				...valid,
				url: secondWebhookUrl,
				headers: { ...valid.headers, 'x-event-id': 'chosen-by-the-replayer' },
			})
		).status,
	).toBe(200);
	const all = await eventually(
		async () => {
			const done = (await rest.executions(workflowId)).filter((e) => e.status === 'success');
			return done.length === 4 ? done : undefined;
		},
		60_000,
		'the executions of the two replays',
	);
	const replayed = await Promise.all(all.map((run) => nodeOutput(rest, run.id, 'Trigger')));
	const [original] = await nodeOutput(rest, execution.id, 'Trigger');
	expect(replayed.filter((items) => items[0].dedupeKey === original.dedupeKey)).toHaveLength(3);
	expect(replayed.filter((items) => items[0].replayKey === original.replayKey)).toHaveLength(3);
	const paidInAll = await Promise.all(all.map((run) => nodeOutput(rest, run.id, 'Pay Bonus')));
	expect(paidInAll.flat()).toHaveLength(1);

	await rest.unpublish(workflowId);
	await eventually(() => setup.registrations!(webhookUrl) === 0, 15_000, 'removal');

	// Prolific Missed Events beside a trigger, polling every minute: only the leader main process
	// runs pollers, so the delivery log of each subscription is read once per poll, however many
	// webhook processes and workers there are; a failed event it finds runs once, on the worker.
	const prolific = emulators.of<ProlificEmulator>('prolific')!;
	const credential = {
		id: (await rest.createCredential('queue catch-up', setup.credentialType, setup.credential()))
			.id,
		name: 'queue catch-up',
	};
	const catchUp = await createTriggerWorkflow(
		rest,
		setup,
		'queue mode prolific catch-up',
		[
			{
				id: randomUUID(),
				name: 'Missed Events',
				type: 'n8n-nodes-survey-triggers.prolificMissedEvents',
				typeVersion: 1,
				position: [0, 300],
				parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, simple: true },
				credentials: { [setup.credentialType]: credential },
			},
		],
		{},
		{ credential },
	);
	const catchUpUrl = catchUp.url.replace(`:${mainPort}/`, `:${webhookPort}/`);
	await rest.publish(catchUp.workflowId);
	const subscriptions = [...prolific.subscriptions.values()].filter(
		(subscription) => subscription.target_url === catchUpUrl,
	);
	expect(subscriptions).toHaveLength(setup.registrationsPerWorkflow!);
	const [first] = subscriptions;
	prolific.log.set(first.id, [
		{
			id: 'queue-missed-1',
			datetime_created: new Date().toISOString(),
			datetime_updated: new Date().toISOString(),
			event_type: first.event_type,
			resource_id: '64f0c0ffee00000000000q01',
			status: 'FAILED',
			payload: JSON.parse(body),
		},
	]);
	// The poll n8n runs while publishing may still be under way: reads from then on count.
	const publishedAt = performance.now() + 5_000;
	const logReads = () =>
		prolific
			.callsTo('GET', /\/hooks\/subscriptions\/[^/]+\/events\/$/)
			.filter(
				(call) =>
					(call.receivedAt ?? 0) > publishedAt &&
					subscriptions.some((subscription) => call.path.includes(subscription.id)),
			);
	// Two scheduled polls after the publish: the reads come in one burst per poll.
	await eventually(
		() => {
			const times = logReads().map((call) => call.receivedAt ?? 0);
			const bursts = times.filter((time, i) => i === 0 || time - times[i - 1] > 10_000);
			return bursts.length >= 2;
		},
		150_000,
		'two polls',
	);
	const reads = logReads();
	const times = reads.map((call) => call.receivedAt ?? 0);
	const bursts = times
		.map((time, i) => (i === 0 || time - times[i - 1] > 10_000 ? i : -1))
		.filter((index) => index >= 0);
	const sizes = bursts.map((start, i) => (bursts[i + 1] ?? times.length) - start);
	expect(sizes.slice(0, 2)).toEqual([subscriptions.length, subscriptions.length]);
	expect(times[bursts[1]] - times[bursts[0]]).toBeGreaterThan(45_000);
	const [recovered] = await eventually(
		async () => {
			const done = (await rest.executions(catchUp.workflowId)).filter(
				(e) => e.status === 'success',
			);
			return done.length ? done : undefined;
		},
		30_000,
		'the recovered event’s run',
	);
	expect(await nodeOutput(rest, recovered.id, 'Missed Events')).toEqual([
		expect.objectContaining({ eventId: 'queue-missed-1', recovered: true }),
	]);
	await eventually(
		() =>
			readFileSync(path.join(dir, 'worker.log'), 'utf8').includes(
				`Worker started execution ${recovered.id} `,
			),
		15_000,
		'the worker log of the recovered run',
	);
	expect(await rest.executions(catchUp.workflowId)).toHaveLength(1);
	await rest.unpublish(catchUp.workflowId);
	log(
		`queue mode: registered from main, forged delivery refused, 1 event via webhook process 1 (execution ${execution.id} on the worker), its retry ignored there and run once more on webhook process 2, where Remove Duplicates stopped it; the first delivery replayed re-spelled on main and with another X-Event-ID on webhook process 2, stopped by Remove Duplicates (dedupeKey) and Remove Replays (replayKey): Pay Bonus ran ${paidInAll.flat().length} time in ${all.length} executions`,
	);
});
