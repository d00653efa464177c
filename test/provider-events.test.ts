/**
 * Every event type the provider offers, and the provider's view of delivery health, against the
 * Prolific and Cint emulators over real HTTP: the Events parameter loads the types the provider
 * lists (built-in list and a log line when it cannot), a type the package does not know is
 * subscribed to and delivered with a sensible item, and every publish logs what the provider
 * reports FAILED or undelivered.
 */
import { cintEventName } from '../nodes/Cint/events';
import { apiLimits } from '../nodes/shared/api';
import { CintEmulator, CINT_EVENT_TYPES, CINT_EXTRA_EVENT } from '../scripts/lib/emulators/cint';
import { ProlificEmulator, PROLIFIC_EXTRA_EVENT } from '../scripts/lib/emulators/prolific';
import {
	cintSignatureHeader,
	nowSeconds,
	prolificSignature,
} from '../scripts/lib/provider-signing';
import { cintHarness, node as cintNode } from './cint/setup';
import { lifecycle } from './helpers/lifecycle';
import { loadOptionsContext, type Harness } from './helpers/n8n-context';
import { post, startWebhookServer } from './helpers/webhook-server';
import { node as prolificNode, prolificHarness, WORKSPACE } from './prolific/setup';

const URL_A = 'https://n8n.example.test/webhook/4c0e2f5a/webhook';
const savedLimits = { ...apiLimits };
let prolific: ProlificEmulator;
let cint: CintEmulator;

beforeEach(async () => {
	[prolific, cint] = await Promise.all([
		new ProlificEmulator().start(),
		new CintEmulator().start(),
	]);
	Object.assign(apiLimits, { backoffMs: 10, maxRetryAfterMs: 50, attempts: 2 });
});
afterEach(async () => {
	Object.assign(apiLimits, savedLimits);
	await Promise.all([prolific.stop(), cint.stop()]);
});

const warnings = (harness: Harness) =>
	harness.logs.filter((line) => line.level === 'warn').map((line) => line.message);

describe('Prolific: event types from GET /api/v1/hooks/event-types/', () => {
	const load = (harness: Harness) =>
		prolificNode.methods!.loadOptions!.listEventTypes.call(loadOptionsContext(harness));

	it('lists the built-in events first, then the types Prolific adds, with its description', async () => {
		const options = await load(prolificHarness(prolific));
		expect(options.map((option) => option.value)).toEqual([
			'submission.status.change',
			'study.status.change',
			'study.progress.change',
			'study.has_high_return_rate',
			PROLIFIC_EXTRA_EVENT,
		]);
		expect(options[0].name).toBe('Submission Status Changed');
		expect(options[4]).toEqual({
			name: 'Participant Submission Created',
			value: PROLIFIC_EXTRA_EVENT,
			description: `Sent on ${PROLIFIC_EXTRA_EVENT}`,
		});
	});

	it('shows the built-in list, and logs why, when Prolific cannot be reached or refuses', async () => {
		prolific.eventTypesStatus = 503;
		const harness = prolificHarness(prolific);
		const options = await load(harness);
		expect(options.map((option) => option.value)).toEqual([
			'submission.status.change',
			'study.status.change',
			'study.progress.change',
			'study.has_high_return_rate',
		]);
		expect(warnings(harness)).toEqual([
			expect.stringMatching(
				/^Prolific Trigger could not load the event types from Prolific, so Events shows the built-in list: .*503/,
			),
		]);
		const unreachable = prolificHarness(undefined);
		expect(await load(unreachable)).toHaveLength(4);
		expect(warnings(unreachable)).toHaveLength(1);
		expect(JSON.stringify(unreachable.logs)).not.toContain('unused-token');
	});

	it('subscribes to a type it does not know and delivers it as an item', async () => {
		const harness = prolificHarness(prolific, {
			events: ['submission.status.change', PROLIFIC_EXTRA_EVENT],
		});
		await lifecycle(prolificNode, harness).publish();
		expect([...prolific.subscriptions.values()].map((s) => s.event_type).sort()).toEqual([
			PROLIFIC_EXTRA_EVENT,
			'submission.status.change',
		]);
		const server = await startWebhookServer(prolificNode, harness);
		try {
			const body = JSON.stringify({
				resource_id: '64f0c0ffee',
				event_type: PROLIFIC_EXTRA_EVENT,
				participant_id: '5f00beef',
			});
			const timestamp = nowSeconds();
			const secret = prolific.secrets.get(WORKSPACE)!.value;
			const headers = {
				'content-type': 'application/json',
				'x-prolific-request-signature': prolificSignature(secret, timestamp, body),
				'x-prolific-request-timestamp': timestamp,
				'x-event-id': 'evt-new',
			};
			expect((await post(server.url, body, headers)).status).toBe(200);
			expect(server.executions[0][0].json).toMatchObject({
				eventId: 'evt-new',
				eventType: PROLIFIC_EXTRA_EVENT,
				submissionId: '64f0c0ffee',
				studyId: null,
				participantId: '5f00beef',
			});
			expect(server.executions[0][0].json.warnings).toBeUndefined();
		} finally {
			await server.close();
		}
	});

	it('reports on publish how many deliveries Prolific counts FAILED (meta.count), per event, and the next delivery that runs nothing on Event carries it to Problems', async () => {
		const harness = prolificHarness(
			prolific,
			{ events: ['submission.status.change', 'study.status.change'] },
			{ webhookUrl: URL_A },
		);
		await lifecycle(prolificNode, harness).publish();
		expect(warnings(harness)).toEqual([]);
		expect(harness.staticData.deliveryReport).toBeUndefined();
		const subscriptionIds = harness.staticData.subscriptionIds as Record<string, string>;
		// More than one page holds: the total comes from meta.count, as Prolific answers it.
		prolific.failedDeliveries.set(subscriptionIds['submission.status.change'], 250);
		prolific.failedDeliveries.set(subscriptionIds['study.status.change'], 3);
		// Prolific disabled the subscription after repeated failures: the next publish enables it and says so.
		prolific.subscriptions.get(subscriptionIds['submission.status.change'])!.is_enabled = false;
		await lifecycle(prolificNode, harness).publish();
		expect(
			prolific.subscriptions.get(subscriptionIds['submission.status.change'])!.is_enabled,
		).toBe(true);
		const message =
			'Prolific reports 253 FAILED deliveries to this trigger (submission.status.change: 250, study.status.change: 3). Prolific retries a delivery for 24 h and disables a subscription that keeps failing (publishing enables it again); check that n8n is reachable from Prolific; a Prolific Missed Events node in this workflow runs the events Prolific gave up on.';
		expect(warnings(harness)).toEqual([
			`Prolific Trigger "Trigger" in workflow "Survey follow-up" (${harness.workflowId}): ${message}`,
		]);
		expect(
			prolific.callsTo('GET', /\/events\/$/).map((call) => call.query.get('status')),
		).toContain('FAILED');
		expect(harness.staticData.deliveryReport).toEqual({
			failed: 253,
			message,
			readAt: expect.stringMatching(/^20\d\d-/),
		});
		expect(JSON.stringify(harness.logs)).not.toContain(prolific.token);

		// A publish starts no run: the reading goes out, once per reading, with the next delivery that
		// runs nothing on Event (here Prolific's resend of evt-a), never beside an event.
		const server = await startWebhookServer(prolificNode, harness);
		try {
			const secret = prolific.secrets.get(WORKSPACE)!.value;
			for (const eventId of ['evt-a', 'evt-b', 'evt-a']) {
				const body = JSON.stringify({
					resource_id: `sub-${eventId}`,
					event_type: 'submission.status.change',
					status: 'APPROVED',
				});
				const timestamp = nowSeconds();
				const headers = {
					'content-type': 'application/json',
					'x-prolific-request-signature': prolificSignature(secret, timestamp, body),
					'x-prolific-request-timestamp': timestamp,
					'x-event-id': eventId,
				};
				expect((await post(server.url, body, headers)).status).toBe(200);
			}
			expect(server.runs).toEqual([
				{ events: 1, problems: 0 },
				{ events: 1, problems: 0 },
				{ events: 0, problems: 1 },
			]);
			expect(server.problems.map((item) => item.json)).toEqual([
				{
					provider: 'prolific',
					problem: 'provider-failures',
					count: 253,
					firstSeenAt: (harness.staticData.deliveryReport as { readAt: string }).readAt,
					lastSeenAt: (harness.staticData.deliveryReport as { readAt: string }).readAt,
					reason: 'the provider reports deliveries that failed',
					message,
					reportWindowMinutes: 10,
				},
			]);
			expect(server.problemRuns).toBe(1);
		} finally {
			await server.close();
		}

		// All well on the next publish: the reading is gone.
		prolific.failedDeliveries.clear();
		await lifecycle(prolificNode, harness).publish();
		expect(harness.staticData.deliveryReport).toBeUndefined();
	});

	it('publishes even when the delivery log cannot be read, and says so', async () => {
		prolific.inject({ method: 'GET', path: /\/events\/$/, status: 500, body: { detail: 'boom' } });
		const harness = prolificHarness(prolific, {}, { webhookUrl: URL_A });
		await lifecycle(prolificNode, harness).publish();
		expect([...prolific.subscriptions.values()]).toHaveLength(1);
		expect(warnings(harness)).toEqual([
			expect.stringContaining('could not read the delivery history from Prolific'),
		]);
	});
});

describe('Cint: event types from GET /accounts/{id}/webhooks-events', () => {
	const load = (harness: Harness) =>
		cintNode.methods!.loadOptions!.listEventTypes.call(loadOptionsContext(harness));

	it('lists the built-in events first, then the ones Cint adds', async () => {
		const options = await load(cintHarness(cint));
		expect(options.map((option) => option.value)).toEqual([
			'session-updated',
			'target-group-updated',
			'quota-fill-registered',
			CINT_EXTRA_EVENT,
		]);
		expect(options[3].name).toBe('Project Updated');
	});

	it('shows the built-in list, and logs why, when Cint cannot be reached', async () => {
		const harness = cintHarness(undefined);
		expect((await load(harness)).map((option) => option.value)).toEqual([
			'session-updated',
			'target-group-updated',
			'quota-fill-registered',
		]);
		expect(warnings(harness)).toEqual([
			expect.stringMatching(
				/^Cint Trigger could not load the event types from Cint, so Events shows the built-in list: /,
			),
		]);
	});

	it('names every CloudEvents type by one rule: com.cint. stripped, dots to hyphens', () => {
		for (const [name, type] of Object.entries(CINT_EVENT_TYPES))
			expect(cintEventName(type)).toBe(name);
		expect(cintEventName('session-updated')).toBe('session-updated');
		expect(cintEventName('com.cint.respondent.quality.flagged')).toBe('respondent-quality-flagged');
		expect([cintEventName(''), cintEventName(null), cintEventName(undefined)]).toEqual([
			undefined,
			undefined,
			undefined,
		]);
	});

	it('registers a type it does not know, runs its delivery, and ignores it when not selected', async () => {
		const harness = cintHarness(
			cint,
			{ events: ['session-updated', CINT_EXTRA_EVENT] },
			{ webhookUrl: URL_A },
		);
		await lifecycle(cintNode, harness).publish();
		expect(cint.webhooksFor(URL_A)[0].events.sort()).toEqual([CINT_EXTRA_EVENT, 'session-updated']);
		const server = await startWebhookServer(cintNode, harness);
		try {
			const body = JSON.stringify({
				id: 'ce-1',
				specversion: '1.0',
				type: CINT_EVENT_TYPES[CINT_EXTRA_EVENT],
				time: '2026-11-30T10:00:00Z',
				data: { account_id: 12345, project_id: 'p1', changes: [] },
			});
			const headers = {
				'content-type': 'application/json',
				'cint-signature': cintSignatureHeader(
					cint.webhooksFor(URL_A)[0].secret,
					nowSeconds(),
					body,
				),
			};
			expect((await post(server.url, body, headers)).status).toBe(200);
			expect(server.executions[0][0].json).toMatchObject({
				eventId: 'ce-1',
				eventType: CINT_EXTRA_EVENT,
				occurredAt: '2026-11-30T10:00:00.000Z',
				data: { project_id: 'p1' },
			});
			harness.parameters.events = ['session-updated'];
			const ignored = await post(server.url, body.replace('ce-1', 'ce-2'), {
				...headers,
				'cint-signature': cintSignatureHeader(
					cint.webhooksFor(URL_A)[0].secret,
					nowSeconds(),
					body.replace('ce-1', 'ce-2'),
				),
			});
			expect(ignored.body).toEqual({
				status: 'ignored',
				reason: 'event not selected in the trigger',
			});
			expect(
				harness.logs.filter((line) => line.level === 'info').map((line) => line.message),
			).toEqual([
				`Cint Trigger "Trigger" in workflow "Survey follow-up" (${harness.workflowId}) ignored a delivery: Event \`${CINT_EXTRA_EVENT}\` arrived but is not selected in Events. (count since the previous line: 1)`,
			]);
		} finally {
			await server.close();
		}
	});

	it('warns on publish of the undelivered, bounced and expired deliveries since it registered, every page of the history', async () => {
		const harness = cintHarness(cint, {}, { webhookUrl: URL_A });
		await lifecycle(cintNode, harness).publish();
		const registeredAt = String(harness.staticData.registeredAt);
		expect(Date.parse(registeredAt)).toBeGreaterThan(Date.now() - 60_000);
		expect(warnings(harness)).toEqual([]);
		const [webhook] = cint.webhooksFor(URL_A);
		const before = new Date(Date.parse(registeredAt) - 3_600_000).toISOString();
		cint.history.set(webhook.id, [
			{ status: 'undelivered', at: before },
			{ status: 'delivered', at: registeredAt },
			{ status: 'undelivered', at: registeredAt },
			{ status: 'bounced', at: registeredAt },
			{ status: 'expired', at: registeredAt },
			{ status: 'expired', at: registeredAt },
			// Three pages of 100 in all: the last failures are on the last page.
			...Array.from({ length: 250 }, () => ({ status: 'delivered', at: registeredAt })),
			...Array.from({ length: 40 }, () => ({ status: 'undelivered', at: registeredAt })),
		]);
		await lifecycle(cintNode, harness).publish();
		expect(warnings(harness)).toEqual([
			`Cint Trigger "Trigger" in workflow "Survey follow-up" (${harness.workflowId}): Cint reports deliveries to this trigger that did not arrive since ${registeredAt}: 41 undelivered, 1 bounced, 2 expired. Check that n8n is reachable from Cint; a Cint Missed Events node in this workflow runs the events Cint gave up on.`,
		]);
		expect(harness.staticData.deliveryReport).toMatchObject({ failed: 44 });
		expect(
			cint
				.callsTo('GET', /events-history$/)
				.slice(-3)
				.map((call) => call.query.get('start_after')),
		).toEqual([null, 'h100', 'h200']);
		expect(JSON.stringify(harness.logs)).not.toContain(webhook.secret);
		expect(
			cint
				.callsTo('GET', /events-history$/)
				.at(-1)
				?.query.get('start_time'),
		).toBe(registeredAt);
	});
});
