/**
 * The Cint Trigger's webhook lifecycle and OAuth handling against the Cint emulator over real HTTP.
 */
import { NodeApiError } from 'n8n-workflow';

import { CintApi } from '../../credentials/CintApi.credentials';
import { apiLimits } from '../../nodes/shared/api';
import { CintEmulator } from '../../scripts/lib/emulators/cint';
import { authenticateRequest, resolveExpression } from '../helpers/credentials';
import { httpRequest } from '../helpers/http-client';
import { lifecycle } from '../helpers/lifecycle';
import { startWebhookServer } from '../helpers/webhook-server';
import { cintHarness, node } from './setup';
import { CINT_SEAL } from '../../nodes/Cint/registration';
import { openedState, storedSecret } from '../helpers/sealed';

const URL_A = 'https://n8n.example.test/webhook/4c0e2f5a/webhook';
let emulator: CintEmulator;
const savedLimits = { ...apiLimits };

beforeEach(async () => {
	emulator = await new CintEmulator().start();
	Object.assign(apiLimits, { backoffMs: 10, maxRetryAfterMs: 50 });
});
afterEach(async () => {
	Object.assign(apiLimits, savedLimits);
	await emulator.stop();
});

const calls = (method: string, pattern: RegExp) => emulator.callsTo(method, pattern).length;

async function rejection(promise: Promise<unknown>): Promise<NodeApiError> {
	const error = await promise.then(
		() => undefined,
		(caught: unknown) => caught,
	);
	expect(error).toBeInstanceOf(NodeApiError);
	return error as NodeApiError;
}

describe('publish', () => {
	it('creates one webhook for all selected events and stores its id and secret', async () => {
		const harness = cintHarness(emulator, { events: ['session-updated', 'quota-fill-registered'] });
		const hooks = lifecycle(node, harness);
		expect(await hooks.checkExists()).toBe(false);
		await hooks.create();
		const [webhook] = emulator.webhooksFor(URL_A);
		expect(webhook.events.sort()).toEqual(['quota-fill-registered', 'session-updated']);
		expect(openedState(harness, CINT_SEAL)).toEqual({
			webhookUrl: URL_A,
			webhookId: webhook.id,
			secret: webhook.secret,
			registeredAt: expect.any(String),
		});
		expect(await hooks.checkExists()).toBe(true);
		expect(emulator.webhooksFor(URL_A)).toHaveLength(1);
		const [create] = emulator.callsTo('POST', /\/webhooks$/);
		expect(create.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
		expect(create.headers['cint-api-version']).toBe('2025-12-18');
	});

	it('updates the events with If-Match instead of creating another webhook', async () => {
		const harness = cintHarness(emulator, { events: ['session-updated'] });
		const hooks = lifecycle(node, harness);
		await hooks.publish();
		harness.parameters.events = ['target-group-updated', 'session-updated'];
		await hooks.publish();
		expect(emulator.webhooksFor(URL_A)).toHaveLength(1);
		expect(emulator.webhooksFor(URL_A)[0].events.sort()).toEqual([
			'session-updated',
			'target-group-updated',
		]);
		const [put] = emulator.callsTo('PUT', /\/webhooks\/[^/]+$/);
		expect(put.headers['if-match']).toMatch(/^"v\d+"$/);
		expect(calls('POST', /\/webhooks$/)).toBe(1);
	});

	it.each(['2025-05-27', '2024-12-02'])(
		'works with the older API version %s, which wants Idempotency-Key on PUT and regenerate',
		async (version) => {
			const harness = cintHarness(emulator, { events: ['session-updated'] });
			harness.credentials.cintApi.apiVersion = version;
			const hooks = lifecycle(node, harness);
			await hooks.publish();
			harness.parameters.events = ['quota-fill-registered'];
			await hooks.publish();
			expect(emulator.webhooksFor(URL_A)[0].events).toEqual(['quota-fill-registered']);
			harness.staticData.secret = undefined as never; // a lost secret is regenerated
			await hooks.publish();
			expect(storedSecret(harness, CINT_SEAL)).toBe(emulator.webhooksFor(URL_A)[0].secret);
			for (const call of [
				...emulator.callsTo('PUT', /\/webhooks\/[^/]+$/),
				...emulator.callsTo('POST', /regenerate-secret$/),
			]) {
				expect([call.headers['cint-api-version'], call.headers['idempotency-key']]).toEqual([
					version,
					expect.stringMatching(/^[0-9a-f-]{36}$/),
				]);
			}
			expect(emulator.callsTo('POST', /regenerate-secret$/)).toHaveLength(1);
		},
	);

	it('retries the update once when the ETag changed in between (412)', async () => {
		const harness = cintHarness(emulator);
		const hooks = lifecycle(node, harness);
		await hooks.publish();
		emulator.inject({
			method: 'PUT',
			path: /\/webhooks\/[^/]+$/,
			onCall: 1,
			status: 412,
			body: { error: { code: 'precondition_failed' } },
		});
		harness.parameters.events = ['quota-fill-registered'];
		expect(await hooks.checkExists()).toBe(true);
		expect(emulator.webhooksFor(URL_A)[0].events).toEqual(['quota-fill-registered']);
	});

	it('recreates a webhook deleted at Cint', async () => {
		const harness = cintHarness(emulator);
		const hooks = lifecycle(node, harness);
		await hooks.publish();
		emulator.webhooks.clear();
		expect(await hooks.checkExists()).toBe(false);
		await hooks.create();
		expect(emulator.webhooksFor(URL_A)).toHaveLength(1);
		expect(harness.staticData.webhookId).toBe(emulator.webhooksFor(URL_A)[0].id);
	});

	it('regenerates and stores the secret when it is missing', async () => {
		const harness = cintHarness(emulator);
		const hooks = lifecycle(node, harness);
		await hooks.publish();
		delete harness.staticData.secret;
		expect(await hooks.checkExists()).toBe(true);
		const [webhook] = emulator.webhooksFor(URL_A);
		expect(storedSecret(harness, CINT_SEAL)).toBe(webhook.secret);
		expect(calls('POST', /regenerate-secret$/)).toBe(1);
		expect(calls('POST', /\/webhooks$/)).toBe(1);
	});

	it('finds its webhook across at least three pages and removes duplicates for its URL', async () => {
		emulator.addForeignWebhooks(150);
		const harness = cintHarness(emulator);
		const hooks = lifecycle(node, harness);
		await hooks.publish();
		emulator.addForeignWebhooks(120);
		await hooks.create(); // a leaked second webhook for the same URL
		expect(emulator.webhooksFor(URL_A)).toHaveLength(2);
		expect(await hooks.checkExists()).toBe(true);
		expect(emulator.webhooksFor(URL_A)).toHaveLength(1);
		const pages = emulator.callsTo('GET', /\/webhooks$/).slice(-3);
		expect(pages.map((call) => Boolean(call.query.get('start_after')))).toEqual([
			false,
			true,
			true,
		]);
		expect(storedSecret(harness, CINT_SEAL)).toBe(emulator.webhooksFor(URL_A)[0].secret);
	});

	it('reads the list field as `event` too (as one of Cint’s guides shows it)', async () => {
		emulator.listField = 'event';
		const harness = cintHarness(emulator, { events: ['session-updated'] });
		const hooks = lifecycle(node, harness);
		await hooks.publish();
		await hooks.publish();
		expect(calls('PUT', /\/webhooks\/[^/]+$/)).toBe(0);
	});

	it('fails with Cint’s message and leaves nothing behind when create is refused', async () => {
		emulator.inject({
			method: 'POST',
			path: /\/webhooks$/,
			status: 400,
			body: { error: { code: 'validation_error', message: 'url must use https' } },
		});
		const error = await rejection(lifecycle(node, cintHarness(emulator)).create());
		expect(error.message).toBe('Cint: could not create the webhook (HTTP 400)');
		expect(error.description).toBe('url must use https');
		expect(emulator.webhooks.size).toBe(0);
	});

	it('removes a created webhook whose reply carries no secret', async () => {
		emulator.inject({
			method: 'POST',
			path: /\/webhooks$/,
			status: 201,
			body: { id: 'no-secret', url: URL_A, events: ['session-updated'] },
		});
		emulator.webhooks.set('no-secret', {
			id: 'no-secret',
			url: URL_A,
			events: ['session-updated'],
			secret: 'x',
			version: 1,
			created_at: '',
			updated_at: '',
		});
		const error = await rejection(lifecycle(node, cintHarness(emulator)).create());
		expect(error.message).toBe('Cint: could not create the webhook: unexpected reply');
		expect(emulator.webhooks.size).toBe(0);
	});
});

describe('OAuth', () => {
	it('fetches a token once and reuses it', async () => {
		const harness = cintHarness(emulator);
		const hooks = lifecycle(node, harness);
		await hooks.publish();
		await hooks.publish();
		expect(emulator.tokensIssued).toBe(1);
		const [exchange] = emulator.callsTo('POST', /^\/oauth\/token$/);
		expect(exchange.body).toEqual({
			client_id: emulator.clientId,
			client_secret: emulator.clientSecret,
			grant_type: 'client_credentials',
			auth_scopes: 'app:api',
			audience: 'https://api.luc.id',
		});
	});

	it('refreshes an expired token (403) once and succeeds', async () => {
		const harness = cintHarness(emulator);
		const hooks = lifecycle(node, harness);
		await hooks.publish();
		emulator.expireTokens();
		await hooks.delete();
		expect(emulator.webhooks.size).toBe(0);
		expect(emulator.tokensIssued).toBe(2);
		expect(
			emulator.calls.filter((call) => call.path !== '/oauth/token').some((c) => c.method === 'GET'),
		).toBe(true);
	});

	it('says the credential is wrong when Cint refuses the client secret', async () => {
		const harness = cintHarness(emulator, {}, { clientSecret: 'wrong-secret-value' });
		const error = await rejection(lifecycle(node, harness).checkExists());
		expect(error.message).toBe(
			'Cint: could not list webhooks: Cint did not accept the client ID and client secret (HTTP 401); check them in the credential',
		);
		expect(
			JSON.stringify({ ...error, message: error.message, description: error.description }),
		).not.toContain('wrong-secret-value');
	});

	it('tests the credential with GET /accounts/{accountId}/webhooks-events', async () => {
		const credential = new CintApi();
		const data = cintHarness(emulator).credentials.cintApi;
		Object.assign(
			data,
			await credential.preAuthentication!.call({ helpers: { httpRequest } } as never, data),
		);
		const request = await authenticateRequest(credential, data, {
			baseURL: resolveExpression(credential.test.request.baseURL, data) as string,
			url: resolveExpression(credential.test.request.url, data) as string,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		});
		const reply = (await httpRequest(request)) as { statusCode: number; body: unknown };
		expect(reply.statusCode).toBe(200);
		await expect(
			credential.preAuthentication!.call({ helpers: { httpRequest } } as never, {
				...data,
				clientSecret: 'nope',
			}),
		).rejects.toThrow('Cint did not accept the client ID and client secret (HTTP 401)');
	});
});

describe('unpublish', () => {
	it('deletes with the ETag, clears its state, and a second delete is harmless', async () => {
		const harness = cintHarness(emulator);
		const hooks = lifecycle(node, harness);
		await hooks.publish();
		await hooks.delete();
		expect(emulator.webhooks.size).toBe(0);
		expect(emulator.callsTo('DELETE', /\/webhooks\/[^/]+$/)[0].headers['if-match']).toMatch(
			/^"v\d+"$/,
		);
		expect(harness.staticData).toEqual({});
		await hooks.delete();
		await hooks.publish();
		expect(emulator.webhooksFor(URL_A)).toHaveLength(1);
	});

	it('counts a webhook already deleted at Cint (404) as gone', async () => {
		const harness = cintHarness(emulator);
		const hooks = lifecycle(node, harness);
		await hooks.publish();
		emulator.webhooks.clear();
		await hooks.delete();
		expect(harness.staticData).toEqual({});
	});
});

it('receives what Cint delivers to the registered URL end to end', async () => {
	const harness = cintHarness(emulator, { events: ['quota-fill-registered'] });
	const server = await startWebhookServer(node, harness);
	harness.webhookUrl = server.url;
	try {
		await lifecycle(node, harness).publish();
		const [result] = await emulator.deliver(
			'quota-fill-registered',
			{ account_id: 12345, target_group_id: 'tg', screens: 2, completes: 1 },
			'ce-1',
		);
		expect(result.status).toBe(200);
		expect(server.executions[0][0].json).toMatchObject({
			eventId: 'ce-1',
			eventType: 'quota-fill-registered',
			completes: 1,
		});
		expect(await emulator.deliver('session-updated', {})).toEqual([]);
	} finally {
		await server.close();
	}
});
