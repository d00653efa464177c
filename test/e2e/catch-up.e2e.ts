/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- Node-side code (tests, emulators, scripts), never loaded by n8n */
/**
 * Nothing lost while n8n was down, in a real n8n of its own (the suite's line, 2.x or 1.x): for
 * Prolific and for Cint a published workflow with the trigger and its Missed Events node, both
 * wired to Remove Duplicates on `eventId` and the same next node. One event runs through the
 * trigger; n8n stops; two events are sent, fail at the emulator and end FAILED (bounced); the
 * first one is marked failed too. n8n starts: the poll n8n runs while activating runs each missed
 * event once through the next node, the one the trigger ran is dropped by Remove Duplicates, and
 * the next poll runs nothing on Event (Prolific: it re-enables a subscription the emulator
 * disabled meanwhile, with a notice on Problems only). Publishing succeeds while Prolific's log
 * answers 500.
 */
import { randomUUID } from 'crypto';
import { mkdtempSync } from 'fs';
import os from 'os';
import path from 'path';

import type { CintEmulator } from '../../scripts/lib/emulators/cint';
import type { ProlificEmulator } from '../../scripts/lib/emulators/prolific';
import { N8nRest } from '../../scripts/lib/rest';
import {
	ensureN8n,
	ensureNode,
	freePort,
	installPackedPackage,
	startN8n,
	type RunningN8n,
} from '../../scripts/lib/runtime';
import {
	createTriggerWorkflow,
	Emulators,
	noOpNode,
	removeDuplicatesNode,
	triggerSetups,
	type TriggerSetup,
} from '../../scripts/lib/setups';
import { eventually, nodeOutput, recordSecrets } from './n8n';

const log = (message: string) => process.stdout.write(`[catch-up] ${message}\n`);
const emulators = new Emulators();
const setups = triggerSetups(emulators);
let n8n: RunningN8n | undefined;
let start: () => Promise<RunningN8n>;

beforeAll(async () => {
	await emulators.start();
	const node = ensureNode(log);
	const binary = ensureN8n(node, log);
	const userFolder = mkdtempSync(path.join(os.tmpdir(), 'survey-triggers-catch-up-'));
	installPackedPackage(userFolder, log);
	const port = await freePort();
	// The same port and folder after a stop: the providers keep delivering to the registered URL.
	start = () =>
		startN8n(
			node,
			binary,
			{
				port,
				userFolder,
				logFile: path.join(userFolder, 'n8n.log'),
				env: { N8N_EXPRESSION_ENGINE: 'legacy' },
			},
			log,
		);
	n8n = await start();
}, 240_000);

afterAll(async () => {
	await n8n?.stop();
	recordSecrets(...emulators.issuedSecrets());
	await emulators.stop();
});

const missedNode = (provider: string, credential: { id: string; name: string }, type: string) => ({
	id: randomUUID(),
	name: 'Missed Events',
	type: `n8n-nodes-survey-triggers.${provider}MissedEvents`,
	typeVersion: 1,
	position: [0, 300],
	parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, simple: true },
	credentials: { [type]: credential },
});

/** Trigger and Missed Events → Remove Duplicates on eventId → Next. */
async function catchUpWorkflow(rest: N8nRest, setup: TriggerSetup) {
	const name = `${setup.provider} catch-up ${randomUUID().slice(0, 6)}`;
	const credential = {
		id: (await rest.createCredential(name, setup.credentialType, setup.credential())).id,
		name,
	};
	const toDedupe = { main: [[{ node: 'Remove Duplicates', type: 'main', index: 0 }]] };
	return createTriggerWorkflow(
		rest,
		setup,
		name,
		[
			missedNode(setup.provider, credential, setup.credentialType),
			removeDuplicatesNode('={{ $json.eventId }}'),
			noOpNode('Next', [600, 0]),
		],
		{
			Trigger: toDedupe,
			'Missed Events': toDedupe,
			'Remove Duplicates': { main: [[{ node: 'Next', type: 'main', index: 0 }]] },
		},
		{ credential },
	);
}

const signedIn = async () => {
	const rest = new N8nRest(n8n!.url);
	await rest.signIn();
	return rest;
};

/** Every item Next ran on, over every finished run of a workflow. */
async function nextItems(rest: N8nRest, workflowId: string) {
	const runs = (await rest.executions(workflowId)).filter(
		(run) => run.status !== 'running' && run.status !== 'new',
	);
	const items = [];
	for (const run of runs) items.push(...(await nodeOutput(rest, run.id, 'Next')));
	return { runs, items };
}

it('Prolific and Cint: events that failed while n8n was down run once when it is back; one the trigger ran is dropped by Remove Duplicates; the next poll runs nothing on Event', async () => {
	const prolific = emulators.of<ProlificEmulator>('prolific')!;
	const cint = emulators.of<CintEmulator>('cint')!;
	// Prolific's Python bytes, as it sends them; every delivery is tried twice before it is FAILED.
	prolific.pythonBodies = true;
	prolific.deliveryAttempts = 2;
	cint.deliveryAttempts = 2;
	const prolificSetup = setups.find((setup) => setup.provider === 'prolific')!;
	const cintSetup = setups.find((setup) => setup.provider === 'cint')!;
	let rest = await signedIn();
	const prolificFlow = await catchUpWorkflow(rest, prolificSetup);
	const cintFlow = await catchUpWorkflow(rest, cintSetup);
	await rest.publish(prolificFlow.workflowId);
	await rest.publish(cintFlow.workflowId);
	recordSecrets(prolificSetup.secret(prolificFlow.url), cintSetup.secret(cintFlow.url));
	const workspace = prolific.workspaces[0].id;
	const submission = (id: string) => ({
		resource_id: id,
		event_type: 'submission.status.change',
		participant_id: '5f00beef',
		status: 'APPROVED',
		note: 'Zoë',
	});
	const session = (id: string) => ({ account_id: 1, response_session_id: id, status: 'complete' });

	// While n8n is up: one event each runs through the trigger.
	await prolific.deliver(workspace, submission('64f0c0ffee000000000000a0'), 'evt-live');
	await cint.deliver('session-updated', session('rs-live'), 'ce-live');
	await eventually(
		async () =>
			(await nextItems(rest, prolificFlow.workflowId)).items.length === 1 &&
			(await nextItems(rest, cintFlow.workflowId)).items.length === 1,
		30_000,
		'the live events run',
	);

	await n8n!.stop();
	log('n8n stopped');
	for (const id of ['evt-down-1', 'evt-down-2'])
		await prolific.deliver(workspace, submission(`64f0c0ffee0000000000${id.slice(-4)}`), id);
	for (const id of ['ce-down-1', 'ce-down-2'])
		await cint.deliver('session-updated', session(`rs-${id}`), id);
	const prolificLog = [...prolific.log.values()].flat();
	expect(prolificLog.filter((entry) => entry.status === 'FAILED').map((entry) => entry.id)).toEqual(
		['evt-down-1', 'evt-down-2'],
	);
	// The live events end failed at the provider too (e.g. an answer that timed out there).
	for (const entry of prolificLog) if (entry.id === 'evt-live') entry.status = 'FAILED';
	for (const entries of cint.history.values())
		for (const entry of entries)
			if ((entry.event as { id?: string } | undefined)?.id === 'ce-live') entry.status = 'expired';

	n8n = await start();
	rest = await signedIn();
	const ran = (workflowId: string) =>
		eventually(
			async () => {
				const { items } = await nextItems(rest, workflowId);
				return items.length >= 3 ? items : undefined;
			},
			60_000,
			'the missed events run',
		);
	const prolificItems = await ran(prolificFlow.workflowId);
	const cintItems = await ran(cintFlow.workflowId);
	expect(prolificItems.map((item) => item.eventId).sort()).toEqual([
		'evt-down-1',
		'evt-down-2',
		'evt-live',
	]);
	expect(prolificItems.filter((item) => item.recovered)).toEqual([
		expect.objectContaining({
			provider: 'prolific',
			eventType: 'submission.status.change',
			participantId: '5f00beef',
			workspaceId: workspace,
			recovered: true,
		}),
		expect.objectContaining({ recovered: true }),
	]);
	expect(cintItems.map((item) => item.eventId).sort()).toEqual([
		'ce-down-1',
		'ce-down-2',
		'ce-live',
	]);
	expect(cintItems.filter((item) => item.recovered)).toHaveLength(2);

	// The next poll (every minute): nothing on Event. Prolific disabled a subscription meanwhile.
	const [subscription] = [...prolific.subscriptions.values()].filter(
		(candidate) => candidate.target_url === prolificFlow.url,
	);
	subscription.is_enabled = false;
	const notice = await eventually(
		async () => {
			const { runs } = await nextItems(rest, prolificFlow.workflowId);
			for (const run of runs) {
				const problems = await nodeOutput(rest, run.id, 'Missed Events', 1);
				if (problems.length) return { run, problems };
			}
			return undefined;
		},
		100_000,
		'the notice of the next poll',
	);
	expect(subscription.is_enabled).toBe(true);
	expect(notice.problems).toEqual([
		expect.objectContaining({ provider: 'prolific', problem: 'subscription-enabled' }),
	]);
	expect(await nodeOutput(rest, notice.run.id, 'Missed Events', 0)).toEqual([]);
	expect((await nextItems(rest, prolificFlow.workflowId)).items).toHaveLength(3);
	expect((await nextItems(rest, cintFlow.workflowId)).items).toHaveLength(3);
	await rest.unpublish(prolificFlow.workflowId);
	await rest.unpublish(cintFlow.workflowId);
}, 360_000);

it('publishing succeeds while Prolific’s delivery log answers 500; the failure is a notice on Problems', async () => {
	const prolific = emulators.of<ProlificEmulator>('prolific')!;
	const setup = setups.find((candidate) => candidate.provider === 'prolific')!;
	const rest = await signedIn();
	prolific.inject({ method: 'GET', path: /\/events\/$/, status: 500 });
	try {
		const { workflowId } = await catchUpWorkflow(rest, setup);
		await rest.publish(workflowId);
		const [run] = await eventually(
			async () => {
				const runs = (await rest.executions(workflowId)).filter((r) => r.status !== 'running');
				return runs.length ? runs : undefined;
			},
			// The poll n8n runs while it first publishes may not see the trigger's registration yet
			// (docs/catch-up.md); the next one, a minute later at most, does.
			100_000,
			'the notice run',
		);
		expect(await nodeOutput(rest, run.id, 'Missed Events', 1)).toEqual([
			expect.objectContaining({ problem: 'catch-up-failed' }),
		]);
		await rest.unpublish(workflowId);
	} finally {
		prolific.clearFaults();
	}
}, 180_000);
