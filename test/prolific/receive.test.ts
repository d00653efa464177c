/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets -- Node-side code (tests, emulators, scripts), never loaded by n8n */
/**
 * The shared receive pipeline, exercised through the Prolific Trigger over real HTTP: every response
 * rule, the Prolific signature scheme with vectors from the documented algorithm, and the item shape.
 */
import { randomUUID } from 'crypto';

import { fixture as providerFixture, pinClock } from '../helpers/fixtures';
import { nowSeconds, prolificSignature } from '../../scripts/lib/provider-signing';
import { post, startWebhookServer, type WebhookServer } from '../helpers/webhook-server';
import type { Harness } from '../helpers/n8n-context';
import { node, prolificHarness, registeredState, WORKSPACE } from './setup';

const SECRET = 'whsec-prolific-test-secret-7f3a9c';
const fixture = (name: string) => providerFixture('prolific', name);

let harness: Harness;
let server: WebhookServer;

async function serve(parameters = {}) {
	await server?.close();
	harness = prolificHarness(undefined, parameters, {
		staticData: registeredState(SECRET, `https://n8n.example.test/webhook/${randomUUID()}/webhook`),
	});
	server = await startWebhookServer(node, harness);
}

function signed(
	body: string | Buffer,
	extra: Record<string, string | string[]> = {},
	timestamp = nowSeconds(),
) {
	return {
		'content-type': 'application/json',
		'x-prolific-request-signature': prolificSignature(SECRET, timestamp, body),
		'x-prolific-request-timestamp': timestamp,
		'x-event-id': 'evt-0001',
		'x-timestamp': '2026-11-23T10:00:00Z',
		...extra,
	};
}

beforeEach(() =>
	serve({
		events: [
			'submission.status.change',
			'study.status.change',
			'study.progress.change',
			'study.has_high_return_rate',
		],
	}),
);
afterEach(() => {
	expect(server.faults).toEqual([]);
});
afterAll(() => server.close());

describe('accepted deliveries', () => {
	it('turns a signed submission event into one simplified item', async () => {
		const body = fixture('submission.status.change');
		const result = await post(server.url, body, signed(body));
		expect(result.status).toBe(200);
		expect(server.executions).toHaveLength(1);
		const [item] = server.executions[0];
		expect(item.json).toEqual({
			provider: 'prolific',
			eventId: 'evt-0001',
			dedupeKey: expect.stringMatching(/^[0-9a-f]{64}$/),
			eventType: 'submission.status.change',
			receivedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
			replayKey: expect.stringMatching(/^[0-9a-f]{64}$/),
			resourceId: '64f0c0ffee',
			studyId: null,
			submissionId: '64f0c0ffee',
			participantId: '5f00beef',
			status: 'APPROVED',
			metadata: null,
			sentAt: '2026-11-23T10:00:00.000Z',
			workspaceId: WORKSPACE,
		});
	});

	it.each([
		[
			'study.status.change',
			{ studyId: '65a1d2c3e4f5a6b7c8d9e0f1', status: 'AWAITING REVIEW', metadata: {} },
		],
		[
			'study.progress.change',
			{ studyId: '65a1d2c3e4f5a6b7c8d9e0f1', status: null, metadata: null },
		],
		[
			'study.has_high_return_rate',
			{ studyId: '65a1d2c3e4f5a6b7c8d9e0f1', metadata: { return_rate: 0.31 } },
		],
	])('shapes %s', async (event, expected) => {
		const body = fixture(event);
		expect((await post(server.url, body, signed(body))).status).toBe(200);
		expect(server.executions[0][0].json).toMatchObject({
			eventType: event,
			submissionId: null,
			...expected,
		});
	});

	it('accepts unknown statuses and extra fields Prolific may add later', async () => {
		const body = JSON.stringify({
			resource_id: 'sub-9',
			event_type: 'submission.status.change',
			participant_id: 'p-1',
			status: 'UNDER APPEAL',
			study_id: 'st-1',
		});
		expect((await post(server.url, body, signed(body))).status).toBe(200);
		expect(server.executions[0][0].json).toMatchObject({ status: 'UNDER APPEAL' });
	});

	it('falls back to a body hash for eventId when X-Event-ID is missing, stable across retries', async () => {
		const body = fixture('study.progress.change');
		const withoutEventId = (headers: Record<string, unknown>) => {
			delete headers['x-event-id'];
			return headers as Record<string, string>;
		};
		await post(server.url, body, withoutEventId(signed(body)));
		await post(
			server.url,
			body,
			withoutEventId(signed(body, {}, String(Number(nowSeconds()) - 5))),
		);
		const [first, second] = server.executions.map((execution) => execution[0].json.eventId);
		expect(first).toMatch(/^sha256:[0-9a-f]{64}$/);
		expect(second).toBe(first);
	});

	it('gives the body exactly as received with Simplify off, headers beside it when asked', async () => {
		await serve({ simple: false, options: { includeHeaders: true } });
		const body = fixture('submission.status.change');
		await post(server.url, body, { ...signed(body), authorization: 'Bearer proxy-token' });
		const json = server.executions[0][0].json as {
			body: unknown;
			headers: Record<string, unknown>;
		};
		expect(json.body).toEqual(JSON.parse(body));
		expect(json.headers['x-event-id']).toBe('evt-0001');
		expect(json.headers).not.toHaveProperty('x-prolific-request-signature');
		expect(json.headers).not.toHaveProperty('authorization');
	});

	it('adds headers without the signature to simplified items when asked', async () => {
		await serve({ options: { includeHeaders: true } });
		const body = fixture('submission.status.change');
		await post(server.url, body, signed(body));
		const headers = server.executions[0][0].json.headers as Record<string, unknown>;
		expect(headers['x-prolific-request-timestamp']).toBeDefined();
		expect(headers).not.toHaveProperty('x-prolific-request-signature');
	});

	it('handles a huge signed body without failing', async () => {
		const body = JSON.stringify({
			resource_id: 'st-huge',
			event_type: 'study.has_high_return_rate',
			metadata: { notes: 'x'.repeat(8 * 1024 * 1024) },
		});
		expect((await post(server.url, body, signed(body))).status).toBe(200);
		expect(server.executions).toHaveLength(1);
	});
});

describe('the documented vector through the node', () => {
	afterEach(() => jest.useRealTimers());

	it('accepts the documented example (secret test_secret, timestamp 1700000000) when the clock agrees', async () => {
		pinClock(1700000000 * 1000 + 42_000);
		harness.staticData.secret = 'test_secret';
		const body = fixture('submission.status.change');
		const headers = {
			'content-type': 'application/json',
			'x-prolific-request-signature': 'ICLjOVvrs45Bd3SpNVoPQPiqe97YqxZTkMGvIpRix6w=',
			'x-prolific-request-timestamp': '1700000000',
			'x-event-id': 'evt-doc',
		};
		expect((await post(server.url, body, headers)).status).toBe(200);
		expect(server.executions[0][0].json).toMatchObject({
			eventId: 'evt-doc',
			status: 'APPROVED',
			receivedAt: '2023-11-14T22:14:02.000Z',
		});
		jest.setSystemTime(1700000000 * 1000 + 301_000);
		expect((await post(server.url, body, headers)).status).toBe(401);
	});
});

describe('refused deliveries (401, no execution)', () => {
	const body = fixture('submission.status.change');
	const cases: Array<[string, () => Record<string, string | string[]>, string]> = [
		[
			'no signature header',
			() => {
				const h = signed(body);
				delete (h as Record<string, unknown>)['x-prolific-request-signature'];
				return h;
			},
			'missing x-prolific-request-signature header',
		],
		[
			'no timestamp header',
			() => {
				const h = signed(body);
				delete (h as Record<string, unknown>)['x-prolific-request-timestamp'];
				return h;
			},
			'missing x-prolific-request-timestamp header',
		],
		[
			'an empty signature',
			() => signed(body, { 'x-prolific-request-signature': '' }),
			'missing x-prolific-request-signature header',
		],
		[
			'a signature from another secret',
			() => ({
				...signed(body),
				'x-prolific-request-signature': prolificSignature('not-the-secret', nowSeconds(), body),
			}),
			'signature does not match',
		],
		[
			'a stale timestamp',
			() => {
				const ts = String(Number(nowSeconds()) - 330);
				return signed(body, {}, ts);
			},
			'timestamp is too old',
		],
		[
			'a future timestamp',
			() => {
				const ts = String(Number(nowSeconds()) + 330);
				return signed(body, {}, ts);
			},
			'timestamp is in the future',
		],
		['a malformed timestamp', () => signed(body, {}, '17e8'), 'malformed timestamp'],
		[
			'two conflicting signature headers',
			() =>
				signed(body, {
					'x-prolific-request-signature': [
						prolificSignature(SECRET, nowSeconds(), body),
						'Zm9yZ2Vk',
					],
				}),
			'malformed x-prolific-request-signature header',
		],
		[
			'the signature of a JSON.stringify re-serialisation',
			() => ({
				...signed(body),
				'x-prolific-request-signature': prolificSignature(
					SECRET,
					nowSeconds(),
					JSON.stringify(JSON.parse(body)),
				),
			}),
			'signature does not match',
		],
	];
	it.each(cases)('refuses %s', async (_name, headers, reason) => {
		const result = await post(server.url, body, headers());
		expect(result).toEqual({ status: 401, body: { error: reason } });
		expect(server.executions).toHaveLength(0);
	});

	it('refuses a tampered body signed for the original', async () => {
		const headers = signed(body);
		const result = await post(server.url, body.replace('APPROVED', 'REJECTED'), headers);
		expect(result.status).toBe(401);
		expect(server.executions).toHaveLength(0);
	});

	it('refuses timestamps just outside a custom tolerance and accepts them inside', async () => {
		await serve({ options: { timestampTolerance: 60 } });
		const old = String(Number(nowSeconds()) - 61);
		expect((await post(server.url, body, signed(body, {}, old))).status).toBe(401);
		const recent = String(Number(nowSeconds()) - 55);
		expect((await post(server.url, body, signed(body, {}, recent))).status).toBe(200);
	});

	it('refuses everything while the trigger has no stored secret', async () => {
		harness.staticData = {};
		const result = await post(server.url, body, signed(body));
		expect(result.status).toBe(401);
		expect(server.executions).toHaveLength(0);
	});

	it('refuses a signature header sent twice, even with the same value (fail closed)', async () => {
		const ts = nowSeconds();
		const signature = prolificSignature(SECRET, ts, body);
		const result = await post(
			server.url,
			body,
			signed(body, { 'x-prolific-request-signature': [signature, signature] }, ts),
		);
		expect(result.status).toBe(401);
		expect(server.executions).toHaveLength(0);
	});

	it('refuses two different timestamp headers', async () => {
		const ts = nowSeconds();
		const result = await post(
			server.url,
			body,
			signed(body, { 'x-prolific-request-timestamp': [ts, String(Number(ts) - 1)] }, ts),
		);
		expect(result.status).toBe(401);
	});
});

describe('malformed payloads: 400 only for a body that is not a JSON object', () => {
	const cases: Array<[string, string | Buffer, string, string]> = [
		['an empty body', '', 'text/plain', 'request body is empty'],
		[
			'a body that is not JSON',
			'resource_id=1&event_type=x',
			'text/plain',
			'request body is not valid JSON',
		],
		[
			'truncated JSON',
			'{"resource_id": "64f0c0ffee", "event_type": "submis',
			'text/plain',
			'request body is not valid JSON',
		],
		[
			'invalid UTF-8',
			Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
			'text/plain',
			'request body is not valid UTF-8',
		],
		['a JSON array', '[1,2]', 'application/json', 'request body is not a JSON object'],
		[
			'a JSON string',
			'"study.status.change"',
			'application/json',
			'request body is not a JSON object',
		],
		['JSON null', 'null', 'application/json', 'request body is not a JSON object'],
	];
	it.each(cases)('answers %s with a short reason', async (_name, body, contentType, reason) => {
		const result = await post(server.url, body, { ...signed(body), 'content-type': contentType });
		expect(result).toEqual({ status: 400, body: { error: reason } });
		expect(server.executions).toHaveLength(0);
	});

	it.each([
		[
			'a missing resource_id',
			'{"event_type":"study.progress.change"}',
			{ resourceId: null, studyId: null },
			undefined,
		],
		[
			'a numeric resource_id',
			'{"resource_id":123,"event_type":"study.progress.change"}',
			{ resourceId: '123', studyId: '123' },
			undefined,
		],
		[
			'a numeric status',
			'{"resource_id":"s","event_type":"study.status.change","status":7}',
			{ status: '7' },
			undefined,
		],
		[
			'a status change without status',
			'{"resource_id":"s","event_type":"submission.status.change"}',
			{ status: null, submissionId: 's' },
			undefined,
		],
		[
			'metadata as [] (PHP’s empty array)',
			'{"resource_id":"s","event_type":"study.status.change","status":"ACTIVE","metadata":[]}',
			{ metadata: {} },
			undefined,
		],
		[
			'metadata that is a number',
			'{"resource_id":"s","event_type":"study.status.change","status":"ACTIVE","metadata":5}',
			{ metadata: null },
			['metadata: Expected object, received number (left out)'],
		],
	])(
		'delivers a verified body with %s instead of refusing it',
		async (_name, body, expected, warnings) => {
			expect((await post(server.url, body, signed(body))).status).toBe(200);
			const [item] = server.executions[0];
			expect(item.json).toMatchObject(expected);
			expect(item.json.warnings).toEqual(warnings);
		},
	);
});

describe('event filter', () => {
	it('answers 200 without an execution for an event the user did not select', async () => {
		await serve({ events: ['study.status.change'] });
		const body = fixture('submission.status.change');
		const result = await post(server.url, body, signed(body));
		expect(result.status).toBe(200);
		expect(result.body).toEqual({ status: 'ignored', reason: 'event not selected in the trigger' });
		expect(server.executions).toHaveLength(0);
	});

	it('ignores event types Prolific adds later unless selected', async () => {
		const body = JSON.stringify({ resource_id: 'x', event_type: 'study.budget.change' });
		const result = await post(server.url, body, signed(body));
		expect(result.status).toBe(200);
		expect(server.executions).toHaveLength(0);
	});
});

describe('secrets stay out of responses, items and logs', () => {
	it('never echoes the signing secret', async () => {
		const body = fixture('submission.status.change');
		const seen: unknown[] = [];
		seen.push(await post(server.url, body, signed(body)));
		seen.push(
			await post(server.url, body, { ...signed(body), 'x-prolific-request-signature': SECRET }),
		);
		seen.push(
			await post(server.url, 'not json', { ...signed('not json'), 'content-type': 'text/plain' }),
		);
		await serve({ simple: false, options: { includeHeaders: true } });
		seen.push(await post(server.url, body, signed(body)));
		const everything = JSON.stringify([seen, server.executions, harness.logs]);
		expect(everything).not.toContain(SECRET);
		expect(everything).not.toContain(prolificSignature(SECRET, nowSeconds(), body).slice(0, 20));
	});
});
