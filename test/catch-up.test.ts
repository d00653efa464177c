/**
 * Prolific and Cint Missed Events against the provider emulators, through n8n-core's helpers: each
 * reads only the registrations this workflow's trigger recorded on publish (global static data),
 * emits every finally failed event once in the trigger's item shape with `recovered: true`, keeps
 * its own cursor and bounded memory (a second poll, a restart, a log that repeats: nothing twice),
 * shares `eventId` with the trigger (also when Prolific's bytes are Python's), re-enables a
 * subscription Prolific disabled with a notice on Problems only, never throws (a failing log is a
 * notice, once), works off a long backlog over several polls and within n8n's poll budget, and
 * explains itself on a manual run without a registration.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { ProlificApi } from '../credentials/ProlificApi.credentials';
import { CintMissedEvents } from '../nodes/Cint/CintMissedEvents.node';
import { ProlificMissedEvents } from '../nodes/Prolific/ProlificMissedEvents.node';
import { CATCH_UP_LIMITS } from '../nodes/shared/catch-up';
import { PUBLISHED_FIELD } from '../nodes/shared/published';
import { CintEmulator } from '../scripts/lib/emulators/cint';
import { ProlificEmulator } from '../scripts/lib/emulators/prolific';
import { pythonJsonDumps } from '../scripts/lib/json-tree';
import { prolificSignature } from '../scripts/lib/provider-signing';
import { lifecycle } from './helpers/lifecycle';
import { createHarness, pollContext, type Harness } from './helpers/n8n-context';
import { post, startWebhookServer } from './helpers/webhook-server';
import { cintHarness, node as cintTrigger } from './cint/setup';
import { node as prolificTrigger, prolificHarness, WORKSPACE } from './prolific/setup';

const URL = 'https://n8n.example.test/webhook/4c0e2f5a/webhook';
const prolificMissed = new ProlificMissedEvents();
const cintMissed = new CintMissedEvents();

/** The catch-up node beside a trigger: the same workflow (global static data), its own node data. */
function catchUpHarness(trigger: Harness, nodeType: string): Harness {
	return createHarness({
		nodeType,
		parameters: { simple: true },
		credentialTypes: Object.values(trigger.credentialTypes),
		credentials: trigger.credentials,
		globalStaticData: trigger.globalStaticData,
	});
}

const poll = (
	node: ProlificMissedEvents | CintMissedEvents,
	harness: Harness,
	options?: Parameters<typeof pollContext>[1],
) => node.poll.call(pollContext(harness, options)) as Promise<INodeExecutionData[][] | null>;
const json = (items: INodeExecutionData[] | undefined) => (items ?? []).map((item) => item.json);

describe('Prolific Missed Events', () => {
	let prolific: ProlificEmulator;
	let trigger: Harness;
	let catchUp: Harness;
	let subscription: string;

	beforeEach(async () => {
		prolific = new ProlificEmulator();
		await prolific.start();
		trigger = prolificHarness(prolific, {}, { webhookUrl: URL });
		await lifecycle(prolificTrigger, trigger).publish();
		subscription = Object.values(trigger.staticData.subscriptionIds as Record<string, string>)[0];
		catchUp = catchUpHarness(trigger, 'n8n-nodes-survey-triggers.prolificMissedEvents');
	});
	afterEach(() => prolific.stop());

	const failed = (eventId: string, body: IDataObject, status = 'FAILED') =>
		prolific.log.set(subscription, [
			...(prolific.log.get(subscription) ?? []),
			{
				id: eventId,
				datetime_created: '2026-12-07T10:00:00.000000Z',
				datetime_updated: `2026-12-08T10:00:${String((prolific.log.get(subscription) ?? []).length % 60).padStart(2, '0')}.000000Z`,
				event_type: String(body.event_type),
				resource_id: String(body.resource_id),
				status: status as 'FAILED',
				payload: body,
			},
		]);
	const submission = (id: string, status = 'APPROVED') => ({
		resource_id: id,
		event_type: 'submission.status.change',
		participant_id: '5f00beef',
		status,
	});

	it('publishing records this workflow’s subscriptions for the catch-up node, without the secret', () => {
		const published = (trigger.globalStaticData[PUBLISHED_FIELD] as IDataObject)
			.Trigger as IDataObject;
		expect(published).toMatchObject({ provider: 'prolific', ids: [subscription], webhookUrl: URL });
		expect(JSON.stringify(trigger.globalStaticData)).not.toContain(
			prolific.secrets.get(WORKSPACE)!.value,
		);
	});

	it('emits each FAILED event once as the trigger’s item, recovered; a second poll and a restart emit nothing; SUCCEEDED ones never', async () => {
		failed('evt-1', submission('64f0c0ffee000000000000a1'));
		failed('evt-2', submission('64f0c0ffee000000000000a2', 'RETURNED'));
		failed('evt-ok', submission('64f0c0ffee000000000000a3'), 'SUCCEEDED');
		const [events, problems] = (await poll(prolificMissed, catchUp))!;
		expect(json(events)).toEqual([
			expect.objectContaining({
				provider: 'prolific',
				eventId: 'evt-1',
				eventType: 'submission.status.change',
				submissionId: '64f0c0ffee000000000000a1',
				participantId: '5f00beef',
				status: 'APPROVED',
				workspaceId: WORKSPACE,
				recovered: true,
				failedAt: '2026-12-08T10:00:00.000000Z',
			}),
			expect.objectContaining({ eventId: 'evt-2', status: 'RETURNED', recovered: true }),
		]);
		expect(json(problems)).toEqual([]);
		expect(await poll(prolificMissed, catchUp)).toBeNull();
		// A restart: the same node data, read again.
		const restarted = createHarness({
			nodeType: catchUp.node.type,
			parameters: catchUp.parameters,
			credentialTypes: Object.values(catchUp.credentialTypes),
			credentials: catchUp.credentials,
			globalStaticData: JSON.parse(JSON.stringify(trigger.globalStaticData)),
			staticData: JSON.parse(JSON.stringify(catchUp.staticData)),
		});
		expect(await poll(prolificMissed, restarted)).toBeNull();
		// The trigger's own node data is never written by the catch-up node.
		expect(Object.keys(trigger.staticData).sort()).toEqual(
			['secret', 'subscriptionIds', 'webhookUrl', 'workspaceId'].sort(),
		);
	});

	it('shares eventId with the trigger, also for Prolific’s Python-style bytes (the dedupeKeys differ)', async () => {
		const body = { ...submission('64f0c0ffee000000000000b1'), note: 'Zoë — 🙂' };
		const raw = pythonJsonDumps(body);
		expect(raw).toContain('\\u00eb');
		const server = await startWebhookServer(prolificTrigger, trigger);
		try {
			const timestamp = String(Math.floor(Date.now() / 1000));
			const secret = prolific.secrets.get(WORKSPACE)!.value;
			const answer = await post(server.url, raw, {
				'content-type': 'application/json',
				'x-prolific-request-signature': prolificSignature(secret, timestamp, raw),
				'x-prolific-request-timestamp': timestamp,
				'x-event-id': 'evt-both',
			});
			expect(answer.status).toBe(200);
		} finally {
			await server.close();
		}
		failed('evt-both', JSON.parse(raw));
		const [events] = (await poll(prolificMissed, catchUp))!;
		const live = server.executions[0][0].json;
		const recovered = events[0].json;
		expect(recovered.eventId).toBe(live.eventId);
		expect(recovered.dedupeKey).not.toBe(live.dedupeKey);
		const { eventId, dedupeKey, receivedAt, replayKey, sentAt, ...liveFields } = live;
		expect(recovered).toMatchObject(liveFields);
		expect([eventId, dedupeKey, receivedAt, replayKey, sentAt]).not.toContain(undefined);
	});

	it('re-enables a subscription Prolific disabled, with a notice on Problems only', async () => {
		prolific.subscriptions.get(subscription)!.is_enabled = false;
		const [events, problems] = (await poll(prolificMissed, catchUp))!;
		expect(prolific.subscriptions.get(subscription)!.is_enabled).toBe(true);
		expect(json(events)).toEqual([]);
		expect(json(problems)).toEqual([
			expect.objectContaining({
				provider: 'prolific',
				problem: 'subscription-enabled',
				message: expect.stringMatching(/disabled the subscription .* enabled again/),
			}),
		]);
	});

	it('never throws: a log that cannot be read is one notice, not repeated at the next poll; then it reads on', async () => {
		prolific.inject({ method: 'GET', path: /\/events\/$/, status: 500 });
		const [events, problems] = (await poll(prolificMissed, catchUp))!;
		expect(json(events)).toEqual([]);
		expect(json(problems)).toEqual([
			expect.objectContaining({
				problem: 'catch-up-failed',
				message: expect.stringContaining('tries again'),
			}),
		]);
		expect(JSON.stringify(problems)).not.toContain(prolific.token);
		expect(await poll(prolificMissed, catchUp)).toBeNull();
		prolific.clearFaults();
		failed('evt-after', submission('64f0c0ffee000000000000c1'));
		expect(json((await poll(prolificMissed, catchUp))![0]).map((item) => item.eventId)).toEqual([
			'evt-after',
		]);
	});

	it('works off a long backlog over several polls, within the bounds, each event once', async () => {
		const total = CATCH_UP_LIMITS.eventsPerPoll * 2 + 150;
		for (let i = 0; i < total; i++)
			failed(`evt-${i}`, submission(`64f0c0ffee${String(i).padStart(14, '0')}`));
		const seen: string[] = [];
		let polls = 0;
		for (;;) {
			const result = await poll(prolificMissed, catchUp);
			if (!result) break;
			polls++;
			expect(result[0].length).toBeLessThanOrEqual(CATCH_UP_LIMITS.eventsPerPoll);
			seen.push(...json(result[0]).map((item) => String(item.eventId)));
			expect(polls).toBeLessThan(10);
		}
		expect(seen).toHaveLength(total);
		expect(new Set(seen).size).toBe(total);
	});

	it('stops early within n8n’s poll budget, and goes on from there next time', async () => {
		for (let i = 0; i < 300; i++)
			failed(`evt-${i}`, submission(`64f0c0ffee${String(i).padStart(14, '0')}`));
		prolific.inject({ method: 'GET', path: /\/events\/$/, delayMs: 60 });
		const first = (await poll(prolificMissed, catchUp, { budgetMs: 100 }))!;
		expect(first[0].length).toBeGreaterThan(0);
		expect(first[0].length).toBeLessThan(300);
		prolific.clearFaults();
		const rest = (await poll(prolificMissed, catchUp))!;
		expect(first[0].length + rest[0].length).toBe(300);
	});

	it('Fetch Test Event shows recent failed events without remembering them', async () => {
		failed('evt-t', submission('64f0c0ffee000000000000d1'));
		const [events] = (await poll(prolificMissed, catchUp, { mode: 'manual' }))!;
		expect(json(events).map((item) => item.eventId)).toEqual(['evt-t']);
		expect(json((await poll(prolificMissed, catchUp))![0]).map((item) => item.eventId)).toEqual([
			'evt-t',
		]);
	});
});

it('without a published trigger in the workflow: a poll emits nothing (a log line), Fetch Test Event explains on Problems', async () => {
	const lonely = createHarness({
		nodeType: 'n8n-nodes-survey-triggers.prolificMissedEvents',
		parameters: { simple: true },
		credentialTypes: [new ProlificApi()],
		credentials: { prolificApi: { apiToken: 'unused-token', baseUrl: 'http://127.0.0.1:9' } },
	});
	expect(await poll(prolificMissed, lonely)).toBeNull();
	expect(lonely.logs.map((line) => line.message).join('\n')).toContain(
		'No published Prolific Trigger',
	);
	const [events, problems] = (await poll(prolificMissed, lonely, { mode: 'manual' }))!;
	expect(events).toEqual([]);
	expect(json(problems)).toEqual([
		expect.objectContaining({
			problem: 'not-published',
			message: expect.stringContaining('on n8n 1.x'),
		}),
	]);
});

describe('Cint Missed Events', () => {
	let cint: CintEmulator;
	let trigger: Harness;
	let catchUp: Harness;
	let webhookId: string;

	beforeEach(async () => {
		cint = new CintEmulator();
		await cint.start();
		trigger = cintHarness(cint, {}, { webhookUrl: URL });
		await lifecycle(cintTrigger, trigger).publish();
		webhookId = String(trigger.staticData.webhookId);
		catchUp = catchUpHarness(trigger, 'n8n-nodes-survey-triggers.cintMissedEvents');
	});
	afterEach(() => cint.stop());

	const cloudEvent = (id: string) => ({
		id,
		specversion: '1.0',
		source: 'https://api.cint.com',
		type: 'com.cint.session.updated',
		time: '2026-12-07T10:00:00.000Z',
		datacontenttype: 'application/json',
		data: { account_id: 1, response_session_id: `rs-${id}`, status: 'complete' },
	});
	const history = (...entries: Array<[string, string]>) =>
		cint.history.set(
			webhookId,
			entries.map(([id, status]) => ({
				status,
				at: new Date().toISOString(),
				event: cloudEvent(id),
			})),
		);

	it('emits bounced and expired events once, as the trigger’s item; an undelivered one waits until Cint gives up on it', async () => {
		history(
			['ce-1', 'delivered'],
			['ce-2', 'bounced'],
			['ce-3', 'undelivered'],
			['ce-4', 'expired'],
		);
		const [events] = (await poll(cintMissed, catchUp))!;
		expect(json(events)).toEqual([
			expect.objectContaining({
				provider: 'cint',
				eventId: 'ce-2',
				eventType: 'session-updated',
				recovered: true,
			}),
			expect.objectContaining({ eventId: 'ce-4', recovered: true }),
		]);
		expect(await poll(cintMissed, catchUp)).toBeNull();
		cint.history.get(webhookId)![2].status = 'expired';
		expect(json((await poll(cintMissed, catchUp))![0]).map((item) => item.eventId)).toEqual([
			'ce-3',
		]);
		expect(await poll(cintMissed, catchUp)).toBeNull();
	});
});
