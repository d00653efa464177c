/**
 * The Prolific node, each operation through n8n-core's ExecuteContext against the Prolific emulator
 * (real HTTP on 127.0.0.1, Prolific's documented shapes and rules).
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { ProlificApi } from '../../credentials/ProlificApi.credentials';
import { Prolific } from '../../nodes/Prolific/Prolific.node';
import { apiLimits } from '../../nodes/shared/api';
import { ProlificEmulator } from '../../scripts/lib/emulators/prolific';
import { executeNode } from '../helpers/real-execute';

const STUDY = '60f6acb180a7b59ac0621f9e';
const OTHER_STUDY = '60f6acb180a7b59ac0621faa';
const APPROVE_ME = '60d9aadeb86739de712faee0';
const REJECT_ME = '60d9aadeb86739de712faee1';
const PARTICIPANT = '60bf9310e8dec401be6e9615';
/** A key a user types (the node's Idempotency Key field). */
const CHOSEN = `reading-bonus-${PARTICIPANT.slice(0, 4)}`;
const REJECTION =
	'Your submission did not follow the study instructions: the three required answers were left empty and the completion code was missing.';

let emulator: ProlificEmulator;
let workflowNumber = 0;
const savedLimits = { ...apiLimits };

beforeEach(async () => {
	emulator = await new ProlificEmulator().start();
	emulator.addStudy({ id: STUDY, name: 'Reading habits' }, [
		{ id: APPROVE_ME, participant: PARTICIPANT, entered_code: 'C1A2B3' },
		{ id: REJECT_ME, participant: '60bf9310e8dec401be6e9616', entered_code: 'WRONG' },
		...Array.from({ length: 130 }, (_, i) => ({
			id: `70d9aadeb86739de712f${String(i).padStart(4, '0')}`,
			participant: `70bf9310e8dec401be6e${String(i).padStart(4, '0')}`,
			status: i % 2 ? 'APPROVED' : 'AWAITING REVIEW',
		})),
	]);
	emulator.addStudy({ id: OTHER_STUDY, name: 'Sleep diary', status: 'COMPLETED' });
	workflowNumber++;
});
afterEach(async () => {
	Object.assign(apiLimits, savedLimits);
	await emulator.stop();
});

const run = (parameters: IDataObject, options: Partial<Parameters<typeof executeNode>[0]> = {}) =>
	executeNode({
		nodeType: new Prolific(),
		parameters: parameters as INodeParameters,
		credentialType: new ProlificApi(),
		credentials: { apiToken: emulator.token, baseUrl: emulator.url },
		workflowId: `wf-${workflowNumber}`,
		...options,
	});

const byId = (value: string) => ({ __rl: true, mode: 'id', value });
const submission = (operation: string, id: string, extra: IDataObject = {}) =>
	run({ resource: 'submission', operation, submissionId: byId(id), ...extra });
const pay = (extra: IDataObject = {}, options: Partial<Parameters<typeof executeNode>[0]> = {}) =>
	run(
		{
			resource: 'bonus',
			operation: 'pay',
			studyId: byId(STUDY),
			participantId: '={{ $json.participantId }}',
			amount: 1.5,
			...extra,
		},
		{ items: [{ participantId: PARTICIPANT, dedupeKey: 'prolific:evt-1' }], ...options },
	);

describe('Submission', () => {
	it('Get: participant, study, status, times, time taken, completion code and reward', async () => {
		expect(await submission('get', APPROVE_ME)).toEqual([
			{
				submissionId: APPROVE_ME,
				participantId: PARTICIPANT,
				studyId: STUDY,
				status: 'AWAITING REVIEW',
				startedAt: '2026-11-03T10:00:00.000Z',
				completedAt: '2026-11-03T10:12:30.000Z',
				timeTakenSeconds: 750,
				completionCode: 'C1A2B3',
				reward: 150,
				bonusPayments: [],
				returnRequestedAt: null,
			},
		]);
		const [raw] = await submission('get', APPROVE_ME, { simple: false });
		expect(raw).toMatchObject({ id: APPROVE_ME, participant: PARTICIPANT, entered_code: 'C1A2B3' });
	});

	it('Get Many: every page with Return All, a status filter, or up to Limit', async () => {
		const many = (extra: IDataObject) =>
			run({ resource: 'submission', operation: 'getAll', studyId: byId(STUDY), ...extra });
		expect(await many({ returnAll: true })).toHaveLength(132);
		const awaiting = await many({ returnAll: true, status: 'AWAITING_REVIEW' });
		expect(awaiting).toHaveLength(67);
		expect(new Set(awaiting.map((item) => item.status))).toEqual(new Set(['AWAITING REVIEW']));
		expect(await many({ limit: 7 })).toHaveLength(7);
		const pages = emulator.callsTo('GET', /^\/api\/v1\/submissions\/$/);
		expect(pages.map((call) => call.query.get('page'))).toEqual(['1', '2', '1', '1']);
	});

	it('Approve: approves once; approving again answers an item that says so and sends nothing', async () => {
		const [first] = await submission('approve', APPROVE_ME);
		expect(first).toMatchObject({ submissionId: APPROVE_ME, status: 'APPROVED', approved: true });
		const [again] = await submission('approve', APPROVE_ME);
		expect(again).toMatchObject({ status: 'APPROVED', approved: false, alreadyDone: true });
		expect(String(again.note)).toMatch(/APPROVED already; nothing was sent/);
		expect(emulator.decisions).toEqual([
			{ submission: APPROVE_ME, action: 'APPROVE', status: 'APPROVED' },
		]);
		expect(emulator.callsTo('POST', /transition/)).toHaveLength(1);
	});

	it('Reject: sends the category and message; a short message is refused before any call', async () => {
		await expect(
			submission('reject', REJECT_ME, {
				rejectionCategory: 'NO_CODE',
				rejectionMessage: 'Too short.',
			}),
		).rejects.toThrow('Message to Participant has 10 characters; Prolific needs at least 100');
		expect(emulator.callsTo('POST', /transition/)).toHaveLength(0);
		const [rejected] = await submission('reject', REJECT_ME, {
			rejectionCategory: 'BAD_CODE',
			rejectionMessage: REJECTION,
		});
		expect(rejected).toMatchObject({ status: 'REJECTED', rejected: true });
		expect(emulator.callsTo('POST', /transition/)[0].body).toEqual({
			action: 'REJECT',
			message: REJECTION,
			rejection_category: 'BAD_CODE',
		});
	});

	it('an approved submission cannot be rejected: Prolific’s answer and what to do', async () => {
		await submission('approve', APPROVE_ME);
		const error = await submission('reject', APPROVE_ME, {
			rejectionCategory: 'LOW_EFFORT',
			rejectionMessage: REJECTION,
		}).catch((caught: { message: string; description: string }) => caught);
		expect(error).toMatchObject({
			message: 'Prolific: could not reject the submission (HTTP 400)',
		});
		expect((error as { description: string }).description).toMatch(
			/Cannot reject a submission with status APPROVED\..*shows the submission as APPROVED: only one AWAITING REVIEW can be rejected, and a decision cannot be changed/,
		);
		expect(emulator.decisions).toHaveLength(1);
	});

	it('an unknown submission: Prolific’s 404 and a hint to check the ID', async () => {
		await expect(submission('get', '0123456789abcdef01234567')).rejects.toMatchObject({
			message: 'Prolific: could not get the submission (HTTP 404)',
			description: expect.stringMatching(/Check the ID/),
		});
	});

	it('Request Return: sends the chosen reasons and one of the user’s own', async () => {
		const [asked] = await submission('requestReturn', APPROVE_ME, {
			returnReasons: ['Encountered technical problems'],
			otherReturnReason: 'The video did not load',
		});
		expect(asked).toMatchObject({ submissionId: APPROVE_ME, participantId: PARTICIPANT });
		expect(asked.returnRequestedAt).toEqual(expect.any(String));
		expect(emulator.callsTo('POST', /request-return/)[0].body).toEqual({
			request_return_reasons: ['Encountered technical problems', 'The video did not load'],
		});
	});
});

describe('Bonus › Pay', () => {
	it('sets up and pays once, in the study currency as a decimal, keyed on the trigger’s dedupeKey', async () => {
		const [paid] = await pay();
		expect(paid).toMatchObject({
			paid: true,
			alreadyPaid: false,
			studyId: STUDY,
			participantId: PARTICIPANT,
			amount: 1.5,
			idempotencyKey: `prolific:evt-1|${STUDY}|${PARTICIPANT}|1.50`,
			charged: { amount: 150 },
		});
		expect(emulator.callsTo('POST', /bonus-payments\/$/)[0].body).toEqual({
			study_id: STUDY,
			csv_bonuses: `${PARTICIPANT},1.50`,
		});
		expect(emulator.payments).toHaveLength(1);
	});

	it('a second run with the same key answers "already paid" without calling Prolific', async () => {
		await pay();
		const callsBefore = emulator.calls.length;
		const [again] = await pay();
		expect(again).toMatchObject({ paid: false, alreadyPaid: true });
		expect(emulator.calls.length).toBe(callsBefore);
		expect(emulator.payments).toHaveLength(1);
		// The same bonus for another event pays again: its key differs.
		await pay({}, { items: [{ participantId: PARTICIPANT, dedupeKey: 'prolific:evt-2' }] });
		expect(emulator.payments).toHaveLength(2);
	});

	it('the emulator pays a bulk payment twice when asked twice, as Prolific documents', async () => {
		await pay();
		const bulkId = emulator.payments[0].bulkId;
		const response = await fetch(`${emulator.url}/api/v1/bulk-bonus-payments/${bulkId}/pay/`, {
			method: 'POST',
			headers: { authorization: `Token ${emulator.token}` },
		});
		expect(response.status).toBe(202);
		expect(emulator.payments.map((payment) => payment.bulkId)).toEqual([bulkId, bulkId]);
	});

	it('needs an Idempotency Key where the item has no dedupeKey, and uses the one given', async () => {
		await expect(pay({}, { items: [{ participantId: PARTICIPANT }] })).rejects.toThrow(
			'Set an Idempotency Key to pay this bonus',
		);
		expect(emulator.calls).toHaveLength(0);
		const [paid] = await pay(
			{ idempotencyKey: CHOSEN },
			{ items: [{ participantId: PARTICIPANT }] },
		);
		expect(paid).toMatchObject({ paid: true, idempotencyKey: CHOSEN });
	});

	it('a definite refusal (4xx) frees the key: fixed and run again, it pays', async () => {
		emulator.inject({
			method: 'POST',
			path: /\/pay\/$/,
			status: 400,
			onCall: 1,
			body: { error: { detail: 'Insufficient balance.' } },
		});
		await expect(pay()).rejects.toMatchObject({
			message: 'Prolific: could not pay the bonus (HTTP 400)',
			description: expect.stringMatching(/Insufficient balance/),
		});
		expect(emulator.payments).toHaveLength(0);
		const [paid] = await pay();
		expect(paid).toMatchObject({ paid: true });
		expect(emulator.payments).toHaveLength(1);
	});

	it('a participant who did not take part: Prolific’s 400 at set-up, nothing paid, key freed', async () => {
		await expect(
			pay(
				{},
				{ items: [{ participantId: 'ffffffffffffffffffffffff', dedupeKey: 'prolific:evt-9' }] },
			),
		).rejects.toMatchObject({
			message: 'Prolific: could not set up the bonus payment (HTTP 400)',
			description: expect.stringMatching(
				/did not take part in the study: ffffffffffffffffffffffff/,
			),
		});
		expect(emulator.callsTo('POST', /\/pay\/$/)).toHaveLength(0);
	});

	it('a timeout on pay is never retried by the node; the key stays, so a rerun pays nothing', async () => {
		Object.assign(apiLimits, { timeoutMs: 300 });
		emulator.inject({ method: 'POST', path: /\/pay\/$/, delayMs: 600, onCall: 1 });
		await expect(pay()).rejects.toMatchObject({
			message: 'Prolific did not confirm the bonus payment: check Prolific before paying again',
			description: expect.stringMatching(/may have been made.*stays recorded.*bulk bonus payment/),
		});
		await sleep(500);
		expect(emulator.callsTo('POST', /\/pay\/$/)).toHaveLength(1);
		expect(emulator.payments).toHaveLength(1);
		const [rerun] = await pay();
		expect(rerun).toMatchObject({ alreadyPaid: true });
		expect(emulator.payments).toHaveLength(1);
	});

	it('a 5xx on pay is not retried either: one call, key kept', async () => {
		emulator.inject({ method: 'POST', path: /\/pay\/$/, status: 503, onCall: 1 });
		await expect(pay()).rejects.toThrow('Prolific did not confirm the bonus payment');
		expect(emulator.callsTo('POST', /\/pay\/$/)).toHaveLength(1);
		expect((await pay())[0]).toMatchObject({ alreadyPaid: true });
	});

	it('refuses an AI agent unless Allow Payments by AI Agents is on', async () => {
		await expect(pay({}, { asTool: true })).rejects.toMatchObject({
			message: 'AI agents may not pay bonuses with this node',
		});
		expect(emulator.calls).toHaveLength(0);
		const [paid] = await pay({ allowAgentPayments: true }, { asTool: true });
		expect(paid).toMatchObject({ paid: true });
	});

	it('refuses an amount below 0.01 before any call', async () => {
		await expect(pay({ amount: 0 })).rejects.toThrow('Amount must be at least 0.01');
		expect(emulator.calls).toHaveLength(0);
	});
});

describe('Study', () => {
	it('Get: name, status, places taken and total, reward', async () => {
		expect(await run({ resource: 'study', operation: 'get', studyId: byId(STUDY) })).toEqual([
			{
				studyId: STUDY,
				name: 'Reading habits',
				internalName: null,
				status: 'ACTIVE',
				placesTaken: 132,
				totalAvailablePlaces: 50,
				reward: 150,
				currency: 'GBP',
				createdAt: '2026-11-02T09:00:00.000Z',
			},
		]);
	});

	it('Get: a study page’s address works as well as its ID', async () => {
		const [study] = await run({
			resource: 'study',
			operation: 'get',
			studyId: {
				__rl: true,
				mode: 'url',
				value: `https://app.prolific.com/researcher/workspaces/studies/${OTHER_STUDY}/submissions`,
			},
		});
		expect(study).toMatchObject({ studyId: OTHER_STUDY, status: 'COMPLETED' });
	});

	it('Get Many: all studies, or up to Limit', async () => {
		expect(await run({ resource: 'study', operation: 'getAll', returnAll: true })).toHaveLength(2);
		expect(await run({ resource: 'study', operation: 'getAll', limit: 1 })).toHaveLength(1);
	});
});

describe('Message › Send', () => {
	it('sends the participant a message about the study', async () => {
		const [sent] = await run({
			resource: 'message',
			operation: 'send',
			participantId: PARTICIPANT,
			studyId: byId(STUDY),
			messageBody: 'Thanks for taking part: your bonus is on its way.',
		});
		expect(sent).toEqual({ sent: true, participantId: PARTICIPANT, studyId: STUDY });
		expect(emulator.messages).toEqual([
			{
				recipient_id: PARTICIPANT,
				study_id: STUDY,
				body: 'Thanks for taking part: your bonus is on its way.',
			},
		]);
	});
});

it('Continue On Fail: a failing item becomes an error item, the others still run', async () => {
	const output = await run(
		{
			resource: 'submission',
			operation: 'get',
			submissionId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
		},
		{ items: [{ id: '0123456789abcdef01234567' }, { id: APPROVE_ME }], continueOnFail: true },
	);
	expect(output[0].error).toMatch(/could not get the submission \(HTTP 404\)/);
	expect(output[1]).toMatchObject({ submissionId: APPROVE_ME });
});
