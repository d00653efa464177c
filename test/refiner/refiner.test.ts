/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets -- Node-side code (tests, emulators, scripts), never loaded by n8n */
/**
 * Refiner Trigger over real HTTP: every accepted token form (and a near miss of each), the
 * recorded verification method, the None mode, the event filter and the item shape.
 */
import { createHmac } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

import { RefinerWebhookApi } from '../../credentials/RefinerWebhookApi.credentials';
import { REFINER_EVENTS } from '../../nodes/Refiner/events';
import { RefinerTrigger } from '../../nodes/Refiner/RefinerTrigger.node';
import { fixture } from '../helpers/fixtures';
import { createHarness, type Harness } from '../helpers/n8n-context';
import { post, startWebhookServer, type WebhookServer } from '../helpers/webhook-server';

const TOKEN = 'rf_tok_8c1e5b9a2d7f4e6c0b3a';
const node = new RefinerTrigger();
let harness: Harness;
let server: WebhookServer;

async function serve(parameters: IDataObject = {}) {
	await server?.close();
	harness = createHarness({
		nodeType: 'n8n-nodes-survey-triggers.refinerTrigger',
		parameters: { verification: 'token', events: ['*'], simple: true, options: {}, ...parameters },
		credentialTypes: [new RefinerWebhookApi()],
		credentials: { refinerWebhookApi: { secretToken: TOKEN } },
	});
	server = await startWebhookServer(node, harness);
}

const body = fixture('refiner', 'completed-survey');
const json = { 'content-type': 'application/json' };
const hmac = (key: string, data: string) => createHmac('sha256', key).update(data);

beforeEach(() => serve());
afterEach(() => expect(server.faults).toEqual([]));
afterAll(() => server.close());

describe('accepted token forms', () => {
	it.each([
		[
			'the token in a custom header',
			{ 'x-refiner-secret': TOKEN },
			'',
			{ method: 'header token', header: 'x-refiner-secret' },
		],
		[
			'Bearer <token> in Authorization',
			{ authorization: `Bearer ${TOKEN}` },
			'',
			{ method: 'bearer token', header: 'authorization' },
		],
		['?token= in the URL', {}, `?token=${TOKEN}`, { method: 'query token' }],
		[
			'HMAC-SHA256 hex in a header',
			{ 'x-refiner-signature': hmac(TOKEN, body).digest('hex') },
			'',
			{ method: 'hmac-sha256 hex', header: 'x-refiner-signature' },
		],
		[
			'HMAC-SHA256 "sha256=<hex>"',
			{ 'x-hub-signature-256': `sha256=${hmac(TOKEN, body).digest('hex')}` },
			'',
			{ method: 'hmac-sha256 hex', header: 'x-hub-signature-256' },
		],
		[
			'HMAC-SHA256 base64 in a header',
			{ 'x-signature': hmac(TOKEN, body).digest('base64') },
			'',
			{ method: 'hmac-sha256 base64', header: 'x-signature' },
		],
	])('accepts %s and records the form', async (_name, headers, query, verification) => {
		const result = await post(server.url + query, body, { ...json, ...headers });
		expect(result.status).toBe(200);
		expect(server.executions).toHaveLength(1);
		expect(server.executions[0][0].json.verification).toEqual(verification);
		expect(JSON.stringify(server.executions)).not.toContain(TOKEN);
	});
});

describe('near misses (401, no execution)', () => {
	it.each([
		['no token at all', {}, ''],
		['a wrong token in a header', { 'x-refiner-secret': 'rf_tok_8c1e5b9a2d7f4e6c0b3b' }, ''],
		['the token as a prefix of a header value', { 'x-refiner-secret': `${TOKEN}-and-more` }, ''],
		['a header value as a prefix of the token', { 'x-refiner-secret': TOKEN.slice(0, -1) }, ''],
		['Bearer with a wrong token', { authorization: 'Bearer nope' }, ''],
		['a wrong ?token=', {}, '?token=nope'],
		['?token= carrying a prefix of the token', {}, `?token=${TOKEN.slice(0, 8)}`],
		[
			'the HMAC of another body',
			{ 'x-refiner-signature': hmac(TOKEN, body.replace('Faster', 'Slower')).digest('hex') },
			'',
		],
		[
			'an HMAC keyed with another token',
			{ 'x-refiner-signature': hmac('other-token-value', body).digest('base64') },
			'',
		],
		['the token in another parameter name', {}, `?secret=${TOKEN}`],
	])('refuses %s', async (_name, headers, query) => {
		const result = await post(server.url + query, body, { ...json, ...headers });
		expect(result).toEqual({ status: 401, body: { error: 'secret token missing or wrong' } });
		expect(server.executions).toHaveLength(0);
	});

	it('refuses a tampered body whose HMAC was computed for the original', async () => {
		const signature = hmac(TOKEN, body).digest('hex');
		const result = await post(server.url, body.replace('Faster', 'Slower'), {
			...json,
			'x-refiner-signature': signature,
		});
		expect(result.status).toBe(401);
	});
});

describe('Verification: None', () => {
	it('accepts deliveries without a token and says so in the item', async () => {
		await serve({ verification: 'none' });
		harness.credentials = {};
		expect((await post(server.url, body, json)).status).toBe(200);
		expect(server.executions[0][0].json.verification).toEqual({ method: 'none' });
	});

	it('shows a warning notice only when None is chosen', () => {
		const warning = node.description.properties.find(
			(property) => property.name === 'noVerificationWarning',
		);
		expect(warning?.type).toBe('notice');
		expect(warning?.displayOptions).toEqual({ show: { verification: ['none'] } });
	});
});

describe('events and output', () => {
	const deliver = async (name: string) => {
		const payload = fixture('refiner', name);
		const result = await post(server.url, payload, { ...json, 'x-refiner-secret': TOKEN });
		expect(result.status).toBe(200);
		return server.executions[server.executions.length - 1][0].json;
	};

	it('shapes a completed survey', async () => {
		expect(await deliver('completed-survey')).toEqual({
			provider: 'refiner',
			eventId: expect.stringMatching(
				/^18de5430-c64c-11ec-aa71-e1784a46b058:Completed Survey:[0-9a-f]{16}$/,
			),
			dedupeKey: expect.stringMatching(/^[0-9a-f]{64}$/),
			eventType: 'Completed Survey',
			receivedAt: expect.any(String),
			projectUuid: '56421950-5d32-11ea-9bb4-9f1f1a987a49',
			contact: {
				uuid: '9205e5d0-f728-11ea-95d6-25411f8367ca',
				cookieUuid: null,
				remoteId: 'Your-User-ID',
				email: 'user@email.com',
				displayName: 'Jane Doe',
				firstSeenAt: '2020-09-15T07:53:40.000000Z',
				lastSeenAt: '2020-09-15T07:53:48.000000Z',
			},
			survey: { uuid: '34780fd0-2c11-11ec-8f58-7bd83b655011', name: 'NPS Survey' },
			response: {
				uuid: '18de5430-c64c-11ec-aa71-e1784a46b058',
				firstShownAt: '2022-04-27T17:04:27.000000Z',
				lastShownAt: '2022-04-27T17:04:27.000000Z',
				showCounter: 1,
				firstDataReceptionAt: '2022-04-27T17:04:41.000000Z',
				lastDataReceptionAt: '2022-04-27T17:05:02.000000Z',
				completedAt: '2022-04-27T17:05:02.000000Z',
				dismissedAt: null,
				receivedAt: '2022-04-27T17:05:02.000000Z',
				tags: ['Tag#1'],
				tagList: [{ uuid: 'e48ba000-5543-11ec-a6ba-613839220c53', name: 'Tag#1' }],
			},
			answers: { nps: '9', what_could_we_improve: 'Faster exports', role: 'Product Manager' },
			segments: ['All Users', 'Active Users', 'Promoters', 'Power Users'],
			segmentList: expect.arrayContaining([
				{ uuid: '56466b00-5d32-11ea-ac9b-ed991110cd88', name: 'All Users' },
			]),
			attributes: expect.objectContaining({ plan: 'enterprise', nps: '9' }),
			account: expect.objectContaining({ uuid: '9206a9a0-f728-11ea-b411-7921dfc65301' }),
			verification: { method: 'header token', header: 'x-refiner-secret' },
		});
	});

	it('shapes the documented sample (Saw Survey) and a dismissed survey', async () => {
		expect(await deliver('saw-survey')).toMatchObject({
			eventType: 'Saw Survey',
			eventId: expect.stringMatching(
				/^18de5430-c64c-11ec-aa71-e1784a46b058:Saw Survey:[0-9a-f]{16}$/,
			),
			answers: { nps: '9', something: 'else' },
		});
		expect(await deliver('dismissed-survey')).toMatchObject({
			eventType: 'Dismissed Survey',
			account: null,
			response: { dismissedAt: '2023-05-02T09:00:00.000000Z', tags: [] },
		});
	});

	it('uses the contact uuid for events without a response', async () => {
		expect(await deliver('contact-only')).toMatchObject({
			eventId: expect.stringMatching(
				/^9205e5d0-f728-11ea-95d6-25411f8367ca:User Identified:[0-9a-f]{16}$/,
			),
			survey: { uuid: null, name: null },
			response: { uuid: null, tags: [] },
			answers: {},
		});
	});

	it.each([
		['Completed Survey', 'completed-survey'],
		['Dismissed Survey', 'dismissed-survey'],
		['Saw Survey', 'saw-survey'],
		['User Entered Segment', 'user-entered-segment'],
		['User Identified', 'contact-only'],
	])('offers %s: selected alone, its delivery runs with a shaped item', async (event, sample) => {
		expect(REFINER_EVENTS.map((option) => option.value)).toContain(event);
		await serve({ events: [event] });
		const item = await deliver(sample);
		expect(server.executions).toHaveLength(1);
		expect(item).toMatchObject({
			provider: 'refiner',
			eventType: event,
			eventId: expect.stringContaining(`:${event}:`),
			contact: { uuid: expect.any(String), email: 'user@email.com' },
			segmentList: expect.arrayContaining([{ uuid: expect.any(String), name: 'All Users' }]),
		});
		expect(item.warnings).toBeUndefined();
		// Any other event is not selected: no run.
		const other = sample === 'saw-survey' ? 'completed-survey' : 'saw-survey';
		expect(
			(await post(server.url, fixture('refiner', other), { ...json, 'x-refiner-secret': TOKEN }))
				.status,
		).toBe(200);
		expect(server.executions).toHaveLength(1);
	});

	it('filters on triggered_event; unknown events pass only with All Events', async () => {
		await serve({ events: ['Completed Survey'] });
		const headers = { ...json, 'x-refiner-secret': TOKEN };
		expect((await post(server.url, fixture('refiner', 'saw-survey'), headers)).status).toBe(200);
		expect((await post(server.url, fixture('refiner', 'contact-only'), headers)).status).toBe(200);
		expect((await post(server.url, body, headers)).status).toBe(200);
		expect(server.executions.map((e) => e[0].json.eventType)).toEqual(['Completed Survey']);
	});

	it('answers malformed JSON (the docs’ sample has a trailing comma) with 400', async () => {
		const docsSample = body.replace('"nps": "9"\n    }', '"nps": "9",\n    }');
		expect(docsSample).not.toBe(body);
		const result = await post(server.url, docsSample, {
			'content-type': 'text/plain',
			'x-refiner-secret': TOKEN,
		});
		expect(result).toEqual({ status: 400, body: { error: 'request body is not valid JSON' } });
	});

	it('never shows the header that carried the token', async () => {
		await serve({ options: { includeHeaders: true } });
		await post(server.url, body, { ...json, 'x-refiner-secret': TOKEN, 'x-trace': 't-1' });
		const headers = server.executions[0][0].json.headers as IDataObject;
		expect(headers['x-trace']).toBe('t-1');
		expect(headers).not.toHaveProperty('x-refiner-secret');
	});

	it('checks the secret token locally', async () => {
		const test = node.methods.credentialTest.refinerSecretToken;
		const result = await test.call({} as never, {
			id: '1',
			name: 'Refiner',
			type: 'refinerWebhookApi',
			data: { secretToken: '' },
		});
		expect(result).toEqual({
			status: 'Error',
			message: 'The secret token is empty: copy it from the provider’s dashboard',
		});
	});
});
