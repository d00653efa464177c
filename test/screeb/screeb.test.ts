/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets -- Node-side code (tests, emulators, scripts), never loaded by n8n */
/**
 * Screeb Trigger over real HTTP: body signature (the documented example vector included), the three events,
 * payload versions 1.3.0 / 2.0.0 / 2.1.0 shaped to the same fields, typed answer values.
 */
import { createHmac } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

import { ScreebWebhookApi } from '../../credentials/ScreebWebhookApi.credentials';
import { ScreebTrigger } from '../../nodes/Screeb/ScreebTrigger.node';
import { fixture } from '../helpers/fixtures';
import { createHarness, type Harness } from '../helpers/n8n-context';
import { screebSignature } from '../../scripts/lib/provider-signing';
import { post, startWebhookServer, type WebhookServer } from '../helpers/webhook-server';
import { without } from '../../scripts/lib/json-tree';

const SECRET = 'scr_whsec_5f1c0a9e7b3d4c2a8e6f';
const node = new ScreebTrigger();
const ALL = ['response.displayed', 'response.answered', 'response.ended'];
let harness: Harness;
let server: WebhookServer;

async function serve(parameters: IDataObject = {}, secret = SECRET) {
	await server?.close();
	harness = createHarness({
		nodeType: 'n8n-nodes-survey-triggers.screebTrigger',
		parameters: { events: ALL, simple: true, options: {}, ...parameters },
		credentialTypes: [new ScreebWebhookApi()],
		credentials: { screebWebhookApi: { secret } },
	});
	server = await startWebhookServer(node, harness);
}

const signed = (body: string, secret = SECRET) => ({
	'content-type': 'application/json',
	'x-screeb-hmac-digest': 'HMAC-SHA256-BASE64',
	'x-screeb-hmac-signature-body': screebSignature(secret, body),
	'x-screeb-hmac-signature-url': 'aHR0cHM6Ly9leGFtcGxlLmNvbQ==',
});

async function deliver(name: string): Promise<IDataObject> {
	const body = fixture('screeb', name);
	const result = await post(server.url, body, signed(body));
	expect(result.status).toBe(200);
	return server.executions[server.executions.length - 1][0].json;
}

beforeEach(() => serve());
afterEach(() => expect(server.faults).toEqual([]));
afterAll(() => server.close());

describe('signature', () => {
	it('matches the documented example vector and lets it through the verifier', async () => {
		const body = '{"event_id":"e1","event_type":"response.ended"}';
		await serve({}, 'test_secret');
		const result = await post(server.url, body, {
			'content-type': 'application/json',
			'x-screeb-hmac-signature-body': 'NcRZQ+mkZ5KVLV7RlRDP+20xcpa7NH7GqSpCMp56rc4=',
		});
		// Verified and delivered, although the vector's body has no payload.
		expect(result.status).toBe(200);
		expect(server.executions[0][0].json).toMatchObject({
			eventId: 'e1',
			eventType: 'response.ended',
			survey: { id: null },
		});
	});

	const body = fixture('screeb', 'response.ended');
	it.each([
		[
			'no signature',
			{ 'content-type': 'application/json' },
			'missing x-screeb-hmac-signature-body header',
		],
		['a wrong secret', signed(body, 'another-secret-value-123'), 'signature does not match'],
		[
			'a hex signature',
			{
				...signed(body),
				'x-screeb-hmac-signature-body': createHmac('sha256', SECRET).update(body).digest('hex'),
			},
			'malformed x-screeb-hmac-signature-body header: 48 bytes, expected 32 (HMAC-SHA256) or 64 (HMAC-SHA512)',
		],
		[
			'an unsupported digest',
			{ ...signed(body), 'x-screeb-hmac-digest': 'HMAC-SHA1-BASE64' },
			'unsupported x-screeb-hmac-digest',
		],
	])('refuses %s with 401 and no execution', async (_name, headers, reason) => {
		expect(await post(server.url, body, headers)).toEqual({ status: 401, body: { error: reason } });
		expect(server.executions).toHaveLength(0);
	});

	it('refuses a tampered body', async () => {
		const result = await post(server.url, body.replace('Measure NPS', 'Hacked'), signed(body));
		expect(result.status).toBe(401);
	});

	it('answers malformed JSON with 400', async () => {
		const broken = '{"event_id": "x", ';
		expect(
			await post(server.url, broken, { ...signed(broken), 'content-type': 'text/plain' }),
		).toEqual({ status: 400, body: { error: 'request body is not valid JSON' } });
	});
});

describe('events and output', () => {
	it('shapes response.ended with typed answers', async () => {
		expect(await deliver('response.ended')).toEqual({
			provider: 'screeb',
			eventId: '64c7ea3b-827b-4679-b25d-7fd61f6c3d33',
			dedupeKey: expect.stringMatching(/^[0-9a-f]{64}$/),
			eventType: 'response.ended',
			receivedAt: expect.any(String),
			occurredAt: '2021-07-29T13:45:09.325Z',
			version: '2.0.0',
			organization: { id: 'b5969d13-5e5e-4648-9806-5339ddafd984', name: 'ACME' },
			channel: { id: '411ee7c3-7e64-409f-9d75-c782b3f73aa4', type: 'android' },
			survey: {
				id: '9b913c69-3daf-4a6e-a26d-042004fc7881',
				name: 'Measure NPS',
				scenarioId: 'cc4a3710-e8ee-4672-a35c-5c17485ec441',
				scenarioVersion: 9,
				scenarioTime: '2021-07-29T00:08:31.069Z',
			},
			user: {
				anonymousId: '2eb83fb4-b1b3-4e48-be48-a8fd9c4e5a7d',
				userId: 'samuel@screeb.app',
				name: 'Samuel Berthe',
				email: 'samuel@screeb.app',
				groups: ['Screeb', '10-100-companies', 'plan-enterprise'],
				properties: {},
			},
			response: {
				id: '5854a797-628c-4906-bb4c-da03e418cf47',
				completion: 'fully_completed',
				locale: 'en-US',
				time: '2021-07-29T13:44:59.831Z',
				durationSeconds: 34,
				hiddenFields: {
					firstname: 'Samuel',
					lastname: 'Berthe',
					email: 'samuel@screeb.app',
					locale: 'en-US',
					support: 'desktop',
					timezone: -120,
				},
				context: {},
				tags: ['screeb', 'feedback'],
			},
			question: null,
			answer: null,
			answers: {
				'How likely are you to recommend us?': 9,
				'Which features do you use?': ['Dashboards', 'Exports'],
				'Would you join a beta?': true,
				'How can we improve your experience?': 'The new dashboard is buggy.',
			},
			answerList: [
				{
					questionId: '0b3c1f7e-5a0e-4c8b-9a43-4f6f0d2a9e11',
					question: 'How likely are you to recommend us?',
					type: 'nps',
					value: 9,
					repliedAt: '2021-07-29T13:44:40.000Z',
					tags: [],
					fields: [
						{
							id: 'f-nps',
							type: 'number',
							value: '9',
							text: null,
							number: 9,
							boolean: null,
							time: null,
						},
					],
				},
				{
					questionId: '5d1a8c2b-7e44-4b1f-8a0d-2c9e4f6a7b88',
					question: 'Which features do you use?',
					type: 'multiple_choice',
					value: ['Dashboards', 'Exports'],
					repliedAt: '2021-07-29T13:44:55.000Z',
					tags: [],
					fields: [
						{
							id: 'f-a',
							type: 'string',
							value: 'Dashboards',
							text: 'Dashboards',
							number: null,
							boolean: null,
							time: null,
						},
						{
							id: 'f-b',
							type: 'string',
							value: 'Exports',
							text: 'Exports',
							number: null,
							boolean: null,
							time: null,
						},
					],
				},
				{
					questionId: 'e7f1d2c3-1111-4a2b-9c3d-5e6f7a8b9c0d',
					question: 'Would you join a beta?',
					type: 'yes_no',
					value: true,
					repliedAt: '2021-07-29T13:45:05.000Z',
					tags: [],
					fields: [
						{
							id: 'f-y',
							type: 'boolean',
							value: 'true',
							text: null,
							number: null,
							boolean: true,
							time: null,
						},
					],
				},
				{
					questionId: 'a44252c3-ef3d-4156-90d6-a3d6364516c0',
					question: 'How can we improve your experience?',
					type: 'input',
					value: 'The new dashboard is buggy.',
					repliedAt: '2021-07-29T13:45:09.286Z',
					tags: ['screeb', 'feedback'],
					fields: [
						{
							id: 'c71dfe9d-6b47-452f-bda2-6091c13561b0',
							type: 'string',
							value: 'The new dashboard is buggy.',
							text: 'The new dashboard is buggy.',
							number: null,
							boolean: null,
							time: null,
						},
					],
				},
			],
		});
	});

	it('gives the answered question and its answer for response.answered', async () => {
		expect(await deliver('response.answered-2.0.0')).toMatchObject({
			eventType: 'response.answered',
			question: {
				id: 'a44252c3-ef3d-4156-90d6-a3d6364516c0',
				type: 'input',
				title: 'How can we improve your experience?',
			},
			answer: {
				value: 'The new dashboard is buggy.',
				repliedAt: '2021-07-29T13:45:09.286Z',
				tags: ['screeb', 'feedback'],
			},
		});
	});

	it('shapes response.displayed with empty answers', async () => {
		expect(await deliver('response.displayed')).toMatchObject({
			eventType: 'response.displayed',
			response: { completion: 'not_started' },
			answers: {},
			answerList: [],
			question: null,
		});
	});

	it('shapes 1.3.0, 2.0.0 and 2.1.0 payloads to the same fields and values', async () => {
		const v20 = await deliver('response.answered-2.0.0');
		const v13 = await deliver('response.answered-1.3.0');
		const v21 = await deliver('response.answered-2.1.0');
		// Same field names at every fixed level (answer maps and free-form objects hold survey data).
		const shape = (item: IDataObject) =>
			Object.fromEntries(
				Object.entries(item).map(([key, value]) => [
					key,
					['survey', 'user', 'response', 'question', 'answer', 'organization', 'channel'].includes(
						key,
					) && value
						? Object.keys(value as IDataObject).sort()
						: typeof value,
				]),
			);
		const comparable = (item: IDataObject) =>
			without(item, ['eventId', 'dedupeKey', 'receivedAt', 'version']);
		expect(shape(v13)).toEqual(shape(v20));
		expect(shape(v21)).toEqual(shape(v20));
		expect(comparable(v13)).toEqual(comparable(v20));
		expect(v21.user).toMatchObject({ properties: { plan: 'enterprise', seats: 42 } });
		expect(v21.response).toMatchObject({ context: { browser: 'Chrome' } });
	});

	it('answers 200 without an execution for unselected events', async () => {
		await serve({ events: ['response.ended'] });
		const body = fixture('screeb', 'response.displayed');
		expect((await post(server.url, body, signed(body))).status).toBe(200);
		expect(server.executions).toHaveLength(0);
	});

	it('never shows the signature headers, even with Include Headers', async () => {
		await serve({ simple: false, options: { includeHeaders: true } });
		const body = fixture('screeb', 'response.ended');
		await post(server.url, body, signed(body));
		const json = server.executions[0][0].json as { headers: IDataObject };
		expect(Object.keys(json.headers)).not.toEqual(
			expect.arrayContaining(['x-screeb-hmac-signature-body']),
		);
		expect(json.headers).not.toHaveProperty('x-screeb-hmac-signature-url');
		expect(JSON.stringify(server.executions)).not.toContain(SECRET);
	});
});

describe('node setup', () => {
	it('checks the secret locally with the deliveries’ rule: refuses only what deliveries refuse, warns where they warn', async () => {
		const test = (secret: string) =>
			node.methods.credentialTest.screebSecret.call({} as never, {
				id: '1',
				name: 'Screeb',
				type: 'screebWebhookApi',
				data: { secret },
			});
		expect(await test('')).toEqual({
			status: 'Error',
			message: 'The webhook secret is empty: copy it from the provider’s dashboard',
		});
		expect(await test(' abcdefghijklmnopqrstuvwxyz ')).toEqual({
			status: 'OK',
			message: expect.stringMatching(/^Saved, with a warning: .*starts or ends with spaces/),
		});
		expect(await test('abc def ghijklmnopqrstuv')).toMatchObject({
			status: 'OK',
			message: expect.stringMatching(/contains spaces/),
		});
		// Deliveries use a short Screeb secret (and log a warning): the test does not refuse it either.
		expect(await test('short')).toMatchObject({
			status: 'OK',
			message: expect.stringMatching(/only 5 characters long/),
		});
		expect(await test(SECRET)).toEqual({
			status: 'OK',
			message: 'The webhook secret looks right (it is checked on every delivery)',
		});
	});
});
