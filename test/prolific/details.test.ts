/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets -- Node-side code (tests, emulators, scripts), never loaded by n8n */
/**
 * Add Submission Details, over real HTTP: a submission event's item gains its study, completion code
 * and times from one read of the Prolific emulator, made while Prolific waits; a read that fails or
 * is slow is made once, and the event is delivered all the same, with a warning.
 */
import { randomUUID } from 'crypto';
import { sleep } from 'n8n-workflow';

import { submissionDetailsLimits } from '../../nodes/Prolific/details';
import { ProlificEmulator } from '../../scripts/lib/emulators/prolific';
import { nowSeconds, prolificSignature } from '../../scripts/lib/provider-signing';
import { post, startWebhookServer, type WebhookServer } from '../helpers/webhook-server';
import { node, prolificHarness, registeredState } from './setup';

const SECRET = 'whsec-prolific-details-test-5c2e';
const STUDY = '60f6acb180a7b59ac0621f9e';
const SUBMISSION = '60d9aadeb86739de712fa0d1';
const PARTICIPANT = '60bf9310e8dec401be6e00d1';

let emulator: ProlificEmulator;
let server: WebhookServer | undefined;
const saved = { ...submissionDetailsLimits };

beforeEach(async () => {
	emulator = await new ProlificEmulator().start();
	emulator.addStudy({ id: STUDY, name: 'Reading habits' }, [
		{ id: SUBMISSION, participant: PARTICIPANT, entered_code: 'C1A2B3' },
	]);
});
afterEach(async () => {
	Object.assign(submissionDetailsLimits, saved);
	await server?.close();
	await emulator.stop();
});

async function deliver(options: Record<string, unknown>, event = 'submission.status.change') {
	const harness = prolificHarness(
		emulator,
		{ events: [event], options },
		{
			staticData: registeredState(
				SECRET,
				`https://n8n.example.test/webhook/${randomUUID()}/webhook`,
			),
		},
	);
	server = await startWebhookServer(node, harness);
	const body = JSON.stringify({
		resource_id: event === 'submission.status.change' ? SUBMISSION : STUDY,
		event_type: event,
		participant_id: PARTICIPANT,
		status: 'AWAITING REVIEW',
	});
	const timestamp = nowSeconds();
	const result = await post(server.url, body, {
		'content-type': 'application/json',
		'x-prolific-request-signature': prolificSignature(SECRET, timestamp, body),
		'x-prolific-request-timestamp': timestamp,
		'x-event-id': randomUUID(),
	});
	expect(result.status).toBe(200);
	expect(server.executions).toHaveLength(1);
	return { item: server.executions[0][0].json, harness };
}

const submissionReads = () => emulator.callsTo('GET', /^\/api\/v1\/submissions\/[^/]+\/$/);

it('adds the study, completion code, times and bonuses; the event’s own status stays', async () => {
	const { item } = await deliver({ addSubmissionDetails: true });
	expect(item).toMatchObject({
		eventType: 'submission.status.change',
		submissionId: SUBMISSION,
		participantId: PARTICIPANT,
		status: 'AWAITING REVIEW',
		studyId: STUDY,
		completionCode: 'C1A2B3',
		startedAt: '2026-11-03T10:00:00.000Z',
		completedAt: '2026-11-03T10:12:30.000Z',
		timeTakenSeconds: 750,
		bonusPayments: [],
	});
	expect(item.warnings).toBeUndefined();
	expect(submissionReads()).toHaveLength(1);
});

it('off (the default): no call, and the item is the event as Prolific sent it', async () => {
	const { item } = await deliver({});
	expect(item).toMatchObject({ submissionId: SUBMISSION, studyId: null });
	expect(item).not.toHaveProperty('completionCode');
	expect(emulator.calls).toHaveLength(0);
});

it('a study event reads nothing', async () => {
	await deliver({ addSubmissionDetails: true }, 'study.status.change');
	expect(emulator.calls).toHaveLength(0);
});

it.each([
	['a 5xx', { status: 503 }, /HTTP 503/],
	['an unknown submission (404)', { status: 404, body: { detail: 'Not found.' } }, /HTTP 404/],
	['no answer in time', { delayMs: 700 }, /timed out|no answer/],
])(
	'%s: one attempt, never retried; the event is delivered with a warning',
	async (_what, fault, reason) => {
		submissionDetailsLimits.timeoutMs = 300;
		emulator.inject({ method: 'GET', path: /^\/api\/v1\/submissions\/[^/]+\/$/, ...fault });
		const { item, harness } = await deliver({ addSubmissionDetails: true });
		expect(item).toMatchObject({ submissionId: SUBMISSION, status: 'AWAITING REVIEW' });
		expect(item.warnings).toEqual([
			expect.stringMatching(
				/^\(submission details\): not added, the event is delivered without them/,
			),
		]);
		expect(String((item.warnings as string[])[0])).toMatch(reason);
		expect(submissionReads()).toHaveLength(1);
		expect(harness.logs.filter((line) => line.level === 'warn')).toEqual([
			expect.objectContaining({
				message: expect.stringContaining('could not add submission details'),
			}),
		]);
		expect(JSON.stringify([item, harness.logs])).not.toContain(emulator.token);
		// The late answer is still on its way: let it finish before the emulator stops.
		if ('delayMs' in fault) await sleep(fault.delayMs);
	},
);
