/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- Node-side code (tests, emulators, scripts), never loaded by n8n */
/**
 * The Prolific node in a real n8n, through docs/recipes' workflows as a user imports them: each
 * submission decided once however often its event comes, a bonus paid once per event, returned
 * participants messaged; and a payment whose answer never came, retried from Executions and by
 * Retry On Fail, leaving exactly one payment at Prolific (the emulator).
 */
import { randomUUID } from 'crypto';
import { readFileSync } from 'fs';
import path from 'path';

import type { ProlificEmulator } from '../../scripts/lib/emulators/prolific';
import { signDelivery, send } from '../../scripts/lib/samples';
import type { N8nRest } from '../../scripts/lib/rest';
import { Emulators, REFINER_TOKEN, triggerSetups } from '../../scripts/lib/setups';
import { eventually, nodeOutput, recordSecrets, signedInRest } from './n8n';
import { importRecipe as importRecipeInto, type RecipeNode } from './recipes';

const STUDY = '60f6acb180a7b59ac0621f9e';
const RIGHT_CODE = '60d9aadeb86739de712fa001';
const WRONG_CODE = '60d9aadeb86739de712fa002';
const RETURNED = '60d9aadeb86739de712fa003';
const PAID = '60bf9310e8dec401be6e0001';

let rest: N8nRest;
let prolific: ProlificEmulator;
const emulators = new Emulators();
const setups = triggerSetups(emulators);
const credentialIds: Record<string, { id: string; name: string }> = {};

beforeAll(async () => {
	rest = await signedInRest();
	await emulators.start();
	prolific = emulators.of<ProlificEmulator>('prolific')!;
	prolific.addStudy({ id: STUDY, name: 'Reading habits' }, [
		{ id: RIGHT_CODE, participant: '60bf9310e8dec401be6e0011', entered_code: 'C1A2B3' },
		{ id: WRONG_CODE, participant: '60bf9310e8dec401be6e0012', entered_code: 'ZZZZZZ' },
		{ id: RETURNED, participant: '60bf9310e8dec401be6e0013', status: 'RETURNED' },
		{ id: '60d9aadeb86739de712fa004', participant: PAID },
	]);
	for (const provider of ['prolific', 'refiner']) {
		const setup = setups.find((candidate) => candidate.provider === provider)!;
		const name = `${provider} recipes ${randomUUID().slice(0, 6)}`;
		const { id } = await rest.createCredential(name, setup.credentialType, setup.credential());
		credentialIds[setup.credentialType] = { id, name };
	}
	recordSecrets(prolific.token, REFINER_TOKEN);
});
afterAll(async () => {
	recordSecrets(...emulators.issuedSecrets());
	await emulators.stop();
});

/** A recipe with the user's choices: the Prolific workspace, the study and the completion code. */
const importRecipe = (file: string, change: (node: RecipeNode) => void = () => {}) =>
	importRecipeInto(rest, file, credentialIds, (node) => {
		if (node.type.endsWith('.prolificTrigger'))
			node.parameters.workspaceId = prolific.workspaces[0].id;
		if (node.name === 'Right Completion Code?') {
			const conditions = node.parameters.conditions as {
				conditions: Array<{ rightValue: string }>;
			};
			conditions.conditions[0].rightValue = 'C1A2B3';
		}
		if (node.name === 'Pay Bonus') (node.parameters.studyId as { value: string }).value = STUDY;
		change(node);
	});

const finished = async (workflowId: string, count: number, ms = 30_000) =>
	eventually(
		async () => {
			const done = (await rest.executions(workflowId)).filter(
				(e) => e.status !== 'running' && e.status !== 'new' && e.status !== 'waiting',
			);
			return done.length >= count ? done : undefined;
		},
		ms,
		`${count} finished execution(s)`,
	);

const submissionEvent = (submission: string, status: string) => ({
	resource_id: submission,
	event_type: 'submission.status.change',
	participant_id: prolific.submissions.get(submission)!.participant,
	status,
});

it('approve on the right completion code: each submission decided once, its event resent and sent again', async () => {
	const { workflowId } = await importRecipe('prolific-approve-on-completion-code.json');
	const workspace = prolific.workspaces[0].id;
	for (const submission of [RIGHT_CODE, WRONG_CODE]) {
		const eventId = randomUUID();
		await prolific.deliver(workspace, submissionEvent(submission, 'AWAITING REVIEW'), eventId);
		// Prolific's retry of the same event (same X-Event-ID, signed again).
		await prolific.deliver(workspace, submissionEvent(submission, 'AWAITING REVIEW'), eventId);
	}
	await finished(workflowId, 2);
	// The same status sent again as a new event, a second later (an identical body signed in the
	// same second is a replay, refused): the workflow runs, the decision stands.
	await new Promise((resolve) => setTimeout(resolve, 1100));
	await prolific.deliver(workspace, submissionEvent(RIGHT_CODE, 'AWAITING REVIEW'));
	const executions = await finished(workflowId, 3);
	expect(executions.map((execution) => execution.status)).toEqual([
		'success',
		'success',
		'success',
	]);
	expect(prolific.decisions).toEqual([
		{ submission: RIGHT_CODE, action: 'APPROVE', status: 'APPROVED' },
		{ submission: WRONG_CODE, action: 'REJECT', status: 'REJECTED' },
	]);
	const [latest] = executions;
	expect((await nodeOutput(rest, latest.id, 'Approve'))[0]).toMatchObject({
		submissionId: RIGHT_CODE,
		alreadyDone: true,
	});
	await rest.unpublish(workflowId);
});

it('message participants who returned: one message per returned submission', async () => {
	const { workflowId } = await importRecipe('prolific-message-returned.json');
	const workspace = prolific.workspaces[0].id;
	await prolific.deliver(workspace, submissionEvent(RETURNED, 'RETURNED'));
	await prolific.deliver(workspace, submissionEvent(RIGHT_CODE, 'APPROVED'));
	await finished(workflowId, 2);
	expect(prolific.messages).toEqual([
		expect.objectContaining({
			recipient_id: prolific.submissions.get(RETURNED)!.participant,
			study_id: STUDY,
		}),
	]);
	await rest.unpublish(workflowId);
});

/** A Refiner "Completed Survey" from the participant PAID, rating 4 (a bonus of 1.00). */
const surveyAnswer = (url: string, respondent = PAID, responseId = randomUUID()) => {
	const body = JSON.parse(
		readFileSync(
			path.join(__dirname, '..', 'fixtures', 'refiner', 'completed-survey-columns.json'),
			'utf8',
		),
	);
	body.remote_id = respondent;
	body.response.uuid = responseId;
	return send(signDelivery('refiner', url, JSON.stringify(body), REFINER_TOKEN));
};

const paymentsTo = (participant: string) =>
	prolific.payments.filter((payment) => payment.participant === participant);

it('pay a bonus from a survey answer: the answer sent twice pays once', async () => {
	const before = paymentsTo(PAID).length;
	const { workflowId, url } = await importRecipe('prolific-bonus-from-survey-answer.json');
	const responseId = randomUUID();
	expect((await surveyAnswer(url, PAID, responseId)).status).toBe(200);
	expect((await surveyAnswer(url, PAID, responseId)).status).toBe(200);
	const executions = await finished(workflowId, 1);
	await new Promise((resolve) => setTimeout(resolve, 1500));
	expect(await rest.executions(workflowId)).toHaveLength(executions.length);
	expect(paymentsTo(PAID).slice(before)).toEqual([
		expect.objectContaining({ study: STUDY, amount: 1 }),
	]);
	await rest.unpublish(workflowId);
});

/** Prolific pays, but its answer comes after n8n stopped waiting (the node's 15 s timeout). */
const payAnswersLate = () =>
	prolific.inject({ method: 'POST', path: /\/pay\/$/, delayMs: 17_000, onCall: 1 });

it('a payment whose answer never came, retried from Executions › Retry, leaves one payment', async () => {
	prolific.clearFaults();
	const before = paymentsTo(PAID).length;
	const { workflowId, url } = await importRecipe('prolific-bonus-from-survey-answer.json');
	payAnswersLate();
	await surveyAnswer(url);
	const [failed] = await finished(workflowId, 1, 40_000);
	expect(failed.status).toBe('error');
	await eventually(() => paymentsTo(PAID).length > before, 10_000, 'the late payment');
	await rest.retryExecution(failed.id);
	const [retried] = await finished(workflowId, 2);
	// Not "already paid": Prolific never confirmed the payment, so the retry says to check Prolific.
	expect(retried.status).toBe('error');
	expect(JSON.stringify(await rest.execution(retried.id))).toContain(
		'An earlier payment with this Idempotency Key got no answer from Prolific',
	);
	expect(paymentsTo(PAID).length - before).toBe(1);
	await rest.unpublish(workflowId);
}, 120_000);

it('a payment whose answer never came, with Retry On Fail on the node, leaves one payment', async () => {
	prolific.clearFaults();
	const before = paymentsTo(PAID).length;
	const { workflowId, url } = await importRecipe(
		'prolific-bonus-from-survey-answer.json',
		(node) => {
			if (node.name === 'Pay Bonus')
				Object.assign(node, { retryOnFail: true, maxTries: 2, waitBetweenTries: 1000 });
		},
	);
	payAnswersLate();
	await surveyAnswer(url);
	const [execution] = await finished(workflowId, 1, 60_000);
	// The second try sends nothing and says to check Prolific: the first one's outcome is unknown.
	expect(execution.status).toBe('error');
	expect(JSON.stringify(await rest.execution(execution.id))).toContain(
		'An earlier payment with this Idempotency Key got no answer from Prolific',
	);
	await eventually(() => paymentsTo(PAID).length > before, 10_000, 'the late payment');
	await new Promise((resolve) => setTimeout(resolve, 1000));
	expect(paymentsTo(PAID).length - before).toBe(1);
	await rest.unpublish(workflowId);
}, 120_000);

/**
 * The node as an AI agent's tool, run by n8n's Tool Executor (no language model): n8n registers it
 * as "prolificTool", where Allow AI Agents to Move Money shows; each operation that decides what a
 * participant is paid sends nothing with the option off, and its one call with it on.
 */
describe('as an AI agent’s tool (Tool Executor)', () => {
	const AGENT_APPROVES = '60d9aadeb86739de712fa005';
	const AGENT_REJECTS = '60d9aadeb86739de712fa006';
	const AGENT_RETURNS = '60d9aadeb86739de712fa007';
	const AGENT_PAYS = '60bf9310e8dec401be6e0008';
	beforeAll(() =>
		prolific.addStudy({ id: '60f6acb180a7b59ac0621f9f', name: 'Agent study' }, [
			{ id: AGENT_APPROVES, participant: '60bf9310e8dec401be6e0005' },
			{ id: AGENT_REJECTS, participant: '60bf9310e8dec401be6e0006' },
			{ id: AGENT_RETURNS, participant: '60bf9310e8dec401be6e0007' },
			{ id: '60d9aadeb86739de712fa008', participant: AGENT_PAYS },
		]),
	);
	const byId = (value: string) => ({ __rl: true, mode: 'id', value });
	const cases: Array<[string, Record<string, unknown>, RegExp]> = [
		[
			'Submission › Approve',
			{ resource: 'submission', operation: 'approve', submissionId: byId(AGENT_APPROVES) },
			/\/transition\/$/,
		],
		[
			'Submission › Reject',
			{
				resource: 'submission',
				operation: 'reject',
				submissionId: byId(AGENT_REJECTS),
				rejectionCategory: 'FAILED_INSTRUCTIONS',
				rejectionMessage:
					'The study asked for three answers and a completion code; this submission left the answers empty and had no completion code.',
			},
			/\/transition\/$/,
		],
		[
			'Submission › Request Return',
			{
				resource: 'submission',
				operation: 'requestReturn',
				submissionId: byId(AGENT_RETURNS),
				returnReasons: ['Withdrew consent'],
			},
			/\/request-return\/$/,
		],
		[
			'Bonus › Pay',
			{
				resource: 'bonus',
				operation: 'pay',
				studyId: byId('60f6acb180a7b59ac0621f9f'),
				participantId: AGENT_PAYS,
				amount: '0.75',
				idempotencyKey: `agent-bonus-${randomUUID()}`,
			},
			/\/pay\/$/,
		],
	];

	/** Manual Trigger → Tool Executor, with the Prolific node as its tool; returns the run's execution. */
	async function runAsTool(parameters: Record<string, unknown>, allow: boolean) {
		const workflow = await rest.createWorkflow({
			name: `Prolific as a tool ${randomUUID().slice(0, 6)}`,
			nodes: [
				{
					id: randomUUID(),
					name: 'Start',
					type: 'n8n-nodes-base.manualTrigger',
					typeVersion: 1,
					position: [0, 0],
					parameters: {},
				},
				{
					id: randomUUID(),
					name: 'Tool Executor',
					type: '@n8n/n8n-nodes-langchain.toolExecutor',
					typeVersion: 1,
					position: [300, 0],
					parameters: { query: '{}', toolName: '', node: '' },
				},
				{
					id: randomUUID(),
					name: 'Prolific',
					type: 'n8n-nodes-survey-triggers.prolificTool',
					typeVersion: 1,
					position: [300, 200],
					parameters: { ...parameters, allowAgentMoney: allow },
					credentials: { prolificApi: credentialIds.prolificApi },
				},
			],
			connections: {
				Start: { main: [[{ node: 'Tool Executor', type: 'main', index: 0 }]] },
				Prolific: { ai_tool: [[{ node: 'Tool Executor', type: 'ai_tool', index: 0 }]] },
			},
		});
		await rest.listenForTestEvent(workflow.id, 'Start');
		const [execution] = await finished(workflow.id, 1);
		return { execution, data: JSON.stringify(await rest.execution(execution.id)) };
	}

	it.each(cases)(
		'%s: refused with the option off (Prolific sees no call), carried out once with it on',
		async (_name, parameters, call) => {
			const calls = () =>
				prolific.calls.filter((entry) => entry.method === 'POST' && call.test(entry.path)).length;
			const before = calls();
			const refused = await runAsTool(parameters, false);
			expect(refused.data).toContain(
				'AI agents may not approve, reject, return or pay with this node',
			);
			expect(calls()).toBe(before);
			const allowed = await runAsTool(parameters, true);
			expect(allowed.data).not.toContain('AI agents may not');
			expect(calls()).toBe(before + 1);
		},
	);
});
