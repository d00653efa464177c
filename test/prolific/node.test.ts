/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets -- Node-side code (tests, emulators, scripts), never loaded by n8n */
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
import { forgetAllSightings } from '../../nodes/shared/replay';
import { forgetAllEvents } from '../../nodes/shared/retries';
import { nowSeconds, prolificSignature } from '../../scripts/lib/provider-signing';
import { fixture } from '../helpers/fixtures';
import { executeNode, processedStore } from '../helpers/real-execute';
import { post, startWebhookServer } from '../helpers/webhook-server';
import { node as trigger, prolificHarness, registeredState } from './setup';

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
const submission = (
	operation: string,
	id: string,
	extra: IDataObject = {},
	options: Partial<Parameters<typeof executeNode>[0]> = {},
) => run({ resource: 'submission', operation, submissionId: byId(id), ...extra }, options);
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

const SIGNING_SECRET = 'whsec-prolific-node-test-7f3a9c';

/** The Prolific Trigger's item for its sample event, signed once and received with the given X-Event-ID. */
async function triggerItem(eventId: string): Promise<IDataObject> {
	const harness = prolificHarness(
		undefined,
		{},
		{
			staticData: registeredState(
				SIGNING_SECRET,
				'https://n8n.example.test/webhook/node-test/webhook',
			),
		},
	);
	const server = await startWebhookServer(trigger, harness);
	try {
		const body = fixture('prolific', 'submission.status.change');
		const timestamp = signedAt;
		const result = await post(server.url, body, {
			'content-type': 'application/json',
			'x-prolific-request-signature': prolificSignature(SIGNING_SECRET, timestamp, body),
			'x-prolific-request-timestamp': timestamp,
			'x-event-id': eventId,
		});
		expect(result.status).toBe(200);
		return { ...server.executions[0][0].json, participantId: PARTICIPANT };
	} finally {
		await server.close();
	}
}
let signedAt = nowSeconds();
beforeEach(() => (signedAt = nowSeconds()));

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
				// In the study's currency as a decimal, like Bonus › Pay's Amount; minor units beside.
				reward: 1.5,
				rewardMinorUnits: 150,
				bonusPayments: [],
				bonusPaymentsMinorUnits: [],
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
		const awaiting = await many({ returnAll: true, status: 'AWAITING REVIEW' });
		expect(awaiting).toHaveLength(67);
		expect(new Set(awaiting.map((item) => item.status))).toEqual(new Set(['AWAITING REVIEW']));
		// As an item spells it, or in another case or with underscores: Prolific's spelling is sent.
		expect(await many({ returnAll: true, status: '={{ "awaiting_review" }}' })).toHaveLength(67);
		const filters = emulator
			.callsTo('GET', /^\/api\/v1\/submissions\/$/)
			.map((call) => call.query.get('status'));
		expect(new Set(filters)).toEqual(new Set([null, 'AWAITING REVIEW']));
		expect(await many({ limit: 7 })).toHaveLength(7);
		const pages = emulator.callsTo('GET', /^\/api\/v1\/submissions\/$/);
		// Prolific answers at most 50 a page here, whatever page_size asks for.
		expect(pages.map((call) => call.query.get('page'))).toEqual([
			...['1', '2', '3'],
			...['1', '2'],
			...['1', '2'],
			'1',
		]);
	});

	it('Get Many › Return All over 250 submissions with a page cap of 50: 250 distinct items, in list shape', async () => {
		const BIG = '60f6acb180a7b59ac0621fbb';
		emulator.addStudy(
			{ id: BIG, name: 'Big study' },
			Array.from({ length: 250 }, (_, i) => ({
				id: `80d9aadeb86739de712f${String(i).padStart(4, '0')}`,
				participant: `80bf9310e8dec401be6e${String(i).padStart(4, '0')}`,
				entered_code: `CODE${i}`,
			})),
		);
		const all = await run({
			resource: 'submission',
			operation: 'getAll',
			studyId: byId(BIG),
			returnAll: true,
		});
		expect(new Set(all.map((item) => item.submissionId)).size).toBe(250);
		expect(all[249]).toMatchObject({
			participantId: '80bf9310e8dec401be6e0249',
			completionCode: 'CODE249',
			studyId: BIG,
		});
		const calls = emulator.callsTo('GET', /^\/api\/v1\/submissions\/$/);
		expect(calls).toHaveLength(5);
		// Only the paging Prolific documents for this endpoint.
		expect(new Set(calls.flatMap((call) => [...call.query.keys()]))).toEqual(
			new Set(['study', 'page', 'page_size']),
		);
	});

	it('Get Many: a next link to another host is not followed (the API token stays with Prolific)', async () => {
		emulator.inject({
			method: 'GET',
			path: /^\/api\/v1\/submissions\/$/,
			onCall: 1,
			status: 200,
			body: {
				results: [{ id: 'only-one', status: 'APPROVED' }],
				_links: { next: { href: 'http://127.0.0.2:9/api/v1/submissions/?page=2' } },
			},
		});
		const all = await run({
			resource: 'submission',
			operation: 'getAll',
			studyId: byId(STUDY),
			returnAll: true,
		});
		const pages = emulator.callsTo('GET', /^\/api\/v1\/submissions\/$/);
		expect(pages.map((call) => call.query.get('page'))).toEqual(['1', '2', '3']);
		expect(all.length).toBe(1 + 132 - 50);
	});

	it('Approve: approves once; approving again answers an item that says so and sends nothing', async () => {
		const [first] = await submission('approve', APPROVE_ME);
		expect(first).toMatchObject({ submissionId: APPROVE_ME, status: 'APPROVED', approved: true });
		const [again] = await submission('approve', APPROVE_ME);
		expect(again).toMatchObject({ status: 'APPROVED', approved: true, alreadyDone: true });
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
	const defaultKey = (dedupeKey: string) => `${dedupeKey}|${STUDY}|${PARTICIPANT}`;

	it('sets up and pays once, in the study currency as a decimal, keyed on the trigger’s dedupeKey', async () => {
		const [paid] = await pay();
		// Submission › Get shows the bonus in the same unit as Amount.
		const [after] = await submission('get', APPROVE_ME);
		expect(after).toMatchObject({ bonusPayments: [1.5], bonusPaymentsMinorUnits: [150] });
		expect(paid).toMatchObject({
			outcome: 'accepted',
			accepted: true,
			alreadyPaid: false,
			studyId: STUDY,
			participantId: PARTICIPANT,
			amount: 1.5,
			idempotencyKey: defaultKey('prolific:evt-1'),
			// Prolific's figures in the unit of Amount, and in minor units under a name that says so.
			charged: { amount: 1.5, fees: 0.5, vat: 0, total: 2 },
			chargedMinorUnits: { amount: 150, fees: 50, vat: 0, total: 200 },
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
		expect(again).toMatchObject({ outcome: 'alreadyPaid', accepted: false, alreadyPaid: true });
		expect(emulator.calls.length).toBe(callsBefore);
		expect(emulator.payments).toHaveLength(1);
		// The same bonus for another event pays again: its key differs.
		await pay({}, { items: [{ participantId: PARTICIPANT, dedupeKey: 'prolific:evt-2' }] });
		expect(emulator.payments).toHaveLength(2);
	});

	it('the default key leaves the amount out: an amount fixed and run again pays nothing more', async () => {
		await pay({ amount: 15 }); // a reward in pence mapped as pounds, say
		const [again] = await pay({ amount: '0.15' });
		expect(again).toMatchObject({
			alreadyPaid: true,
			idempotencyKey: defaultKey('prolific:evt-1'),
		});
		expect(emulator.payments).toHaveLength(1);
	});

	it('a key an earlier version recorded (with the amount) still counts as paid', async () => {
		const workflow = { id: `wf-${workflowNumber}` };
		await processedStore.checkProcessedAndRecord(
			[`${defaultKey('prolific:evt-1')}|1.50`],
			'node',
			{ workflow, node: { id: 'a1b2c3d4-0000-4000-8000-00000000000a' } } as never,
			{ mode: 'entries' },
		);
		const [again] = await pay();
		expect(again).toMatchObject({ alreadyPaid: true });
		expect(emulator.calls).toHaveLength(0);
	});

	it('a signed Prolific event replayed with another X-Event-ID (another process, or after a restart) pays once', async () => {
		// The trigger's own items: the same signed bytes received with evt-A, then, after a restart
		// (the in-process memories gone), with evt-B.
		const items = [];
		for (const eventId of ['evt-A', 'evt-B']) {
			forgetAllSightings();
			forgetAllEvents();
			items.push(await triggerItem(eventId));
		}
		expect(items[0].dedupeKey).not.toBe(items[1].dedupeKey);
		expect(items[0].replayKey).toBe(items[1].replayKey);
		const [first] = await pay({}, { items: [items[0]] });
		const [second] = await pay({}, { items: [items[1]] });
		expect(first).toMatchObject({ accepted: true });
		expect(second).toMatchObject({ alreadyPaid: true });
		expect(emulator.payments).toHaveLength(1);
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
		expect(paid).toMatchObject({ accepted: true, idempotencyKey: CHOSEN });
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
		expect(paid).toMatchObject({ accepted: true });
		expect(emulator.payments).toHaveLength(1);
	});

	it('a 429 on pay says Prolific was busy and nothing was paid, and frees the key', async () => {
		emulator.inject({ method: 'POST', path: /\/pay\/$/, status: 429, onCall: 1 });
		await expect(pay()).rejects.toMatchObject({
			description: expect.stringMatching(/^Prolific was busy .*\(HTTP 429\) and paid nothing/),
		});
		expect(emulator.payments).toHaveLength(0);
		expect((await pay())[0]).toMatchObject({ accepted: true });
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

	it('a timeout on pay is never retried; a rerun pays nothing and says the outcome is unknown', async () => {
		Object.assign(apiLimits, { timeoutMs: 300 });
		emulator.inject({ method: 'POST', path: /\/pay\/$/, delayMs: 600, onCall: 1 });
		await expect(pay()).rejects.toMatchObject({
			message: 'Prolific did not confirm the bonus payment: check Prolific before paying again',
			description: expect.stringMatching(/may have been made.*stays recorded.*bulk bonus payment/),
		});
		await sleep(500);
		expect(emulator.callsTo('POST', /\/pay\/$/)).toHaveLength(1);
		expect(emulator.payments).toHaveLength(1);
		// Not "already paid": Prolific never confirmed it.
		for (let rerun = 0; rerun < 2; rerun++)
			await expect(pay()).rejects.toMatchObject({
				message:
					'An earlier payment with this Idempotency Key got no answer from Prolific: check Prolific before paying again',
				description: expect.stringMatching(/^Nothing was sent now\./),
			});
		expect(emulator.callsTo('POST', /\/pay\/$/)).toHaveLength(1);
		expect(emulator.payments).toHaveLength(1);
	});

	it('a 5xx on pay is not retried either: one call, key kept, outcome unknown on a rerun', async () => {
		emulator.inject({ method: 'POST', path: /\/pay\/$/, status: 503, onCall: 1 });
		await expect(pay()).rejects.toThrow('Prolific did not confirm the bonus payment');
		expect(emulator.callsTo('POST', /\/pay\/$/)).toHaveLength(1);
		await expect(pay()).rejects.toThrow('got no answer from Prolific');
		expect(emulator.callsTo('POST', /\/pay\/$/)).toHaveLength(1);
	});

	it('two executions at once: their bonus calls never overlap (Prolific supports no concurrent bonus requests)', async () => {
		emulator.inject({ method: 'POST', path: /bonus-payments\/$/, delayMs: 150, times: 2 });
		emulator.inject({ method: 'POST', path: /\/pay\/$/, delayMs: 150, times: 2 });
		const [first, second] = await Promise.all([
			pay({}, { items: [{ participantId: PARTICIPANT, dedupeKey: 'prolific:evt-x' }] }),
			pay({}, { items: [{ participantId: PARTICIPANT, dedupeKey: 'prolific:evt-y' }] }),
		]);
		expect([first[0].accepted, second[0].accepted]).toEqual([true, true]);
		const bonusCalls = emulator.calls
			.filter((call) => call.method === 'POST' && /bonus/.test(call.path))
			.sort((a, b) => a.receivedAt! - b.receivedAt!);
		expect(bonusCalls).toHaveLength(4);
		for (let i = 1; i < bonusCalls.length; i++)
			expect(bonusCalls[i].receivedAt!).toBeGreaterThanOrEqual(bonusCalls[i - 1].answeredAt!);
	});

	it('refuses an amount below 0.01 before any call', async () => {
		await expect(pay({ amount: 0 })).rejects.toThrow('Amount must be at least 0.01');
		expect(emulator.calls).toHaveLength(0);
	});

	it.each([
		['"1e9"', '1e9'],
		['true', true],
		['[5]', [5]],
		['"0x10"', '0x10'],
		['1e21', 1e21],
		['1.234', 1.234],
		['"1.234"', '1.234'],
		['""', ''],
		['"-1"', '-1'],
		['"1,50"', '1,50'],
		['NaN', NaN],
		['0.1 + 0.2', 0.1 + 0.2],
	])('refuses Amount %s before any call', async (_label, amount) => {
		await expect(pay({ amount })).rejects.toThrow(/^Amount .* is not an amount$/);
		expect(emulator.calls).toHaveLength(0);
	});

	it.each([
		[1.5, '1.50'],
		['1.50', '1.50'],
		[' 2 ', '2.00'],
		[3, '3.00'],
		['0.01', '0.01'],
	])('pays Amount %j as %s', async (amount, sent) => {
		await pay({ amount });
		expect(emulator.callsTo('POST', /bonus-payments\/$/)[0].body.csv_bonuses).toBe(
			`${PARTICIPANT},${sent}`,
		);
	});

	it('refuses a bonus above Maximum Amount before any call, naming both', async () => {
		await expect(pay({ amount: '150', maximumAmount: '5' })).rejects.toMatchObject({
			message: 'Amount 150.00 is above the Maximum Amount 5.00',
		});
		await expect(pay({ amount: 2, maximumAmount: 'five' })).rejects.toThrow(
			'Maximum Amount "five" is not an amount',
		);
		expect(emulator.calls).toHaveLength(0);
		expect((await pay({ amount: '5.00', maximumAmount: 5 }))[0]).toMatchObject({ accepted: true });
	});
});

describe('AI agents', () => {
	const asAgent = { asTool: true };
	const moneyMoves: Array<[string, (allow: boolean) => unknown]> = [
		[
			'Submission › Approve',
			(allow) => submission('approve', APPROVE_ME, { allowAgentMoney: allow }, asAgent),
		],
		[
			'Submission › Reject',
			(allow) =>
				submission(
					'reject',
					REJECT_ME,
					{ rejectionMessage: REJECTION, allowAgentMoney: allow },
					asAgent,
				),
		],
		[
			'Submission › Request Return',
			(allow) =>
				submission(
					'requestReturn',
					APPROVE_ME,
					{ returnReasons: ['Withdrew consent'], allowAgentMoney: allow },
					asAgent,
				),
		],
		['Bonus › Pay', (allow) => pay({ allowAgentMoney: allow }, asAgent)],
	];

	it.each(moneyMoves)(
		'%s: refused for an agent unless Allow AI Agents to Move Money is on; nothing sent',
		async (name, asAgentWith) => {
			await expect(asAgentWith(false)).rejects.toMatchObject({
				message: 'AI agents may not approve, reject, return or pay with this node',
			});
			expect(emulator.calls).toHaveLength(0);
			await asAgentWith(true);
			expect(emulator.calls.filter((call) => call.method === 'POST')).toHaveLength(
				name === 'Bonus › Pay' ? 2 : 1,
			);
		},
	);

	it('reads are open to agents: Submission › Get runs as a tool without the option', async () => {
		const [found] = await run(
			{ resource: 'submission', operation: 'get', submissionId: byId(APPROVE_ME) },
			asAgent,
		);
		expect(found).toMatchObject({ submissionId: APPROVE_ME });
	});

	it('the option shows only where the node runs as a tool (n8n’s @tool display option)', () => {
		const option = new Prolific().description.properties.find(
			(property) => property.name === 'allowAgentMoney',
		);
		expect(option?.displayOptions?.show?.['@tool']).toEqual([true]);
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
				reward: 1.5,
				rewardMinorUnits: 150,
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

	it('Get Many: a studies list that ignores paging gives each of its 120 studies once, in one call', async () => {
		for (let i = 0; i < 118; i++)
			emulator.addStudy({ id: `90f6acb180a7b59ac062${String(i).padStart(4, '0')}`, name: `S${i}` });
		const all = await run({ resource: 'study', operation: 'getAll', returnAll: true });
		expect(all).toHaveLength(120);
		expect(new Set(all.map((study) => study.studyId)).size).toBe(120);
		const calls = emulator.callsTo('GET', /^\/api\/v1\/studies\/$/);
		expect(calls).toHaveLength(1);
		expect([...calls[0].query.keys()]).toEqual([]); // Prolific documents no paging here
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
