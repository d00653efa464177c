/**
 * Poltio Trigger against the Poltio emulator over real HTTP: registration with each scope, settings
 * updates, repair, the 302 on a bad token, the account-wide limit, URL-token checks and shaping.
 */
import { createHash } from 'crypto';
import type { IDataObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { PoltioApi } from '../../credentials/PoltioApi.credentials';
import { PoltioTrigger } from '../../nodes/Poltio/PoltioTrigger.node';
import { PoltioEmulator } from '../../scripts/lib/emulators/poltio';
import { resolveExpression } from '../helpers/credentials';
import { fixture } from '../helpers/fixtures';
import { httpRequest } from '../helpers/http-client';
import { lifecycle } from '../helpers/lifecycle';
import { createHarness, loadOptionsContext, type Harness } from '../helpers/n8n-context';
import { post, startWebhookServer, type WebhookServer } from '../helpers/webhook-server';

const node = new PoltioTrigger();
let emulator: PoltioEmulator;
let server: WebhookServer | undefined;

function harnessFor(parameters: IDataObject = {}, token?: string): Harness {
	return createHarness({
		nodeType: 'n8n-nodes-survey-triggers.poltioTrigger',
		parameters: {
			scope: 'content',
			contentId: 'q1b2c3d4',
			events: ['session.completed'],
			deliverySettings: {},
			simple: true,
			options: {},
			...parameters,
		},
		credentialTypes: [new PoltioApi()],
		credentials: {
			poltioApi: {
				apiToken: token ?? emulator.token,
				organizationId: emulator.organizationId,
				baseUrl: emulator.url,
			},
		},
	});
}

/** A harness whose webhook URL is a live n8n-like webhook server. */
async function served(parameters: IDataObject = {}) {
	const harness = harnessFor(parameters);
	server = await startWebhookServer(node, harness);
	harness.webhookUrl = server.url;
	return harness;
}

async function failure(promise: Promise<unknown>): Promise<Error> {
	const error = await promise.then(
		() => undefined,
		(caught: unknown) => caught,
	);
	expect(error).toBeInstanceOf(Error);
	return error as Error;
}

beforeEach(async () => {
	emulator = await new PoltioEmulator().start();
});
afterEach(async () => {
	expect(server?.faults ?? []).toEqual([]);
	await server?.close();
	server = undefined;
	await emulator.stop();
});

/** The URL token of the one hook at Poltio (in the query string, or the URL's last path segment). */
function registeredToken(): string {
	const [hook] = [...emulator.hooks.values()];
	const url = new URL(hook.url);
	return url.searchParams.get('token') ?? url.pathname.split('/').pop()!;
}

/** What the trigger keeps of a token: its SHA-256, never the token. */
const tokenHash = (token: string) => `sha256:${createHash('sha256').update(token).digest('hex')}`;

describe('registration', () => {
	it('registers a hook for one content with a random URL token and the chosen settings', async () => {
		const harness = harnessFor({ deliverySettings: { delay: 30, sendLeads: false } });
		await lifecycle(node, harness).publish();
		const [hook] = [...emulator.hooks.values()];
		const token = registeredToken();
		expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
		expect(hook).toMatchObject({
			url: `${harness.webhookUrl}?token=${token}`,
			public_id: 'q1b2c3d4',
			account_wide: false,
			delay: 30,
			send_answers: true,
			send_leads: false,
			incomplete_send: false,
			name: 'n8n: Survey follow-up',
		});
		expect(harness.staticData).toEqual({
			webhookUrl: harness.webhookUrl,
			hookId: String(hook.id),
			token: tokenHash(token),
		});
		expect(JSON.stringify(harness.staticData)).not.toContain(token);
		expect(emulator.callsTo('POST', /hooks\/web$/)[0].headers['organization-id']).toBe(
			emulator.organizationId,
		);
	});

	it('registers an account-wide hook', async () => {
		await lifecycle(node, harnessFor({ scope: 'account' })).publish();
		const [hook] = [...emulator.hooks.values()];
		expect(hook.account_wide).toBe(true);
		expect(hook.public_id).toBeUndefined();
	});

	it.each(['bare', 'no-id'] as const)(
		'finds the hook id when the create reply is %s',
		async (shape) => {
			emulator.createdReplyShape = shape;
			const harness = harnessFor();
			await lifecycle(node, harness).publish();
			expect(harness.staticData.hookId).toBe(String([...emulator.hooks.keys()][0]));
		},
	);

	it('updates changed settings in place instead of adding a hook', async () => {
		const harness = harnessFor();
		const hooks = lifecycle(node, harness);
		await hooks.publish();
		harness.parameters.events = ['session.completed', 'session.incomplete'];
		harness.parameters.deliverySettings = { incompleteDelay: 120, sendAnswers: false };
		await hooks.publish();
		expect(emulator.hooks.size).toBe(1);
		expect([...emulator.hooks.values()][0]).toMatchObject({
			incomplete_send: true,
			incomplete_delay: 120,
			send_answers: false,
		});
		expect(emulator.callsTo('PUT', /hooks\/web\/\d+$/)).toHaveLength(1);
		await hooks.publish();
		expect(emulator.callsTo('PUT', /hooks\/web\/\d+$/)).toHaveLength(1);
	});

	it('recreates a hook deleted in Poltio, with a new token', async () => {
		const harness = harnessFor();
		const hooks = lifecycle(node, harness);
		await hooks.publish();
		const oldToken = registeredToken();
		emulator.hooks.clear();
		expect(await hooks.checkExists()).toBe(false);
		await hooks.create();
		expect(emulator.hooks.size).toBe(1);
		expect(registeredToken()).not.toBe(oldToken);
		expect(harness.staticData.token).toBe(tokenHash(registeredToken()));
	});

	it('removes hooks it left behind for the same URL before creating one', async () => {
		const harness = harnessFor();
		await lifecycle(node, harness).publish();
		const lost = harnessFor(); // e.g. the workflow's static data was lost
		await lifecycle(node, lost).publish();
		expect(emulator.hooksFor(harness.webhookUrl)).toHaveLength(1);
	});

	it('refuses an Incomplete Delay under 60 s or under the Delay, before calling Poltio', async () => {
		for (const deliverySettings of [
			{ sendIncomplete: true, incompleteDelay: 30 },
			{ sendIncomplete: true, delay: 90, incompleteDelay: 60 },
		]) {
			const error = await failure(lifecycle(node, harnessFor({ deliverySettings })).create());
			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toMatch(
				/^Incomplete Delay must be at least 60 seconds and at least the Delay/,
			);
		}
		expect(emulator.calls).toHaveLength(0);
	});

	it('sends incomplete_delay only with incomplete sessions, so a Delay above 60 s publishes', async () => {
		await lifecycle(node, harnessFor({ deliverySettings: { delay: 120 } })).publish();
		const [create] = emulator.callsTo('POST', /^\/platform\/hooks\/web$/);
		expect(create.body).not.toHaveProperty('incomplete_delay');
		expect(emulator.hooks.size).toBe(1);
	});

	it('registers the token as a path segment when Poltio drops the query string, and such deliveries run', async () => {
		emulator.stripQueryStrings = true;
		const harness = await served();
		await lifecycle(node, harness).publish();
		const token = registeredToken();
		const [hook] = [...emulator.hooks.values()];
		expect(hook.url).toBe(`${harness.webhookUrl.replace(/\/webhook$/, '')}/setup/${token}`);
		expect(emulator.hooks.size).toBe(1);
		expect(harness.staticData).toEqual({
			webhookUrl: harness.webhookUrl,
			hookId: String(hook.id),
			token: tokenHash(token),
			tokenIn: 'path',
		});
		const [created, recreated] = emulator.callsTo('POST', /^\/platform\/hooks\/web$/);
		expect(created.body).toMatchObject({ url: `${harness.webhookUrl}?token=${token}` });
		expect(recreated.body).toMatchObject({ url: hook.url });

		// Re-publishing keeps the path form; unpublishing finds and removes it.
		expect(await lifecycle(node, harness).checkExists()).toBe(true);
		expect(emulator.callsTo('PUT', /hooks\/web\/\d+$/)).toHaveLength(0);
		const delivered = await emulator.deliver(
			'q1b2c3d4',
			JSON.parse(fixture('poltio', 'session-completed')),
		);
		expect(delivered.map((result) => result.status)).toEqual([200]);
		expect(server!.executions).toHaveLength(1);
		const forged = await post(
			hook.url.replace(token, `${token.slice(0, -1)}x`),
			Buffer.from('{}'),
			{ 'content-type': 'application/json' },
		);
		expect(forged.status).toBe(401);
		await lifecycle(node, harness).delete();
		expect(emulator.hooks.size).toBe(0);
	});

	it('fails the publish, leaving nothing, when Poltio keeps the token neither in the query nor in the path', async () => {
		emulator.keepOnlyOrigin = true;
		const harness = harnessFor();
		const error = await failure(lifecycle(node, harness).create());
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe(
			'Poltio stored the webhook URL without its token, so deliveries could not be verified; the webhook was removed again',
		);
		expect((error as NodeOperationError).description).toBe(
			'Poltio kept "https://n8n.example.test/" and "https://n8n.example.test/" (the token in the query string, then as a path segment). Please report this, with your Poltio plan, to the package maintainers.',
		);
		expect(emulator.callsTo('POST', /^\/platform\/hooks\/web$/)).toHaveLength(2);
		expect(emulator.hooks.size).toBe(0);
		expect(harness.staticData).toEqual({});
	});

	it('says so clearly when the account already has two account-wide hooks', async () => {
		await lifecycle(node, harnessFor({ scope: 'account' })).publish();
		const second = harnessFor({ scope: 'account' });
		second.webhookUrl = 'https://n8n.example.test/webhook/other/webhook';
		await lifecycle(node, second).publish();
		const third = harnessFor({ scope: 'account' });
		third.webhookUrl = 'https://n8n.example.test/webhook/third/webhook';
		const error = await failure(lifecycle(node, third).create());
		expect(error.message).toBe(
			'Poltio allows at most 2 account-wide webhooks and this account already has 2 (n8n: Survey follow-up, n8n: Survey follow-up)',
		);
		expect(emulator.hooks.size).toBe(2);
	});

	it('reports a bad token (Poltio’s 302 to its login page) as a rejected credential', async () => {
		const error = await failure(lifecycle(node, harnessFor({}, 'expired-token')).create());
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(
			'Poltio rejected the credential "My poltioApi" while trying to list webhooks (HTTP 302)',
		);
		expect(emulator.calls.every((call) => call.path !== '/login')).toBe(true);
	});

	it('deletes its hook on unpublish; a second delete is harmless', async () => {
		const harness = harnessFor();
		const hooks = lifecycle(node, harness);
		await hooks.publish();
		await hooks.delete();
		expect(emulator.hooks.size).toBe(0);
		expect(harness.staticData).toEqual({});
		await hooks.delete();
		await hooks.publish();
		expect(emulator.hooks.size).toBe(1);
	});

	it('lists contents for the Content parameter', async () => {
		const options = await node.methods.loadOptions.listContents.call(
			loadOptionsContext(harnessFor()),
		);
		expect(options).toEqual([
			{ name: 'Which plan fits you? (quiz)', value: 'q1b2c3d4' },
			{ name: 'Favourite feature (poll)', value: 'p9e8d7c6' },
		]);
	});

	it('tests the credential without following Poltio’s redirect', async () => {
		const credential = new PoltioApi();
		const call = (apiToken: string) =>
			httpRequest({
				disableFollowRedirect: credential.test.request.disableFollowRedirect,
				baseURL: resolveExpression(credential.test.request.baseURL, {
					baseUrl: emulator.url,
				}) as string,
				url: credential.test.request.url!,
				headers: {
					Authorization: `Bearer ${apiToken}`,
					'Organization-Id': emulator.organizationId,
				},
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
			}) as Promise<{ statusCode: number }>;
		expect((await call(emulator.token)).statusCode).toBe(200);
		const refused = await call('bad');
		expect(refused.statusCode).toBe(302);
		expect(
			credential.test.rules?.find(
				(rule) => rule.type === 'responseCode' && rule.properties.value === 302,
			),
		).toBeDefined();
	});
});

describe('deliveries', () => {
	it('accepts the registered URL token and shapes the documented payload', async () => {
		const harness = await served();
		await lifecycle(node, harness).publish();
		const [result] = await emulator.deliver(
			'q1b2c3d4',
			JSON.parse(fixture('poltio', 'session-completed')),
		);
		expect(result.status).toBe(200);
		expect(server!.executions[0][0].json).toEqual({
			provider: 'poltio',
			eventId: '22ffdf18-1035-4e56-baa2-8327e3af5242:complete',
			dedupeKey: expect.stringMatching(/^[0-9a-f]{64}$/),
			eventType: 'session.completed',
			receivedAt: expect.any(String),
			occurredAt: '2019-09-16T09:07:55.000Z',
			session: {
				id: '22ffdf18-1035-4e56-baa2-8327e3af5242',
				userId: 1234,
				startedAt: '2024-01-23T11:59:33.000000Z',
				endedAt: '2024-01-23T11:59:59.000000Z',
				publisherUuid: 'Example Publisher ID ',
				customId: 'Example Custom ID',
				complete: true,
			},
			content: { type: 'content', id: 'q1b2c3d4' },
			answers: { 'Example Question Title': ['Example Answer Title'] },
			answerList: [
				{
					questionId: 1234,
					question: 'Example Question Title',
					answers: [
						{
							id: 1234,
							answer: 'Example Answer Title',
							parent: 'https://www.poltio.com/widget/22ffdf18-1035-4e56-baa2-8327e3af5242',
						},
					],
				},
			],
			result: {
				id: 1234,
				title: 'Result Title',
				image: 'content/gcp/1678957893.2458.png',
				description: 'Result Description',
				timeSpent: 16789,
				rightAnswers: 0,
				calculatorResult: '0',
			},
			leads: [expect.objectContaining({ email: 'example@example.com', tc_checked: true })],
		});
	});

	it('reads a delivery whose empty maps arrive as [] (PHP) like the documented one', async () => {
		emulator.phpEmptyMaps = true;
		const harness = await served();
		await lifecycle(node, harness).publish();
		const session = { ...JSON.parse(fixture('poltio', 'session-completed')), result: {} };
		const [result] = await emulator.deliver('q1b2c3d4', session);
		expect(result.status).toBe(200);
		const item = server!.executions[0][0].json;
		expect(item.result).toEqual({
			id: null,
			title: null,
			image: null,
			description: null,
			timeSpent: null,
			rightAnswers: null,
			calculatorResult: null,
		});
		expect(item).not.toHaveProperty('warnings');
	});

	it('turns the incomplete and the later complete delivery of one session into two items', async () => {
		const harness = await served({ events: ['session.completed', 'session.incomplete'] });
		await lifecycle(node, harness).publish();
		const incomplete = JSON.parse(fixture('poltio', 'session-incomplete'));
		await emulator.deliver('q1b2c3d4', incomplete);
		await emulator.deliver('q1b2c3d4', {
			...incomplete,
			complete_session: true,
			session_end_date: '2024-02-02T09:05:00.000000Z',
		});
		const items = server!.executions.map((execution) => execution[0].json);
		expect(items.map((item) => [item.eventId, item.eventType])).toEqual([
			['7d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d:incomplete', 'session.incomplete'],
			['7d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d:complete', 'session.completed'],
		]);
		expect(items[0].answers).toEqual({
			'Which plan fits you?': ['Team'],
			'Which features matter?': ['Exports', 'SSO'],
		});
	});

	it('ignores incomplete sessions (200, no execution) when only completed ones are selected', async () => {
		const harness = await served({
			events: ['session.completed'],
			deliverySettings: { sendIncomplete: true },
		});
		await lifecycle(node, harness).publish();
		const [result] = await emulator.deliver(
			'q1b2c3d4',
			JSON.parse(fixture('poltio', 'session-incomplete')),
		);
		expect(result.status).toBe(200);
		expect(server!.executions).toHaveLength(0);
	});

	it.each([
		['no token', ''],
		['a wrong token', '?token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
		['a prefix of the token', 'PREFIX'],
		['the token under another name', 'OTHER'],
	])('refuses %s with 401 and no execution', async (_name, query) => {
		const harness = await served();
		await lifecycle(node, harness).publish();
		const token = registeredToken();
		const suffix =
			query === 'PREFIX'
				? `?token=${token.slice(0, 20)}`
				: query === 'OTHER'
					? `?secret=${token}`
					: query;
		const result = await post(server!.url + suffix, fixture('poltio', 'session-completed'), {
			'content-type': 'application/json',
		});
		expect(result.status).toBe(401);
		expect(server!.executions).toHaveLength(0);
	});

	it('delivers a verified payload without session_id, identified by the hash of its bytes', async () => {
		const harness = await served();
		await lifecycle(node, harness).publish();
		const result = await post(
			`${server!.url}?token=${registeredToken()}`,
			'{"complete_session": true}',
			{ 'content-type': 'application/json' },
		);
		expect(result.status).toBe(200);
		expect(server!.executions[0][0].json).toMatchObject({
			eventId: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
			eventType: 'session.completed',
			session: { id: null, complete: true },
		});
	});
});
