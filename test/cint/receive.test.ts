/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets -- Node-side code (tests, emulators, scripts), never loaded by n8n */
/**
 * Cint deliveries through the Cint Trigger over real HTTP: the Cint-Signature scheme (with the
 * spec's worked vector), the CloudEvents envelope, and the shaping of the three event streams.
 */
import { randomUUID } from 'crypto';

import { cintSignatureMatch } from '../../nodes/Cint/signature';
import { providerEntry } from '../../scripts/lib/providers';
import { fixture, pinClock } from '../helpers/fixtures';
import type { Harness } from '../helpers/n8n-context';
import { cintSignatureHeader, nowSeconds } from '../../scripts/lib/provider-signing';
import { post, startWebhookServer, type WebhookServer } from '../helpers/webhook-server';
import { cintHarness, node } from './setup';
import { deleteAt, setAt, type JsonObject } from '../../scripts/lib/json-tree';

const SECRET = 'FP7UPZpATKBcYJj4va95PYud+a3gCidRERiLO+9MoFE=';
const ALL = ['session-updated', 'target-group-updated', 'quota-fill-registered'];

let harness: Harness;
let server: WebhookServer;

async function serve(parameters = {}) {
	await server?.close();
	harness = cintHarness(
		undefined,
		{ events: ALL, ...parameters },
		{
			staticData: {
				secret: SECRET,
				webhookId: 'w1',
				webhookUrl: `https://n8n.example.test/webhook/${randomUUID()}/webhook`,
			},
		},
	);
	server = await startWebhookServer(node, harness);
}

const signed = (body: string, timestamp = nowSeconds(), extra: string[] = []) => ({
	'content-type': 'application/json',
	'cint-signature': cintSignatureHeader(SECRET, timestamp, body, extra),
});

const withData = (name: string, change: (data: JsonObject) => void) => {
	const event = JSON.parse(fixture('cint', name));
	change(event.data);
	return JSON.stringify(event);
};

beforeEach(() => serve());
afterEach(() => expect(server.faults).toEqual([]));
afterAll(() => server.close());

describe('Cint-Signature', () => {
	afterEach(() => jest.useRealTimers());

	it('matches the spec’s worked vector', () => {
		const vector = '6532d4777122acc32cd388763fc0c0ba8732698d09cf99eea086e5a86f8d3ebe';
		expect(
			cintSignatureMatch(SECRET, '1732526080', Buffer.from('{"foo":"bar"}'), [
				Buffer.from(vector, 'hex'),
			])?.toString('hex'),
		).toBe(vector);
	});

	it('lets the worked vector through the node’s verifier (the body then fails the CloudEvents schema)', async () => {
		pinClock(1732526080 * 1000 + 5_000);
		const header =
			't=1732526080,v1=6532d4777122acc32cd388763fc0c0ba8732698d09cf99eea086e5a86f8d3ebe';
		const result = await post(server.url, '{"foo":"bar"}', {
			'content-type': 'application/json',
			'cint-signature': header,
		});
		// Verified; not a CloudEvent, so delivered as an event of unknown type (every stream is selected).
		expect(result.status).toBe(200);
		expect(server.executions[0][0].json).toMatchObject({
			eventType: 'unknown',
			eventId: expect.stringMatching(/^sha256:/),
		});
		const forged = header.replace('6532', '6533');
		expect(
			(
				await post(server.url, '{"foo":"bar"}', {
					'content-type': 'application/json',
					'cint-signature': forged,
				})
			).status,
		).toBe(401);
	});

	it('accepts several v1 values when one of them is valid (secret rotation)', async () => {
		const body = fixture('cint', 'quota-fill-registered');
		const result = await post(
			server.url,
			body,
			signed(body, nowSeconds(), ['00'.repeat(32), 'ab'.repeat(32)]),
		);
		expect(result.status).toBe(200);
		expect(server.executions).toHaveLength(1);
	});

	const body = fixture('cint', 'quota-fill-registered');
	it.each([
		['no header', {}, 'missing cint-signature header'],
		['a header without t', { 'cint-signature': 'v1=abcd' }, 'malformed cint-signature header'],
		[
			'a header without v1',
			{ 'cint-signature': `t=${nowSeconds()}` },
			'malformed cint-signature header',
		],
		['two t values', { 'cint-signature': `t=1,t=2,v1=ab` }, 'malformed cint-signature header'],
		['garbage', { 'cint-signature': 'sha256=deadbeef' }, 'malformed cint-signature header'],
		[
			'a wrong secret',
			{ 'cint-signature': cintSignatureHeader('another-secret', nowSeconds(), body) },
			'signature does not match',
		],
		[
			'a tampered body',
			{ 'cint-signature': cintSignatureHeader(SECRET, nowSeconds(), body.replace('113', '114')) },
			'signature does not match',
		],
		[
			'a stale t',
			{ 'cint-signature': cintSignatureHeader(SECRET, String(Number(nowSeconds()) - 400), body) },
			'timestamp is too old',
		],
		[
			'a future t',
			{ 'cint-signature': cintSignatureHeader(SECRET, String(Number(nowSeconds()) + 400), body) },
			'timestamp is in the future',
		],
	])('refuses %s with 401 and no execution', async (_name, headers, reason) => {
		const result = await post(server.url, body, { 'content-type': 'application/json', ...headers });
		expect(result).toEqual({ status: 401, body: { error: reason } });
		expect(server.executions).toHaveLength(0);
	});
});

describe('payloads', () => {
	const deliver = async (body: string) => {
		const result = await post(server.url, body, signed(body));
		expect(result.status).toBe(200);
		expect(server.executions).toHaveLength(1);
		return server.executions[0][0].json;
	};

	it('shapes the sessions example', async () => {
		expect(await deliver(fixture('cint', 'session-updated'))).toEqual({
			provider: 'cint',
			eventId: 'b00ad4d6-a477-4d7c-abcf-90558ffef804',
			dedupeKey: expect.stringMatching(/^[0-9a-f]{64}$/),
			eventType: 'session-updated',
			receivedAt: expect.any(String),
			occurredAt: '2025-02-13T11:39:49.274Z',
			source: 'https://api.cint.com',
			accountId: 1,
			responseSessionId: '67adda00-f3a4-f7b3-4dd2-f8494c3d5017',
			sequenceNumber: 5,
			projectId: '01JH2Q9824364JXCT9R8HDKKR8',
			targetGroupId: '01BX5ZZKBKACTAV9WEVGEMMVS1',
			surveyId: 491982,
			supplierId: 18,
			supplierName: 'Supplier Name',
			respondentId: 147376725,
			respondentEntryDate: '2018-04-11T16:25:54.416Z',
			panelistId: '97d0fb32-f5d2-4897-8caa-e6e083bf82bf',
			parentSid: '674859c3-692a-427d-4e99-6addc5e705f0',
			entryType: 1,
			mid: 'Targeted',
			changes: { respondent_last_date: '2025-02-13T11:39:49.274Z', client_status_code: 1 },
		});
	});

	it('shapes the demand changelog example (account_id as a string)', async () => {
		// The documented item, as the provider registry states it for every suite (e2e too).
		expect(await deliver(fixture('cint', 'target-group-updated'))).toEqual({
			...providerEntry('cint').sampleItem.exact,
			dedupeKey: expect.stringMatching(/^[0-9a-f]{64}$/),
			receivedAt: expect.any(String),
		});
	});

	it('accepts user as an array, object values, old values, unknown change objects and the spec’s time format', async () => {
		const body = withData('target-group-updated', (data) => {
			data.account_id = 1;
			data.occurred_at = '2026-01-23 10:04:44.209000+00:00';
			data.user = [
				{ type: 'system_user', id: 'sys-1' },
				{ type: 'las_user', las_user_id: 'u-2' },
			];
			data.changes = [
				{
					object: 'cpi_change',
					new_value: { currency_code: 'USD', currency_scale: 2, value: 10 },
					old_value: { currency_code: 'USD', currency_scale: 2, value: 8 },
				},
				{ object: 'brand_new_thing_change', new_value: true },
				{ object: 'status_change', new_value: 'live', old_value: 'draft' },
			];
		});
		const item = await deliver(body);
		expect(item).toMatchObject({
			accountId: 1,
			changedAt: '2026-01-23T10:04:44.209Z',
			user: { type: 'system_user', id: 'sys-1' },
			// Every user of the list, not only the first.
			users: [
				{ type: 'system_user', id: 'sys-1' },
				{ type: 'las_user', las_user_id: 'u-2' },
			],
			changes: {
				cpi: {
					new: { currency_code: 'USD', currency_scale: 2, value: 10 },
					old: { currency_code: 'USD', currency_scale: 2, value: 8 },
				},
				brand_new_thing: { new: true, old: null },
				status: { new: 'live', old: 'draft' },
			},
		});
	});

	it('shapes the quota fill example', async () => {
		expect(await deliver(fixture('cint', 'quota-fill-registered'))).toMatchObject({
			eventType: 'quota-fill-registered',
			occurredAt: '2025-03-18T08:12:05.000Z',
			accountId: 1,
			targetGroupId: '01JPSECBPA847DD89PN9ZFFBE1',
			profileQuotaId: '01JPSECY0CC2XAJEP5EV18SD9F',
			screens: 113,
			completes: 73,
		});
	});

	it('gives the whole CloudEvent with Simplify off', async () => {
		await serve({ simple: false });
		const body = fixture('cint', 'session-updated');
		expect(await deliver(body)).toEqual(JSON.parse(body));
	});
});

describe('event filter and validation', () => {
	it('answers 200 without an execution for an unselected stream', async () => {
		await serve({ events: ['quota-fill-registered'] });
		const body = fixture('cint', 'session-updated');
		expect((await post(server.url, body, signed(body))).status).toBe(200);
		expect(server.executions).toHaveLength(0);
	});

	it('answers 200 without an execution for a type Cint adds later', async () => {
		const event = JSON.parse(fixture('cint', 'quota-fill-registered'));
		event.type = 'com.cint.project.archived';
		const body = JSON.stringify(event);
		expect((await post(server.url, body, signed(body))).status).toBe(200);
		expect(server.executions).toHaveLength(0);
	});

	it.each([
		[
			'no id',
			(e: JsonObject) => deleteAt(e, 'id'),
			{ eventId: expect.stringMatching(/^sha256:/), screens: 113 },
			[],
		],
		[
			'no time (optional in CloudEvents)',
			(e: JsonObject) => deleteAt(e, 'time'),
			{ occurredAt: null, screens: 113 },
			[],
		],
		['no data', (e: JsonObject) => deleteAt(e, 'data'), { screens: null, targetGroupId: null }, []],
		[
			'a numeric string for screens',
			(e: JsonObject) => setAt(e, 'data.screens', '12'),
			{ screens: 12 },
			[],
		],
		[
			'data that is not an object',
			(e: JsonObject) => setAt(e, 'data', 'x'),
			{ screens: null },
			['data: Expected object, received string (left out)'],
		],
		[
			'a non-numeric screens count',
			(e: JsonObject) => setAt(e, 'data.screens', 'many'),
			{ screens: null, completes: 73 },
			['data.screens: Expected number, received string (left out)'],
		],
	])('delivers a verified CloudEvent with %s', async (_name, change, expected, warnings) => {
		const event = JSON.parse(fixture('cint', 'quota-fill-registered'));
		change(event);
		const body = JSON.stringify(event);
		expect((await post(server.url, body, signed(body))).status).toBe(200);
		const [item] = server.executions[0];
		expect(item.json).toMatchObject({ eventType: 'quota-fill-registered', ...expected });
		expect(item.json.warnings).toEqual(warnings.length ? warnings : undefined);
		expect(item.json.body).toEqual(warnings.length ? event : undefined);
	});
});
