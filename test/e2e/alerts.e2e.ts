/* eslint-disable @n8n/community-nodes/no-restricted-globals -- Node-side code (tests, emulators, scripts), never loaded by n8n */
/**
 * Alerts as n8n users build them, in a real n8n: the trigger's Problems output wired to Stop and
 * Error, and an Error Workflow set in the workflow's settings (on n8n 2.x published, since 2.x runs
 * only a published Error Workflow; 1.x runs the saved one). Forged deliveries inside one Problem
 * Report Window run the Error Workflow exactly once; a valid event afterwards, with a count due,
 * runs only the Event branch and succeeds; the count goes out with the next delivery that runs
 * nothing on Event (a resend), and alerts again.
 */
import { randomUUID } from 'crypto';

import type { N8nRest } from '../../scripts/lib/rest';
import { N8N_MAJOR } from '../../scripts/lib/runtime';
import { sampleBody, send, signDelivery } from '../../scripts/lib/samples';
import {
	createTriggerWorkflow,
	Emulators,
	noOpNode,
	secretFields,
	triggerSetups,
} from '../../scripts/lib/setups';
import {
	eventually,
	leakedSecrets,
	nodeOutput,
	nodesRun,
	recordSecrets,
	signedInRest,
} from './n8n';

let rest: N8nRest;
const emulators = new Emulators();

beforeAll(async () => {
	rest = await signedInRest();
	await emulators.start();
});
afterAll(async () => {
	recordSecrets(...emulators.issuedSecrets());
	await emulators.stop();
});

const finished = async (workflowId: string) =>
	(await rest.executions(workflowId)).filter(
		(run) => run.status !== 'running' && run.status !== 'new',
	);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The Error Workflow: n8n's Error Trigger, then a node that records the alert. */
async function errorWorkflow(): Promise<string> {
	const workflow = await rest.createWorkflow({
		name: `Alerts ${randomUUID().slice(0, 8)}`,
		nodes: [
			{
				id: randomUUID(),
				name: 'Error Trigger',
				type: 'n8n-nodes-base.errorTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			noOpNode('Alert'),
		],
		connections: { 'Error Trigger': { main: [[{ node: 'Alert', type: 'main', index: 0 }]] } },
	});
	if (N8N_MAJOR >= 2) await rest.publish(workflow.id);
	return workflow.id;
}

it('Problems → Stop and Error: forged deliveries in one window alert once through the Error Workflow; a valid event with a count due runs only Event and succeeds', async () => {
	const setup = triggerSetups(emulators).find((candidate) => candidate.provider === 'screeb')!;
	const alertsId = await errorWorkflow();
	const stop = {
		id: randomUUID(),
		name: 'Stop and Error',
		type: 'n8n-nodes-base.stopAndError',
		typeVersion: 1,
		// Above the Event branch on the canvas: execution order v1 runs it first.
		position: [300, -200],
		parameters: {
			errorMessage:
				'={{ $json.provider }}: {{ $json.count }} × {{ $json.problem }} ({{ $json.reason }})',
		},
	};
	const { workflowId, url } = await createTriggerWorkflow(
		rest,
		{
			...setup,
			parameters: () => ({ ...setup.parameters(), options: { problemWindow: 1 } }),
		},
		`screeb alerts ${randomUUID().slice(0, 8)}`,
		[stop, noOpNode('Next')],
		{
			Trigger: {
				main: [
					[{ node: 'Next', type: 'main', index: 0 }],
					[{ node: 'Stop and Error', type: 'main', index: 0 }],
				],
			},
		},
		{ settings: { errorWorkflow: alertsId } },
	);
	await rest.publish(workflowId);
	const secret = setup.secret(url);
	recordSecrets(secret, ...secretFields(setup));
	const body = sampleBody('screeb', 'response.ended');
	const forged = signDelivery('screeb', url, body, 'a-guessed-secret-0123456789');

	const started = Date.now();
	for (let i = 0; i < 3; i++) expect((await send(forged)).status).toBe(401);
	const [alert] = await eventually(
		async () => ((await finished(alertsId)).length ? finished(alertsId) : undefined),
		30_000,
		'the Error Workflow’s run',
	);
	const [reportRun] = await finished(workflowId);
	expect(reportRun.status).toBe('error');
	expect(await nodesRun(rest, reportRun.id)).toEqual(['Trigger', 'Stop and Error']);
	const [trigger] = await nodeOutput(rest, alert.id, 'Error Trigger');
	expect(JSON.stringify(trigger)).toContain(
		'screeb: 1 × authentication (signature does not match)',
	);
	expect(leakedSecrets(JSON.stringify(trigger))).toEqual([]);
	// Two more forgeries were counted in the window, not alerted.
	await pause(3000);
	expect(await finished(alertsId)).toHaveLength(1);
	expect(await finished(workflowId)).toHaveLength(1);

	// After the window a count is due; the valid event runs alone, on Event, and succeeds.
	await pause(Math.max(0, started + 61_000 - Date.now()));
	const valid = signDelivery('screeb', url, body, secret);
	expect((await send(valid)).status).toBe(200);
	const [eventRun] = await eventually(
		async () => {
			const runs = await finished(workflowId);
			return runs.length > 1 ? runs : undefined;
		},
		20_000,
		'the event’s run',
	);
	expect(eventRun.status).toBe('success');
	expect(await nodesRun(rest, eventRun.id)).toEqual(['Trigger', 'Next']);
	expect(await nodeOutput(rest, eventRun.id, 'Trigger', 1)).toEqual([]);
	expect(await nodeOutput(rest, eventRun.id, 'Next')).toHaveLength(1);
	await pause(3000);
	expect(await finished(alertsId)).toHaveLength(1);

	// Screeb's resend of that event runs nothing on Event: the two counted forgeries go with it.
	expect((await send(signDelivery('screeb', url, body, secret))).status).toBe(200);
	const alerts = await eventually(
		async () => {
			const runs = await finished(alertsId);
			return runs.length > 1 ? runs : undefined;
		},
		30_000,
		'the second alert',
	);
	expect(alerts).toHaveLength(2);
	const [countRun] = await finished(workflowId);
	expect(await nodeOutput(rest, countRun.id, 'Trigger', 0)).toEqual([]);
	expect(await nodeOutput(rest, countRun.id, 'Trigger', 1)).toEqual([
		expect.objectContaining({ problem: 'authentication', count: 2 }),
	]);
	await rest.unpublish(workflowId);
	if (N8N_MAJOR >= 2) await rest.unpublish(alertsId);
}, 240_000);
