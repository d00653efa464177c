/**
 * Runtime bounds and what errors say: the timestamp tolerance is clamped at delivery time, a too
 * short Refiner token refuses deliveries with one clear log line, provider error text never carries
 * a credential secret or URL token, and network failures are retried through n8n-core's real
 * request helper.
 */
import type { IDataObject } from 'n8n-workflow';

import { ProlificApi } from '../../credentials/ProlificApi.credentials';
import { ProlificTrigger } from '../../nodes/Prolific/ProlificTrigger.node';
import { apiLimits } from '../../nodes/shared/api';
import { CintEmulator } from '../../scripts/lib/emulators/cint';
import { PoltioEmulator } from '../../scripts/lib/emulators/poltio';
import { ProlificEmulator } from '../../scripts/lib/emulators/prolific';
import { cintHarness, node as cintNode } from '../cint/setup';
import { fixture } from '../helpers/fixtures';
import { lifecycle } from '../helpers/lifecycle';
import { createHarness } from '../helpers/n8n-context';
import { nowSeconds } from '../../scripts/lib/provider-signing';
import { realHookContext } from '../helpers/real-n8n-core';
import { post } from '../helpers/webhook-server';
import { PoltioApi } from '../../credentials/PoltioApi.credentials';
import { PoltioTrigger } from '../../nodes/Poltio/PoltioTrigger.node';
import { prolificHarness, WORKSPACE } from '../prolific/setup';
import { byProvider, serveProfile } from '../helpers/trigger-profiles';

const savedLimits = { ...apiLimits };
beforeAll(() => Object.assign(apiLimits, { backoffMs: 10, maxRetryAfterMs: 50, timeoutMs: 400 }));
afterAll(() => Object.assign(apiLimits, savedLimits));

async function failure(promise: Promise<unknown>): Promise<Error & { description?: string }> {
	const error = await promise.then(
		() => undefined,
		(caught: unknown) => caught,
	);
	expect(error).toBeInstanceOf(Error);
	return error as Error & { description?: string };
}

/** Everything an error shows or carries: message, description, and what it wraps. */
const errorText = (error: Error & { description?: string; cause?: unknown }) =>
	JSON.stringify({
		message: error.message,
		description: error.description,
		cause: error.cause,
		stack: error.stack,
	});

describe('Timestamp Tolerance', () => {
	const body = fixture('prolific', 'submission.status.change');
	const profile = byProvider('prolific');
	const sendAged = async (tolerance: unknown, ageSeconds: number) => {
		const { server } = await serveProfile(profile, {
			timestampTolerance: tolerance as IDataObject[string],
		});
		try {
			return await post(
				server.url,
				body,
				profile.authenticate(body, undefined, String(Number(nowSeconds()) - ageSeconds)).headers,
			);
		} finally {
			await server.close();
		}
	};

	it('is clamped to at most 3600 s, whatever an expression yields', async () => {
		expect(await sendAged(1e12, 3605)).toEqual({
			status: 401,
			body: { error: 'timestamp is too old' },
		});
		expect(await sendAged(Infinity, 3605)).toEqual({
			status: 401,
			body: { error: 'timestamp is too old' },
		});
		expect((await sendAged(1e12, 3500)).status).toBe(200);
	});

	it('is clamped to at least 30 s', async () => {
		expect((await sendAged(1, 20)).status).toBe(200);
		expect((await sendAged(-50, 20)).status).toBe(200);
		expect((await sendAged(1, 40)).status).toBe(401);
	});

	it('falls back to 300 s when not a number', async () => {
		expect((await sendAged('soon', 290)).status).toBe(200);
		expect((await sendAged('soon', 310)).status).toBe(401);
	});
});

describe('Refiner secret token shorter than the credential test allows', () => {
	it('refuses every delivery, logging one clear line a minute without the token', async () => {
		const shortToken = 'tok-12345';
		const profile = {
			...byProvider('refiner'),
			credentials: { refinerWebhookApi: { secretToken: shortToken } },
		};
		const { server, harness } = await serveProfile(profile);
		const body = fixture('refiner', 'completed-survey');
		try {
			for (let i = 0; i < 20; i++) {
				const result = await post(server.url, body, {
					'content-type': 'application/json',
					'x-refiner-token': shortToken,
				});
				expect(result).toEqual({
					status: 401,
					body: { error: 'the Refiner secret token is shorter than 16 characters' },
				});
			}
			expect(server.executions).toHaveLength(0);
			const warnings = harness.logs.filter((line) => line.level === 'warn');
			expect(warnings).toHaveLength(1);
			expect(warnings[0].message).toContain('shorter than 16 characters');
			expect(warnings[0].message).toContain('Set a longer token in Refiner and in the credential');
			expect(JSON.stringify(harness.logs)).not.toContain(shortToken);
		} finally {
			await server.close();
		}
	});
});

describe('provider error text never carries a secret', () => {
	it('Prolific: an error body echoing the request does not reveal the API token', async () => {
		const emulator = await new ProlificEmulator().start();
		try {
			emulator.inject({ method: 'POST', path: /subscriptions\/$/, status: 400, echo: true });
			const error = await failure(
				lifecycle(new ProlificTrigger(), prolificHarness(emulator)).create(),
			);
			expect(error.message).toBe(
				'Prolific: could not subscribe to submission.status.change (HTTP 400)',
			);
			expect(error.description).toContain('could not process POST /api/v1/hooks/subscriptions/');
			expect(error.description).toContain('[redacted]');
			expect(errorText(error)).not.toContain(emulator.token);
		} finally {
			await emulator.stop();
		}
	});

	it('Prolific: a token across the 300-character cut leaks none of its characters', async () => {
		const emulator = await new ProlificEmulator().start();
		try {
			const token = emulator.token;
			expect(token.length).toBeGreaterThan(8);
			// The token starts a few characters before the cut, at the cut and just after it.
			for (const before of [296, 299, 300, 301]) {
				emulator.clearFaults();
				emulator.inject({
					method: 'POST',
					path: /subscriptions\/$/,
					status: 400,
					body: { detail: `${'x'.repeat(before)}${token} and more` },
				});
				const error = await failure(
					lifecycle(new ProlificTrigger(), prolificHarness(emulator)).create(),
				);
				const shown = String(error.description);
				expect(shown.startsWith('x'.repeat(Math.min(before, 300)))).toBe(true);
				// Not one character of the token after the filler: at most the redaction's start.
				const afterFiller = shown.slice(before);
				expect('[redacted] and more'.startsWith(afterFiller.replace(/…$/, ''))).toBe(true);
				expect(errorText(error)).not.toContain(token.slice(0, 4));
			}
		} finally {
			await emulator.stop();
		}
	});

	it('Poltio: neither the API token nor the URL token of the hook appears', async () => {
		const emulator = await new PoltioEmulator().start();
		try {
			emulator.inject({
				method: 'POST',
				path: /^\/platform\/hooks\/web$/,
				status: 422,
				echo: true,
			});
			const harness = createHarness({
				nodeType: 'n8n-nodes-survey-triggers.poltioTrigger',
				parameters: {
					scope: 'content',
					contentId: 'q1b2c3d4',
					events: ['session.completed'],
					deliverySettings: {},
				},
				credentialTypes: [new PoltioApi()],
				credentials: {
					poltioApi: {
						apiToken: emulator.token,
						organizationId: emulator.organizationId,
						baseUrl: emulator.url,
					},
				},
			});
			const error = await failure(lifecycle(new PoltioTrigger(), harness).create());
			const sent = emulator.callsTo('POST', /^\/platform\/hooks\/web$/)[0].body.url as string;
			const urlToken = new URL(sent).searchParams.get('token')!;
			expect(urlToken.length).toBeGreaterThan(20);
			expect(error.description).toContain('could not process POST /platform/hooks/web');
			expect(errorText(error)).not.toContain(emulator.token);
			expect(errorText(error)).not.toContain(urlToken);
		} finally {
			await emulator.stop();
		}
	});

	it('Cint: neither the client secret nor the access token appears', async () => {
		const emulator = await new CintEmulator().start();
		try {
			emulator.inject({ method: 'GET', path: /\/webhooks$/, status: 500, echo: true });
			const harness = cintHarness(emulator);
			const error = await failure(lifecycle(cintNode, harness).checkExists());
			const accessToken = harness.credentials.cintApi.accessToken as string;
			expect(accessToken.length).toBeGreaterThan(10);
			expect(error.description).toContain('could not process GET /v1/accounts/');
			expect(errorText(error)).not.toContain(accessToken);
			expect(errorText(error)).not.toContain(emulator.clientSecret);

			emulator.clearFaults();
			emulator.inject({ method: 'POST', path: /^\/oauth\/token$/, status: 400, echo: true });
			const refused = await failure(lifecycle(cintNode, cintHarness(emulator)).checkExists());
			expect(errorText(refused)).not.toContain(emulator.clientSecret);
		} finally {
			await emulator.stop();
		}
	});

	it('userinfo in a base URL appears nowhere (through n8n-core)', async () => {
		const emulator = await new ProlificEmulator().start();
		try {
			const userinfoUrl = emulator.url.replace('http://', 'http://ops-user:p4ss-w0rd-91@');
			emulator.inject({ method: 'GET', path: /secrets/, status: 400, echo: true });
			const real = prolificCore({ apiToken: emulator.token, baseUrl: userinfoUrl });
			const error = await failure(
				new ProlificTrigger().webhookMethods.default.create.call(real.ctx),
			);
			expect(error.message).toBe(
				'Prolific: could not read the workspace webhook secret (HTTP 400)',
			);
			expect(errorText(error)).not.toContain('p4ss-w0rd-91');
			expect(errorText(error)).not.toContain(emulator.token);

			const unreachable = prolificCore({
				apiToken: emulator.token,
				baseUrl: 'http://ops-user:p4ss-w0rd-91@127.0.0.1:9',
			});
			const refused = await failure(
				new ProlificTrigger().webhookMethods.default.create.call(unreachable.ctx),
			);
			expect(refused.message).toBe(
				'Prolific: could not read the workspace webhook secret: no answer from http://127.0.0.1:9 (connection refused)',
			);
			expect(errorText(refused)).not.toContain('p4ss-w0rd-91');
		} finally {
			await emulator.stop();
		}
	});
});

function prolificCore(credentials: IDataObject) {
	return realHookContext({
		nodeType: new ProlificTrigger(),
		parameters: {
			workspaceId: WORKSPACE,
			events: ['submission.status.change'],
			simple: true,
			options: {},
		},
		credentialType: new ProlificApi(),
		credentials: credentials as Record<string, string>,
	});
}

describe('network failures during registration, through n8n-core’s request helper', () => {
	let emulator: ProlificEmulator;
	beforeEach(async () => {
		emulator = await new ProlificEmulator().start();
	});
	afterEach(() => emulator.stop());

	it.each([
		['a connection reset', { reset: true }],
		['a timeout', { delayMs: 1_000, status: 200 }],
	])('retries after %s and publishes', async (_name, fault) => {
		emulator.inject({ method: 'GET', path: /secrets/, onCall: 1, ...fault });
		const real = prolificCore({ apiToken: emulator.token, baseUrl: emulator.url });
		await new ProlificTrigger().webhookMethods.default.create.call(real.ctx);
		expect(emulator.callsTo('GET', /secrets/)).toHaveLength(2);
		expect(real.staticData.subscriptionIds).toEqual({
			'submission.status.change': expect.any(String),
		});
		expect(emulator.subscriptions.size).toBe(1);
	});

	it('gives up after the bounded attempts with a clear error and leaves nothing behind', async () => {
		emulator.inject({ method: 'POST', path: /^\/api\/v1\/hooks\/subscriptions\/$/, reset: true });
		const real = prolificCore({ apiToken: emulator.token, baseUrl: emulator.url });
		const error = await failure(new ProlificTrigger().webhookMethods.default.create.call(real.ctx));
		expect(error.message).toBe(
			`Prolific: could not subscribe to submission.status.change: no answer from ${emulator.url} (connection reset)`,
		);
		expect(emulator.callsTo('POST', /^\/api\/v1\/hooks\/subscriptions\/$/)).toHaveLength(
			apiLimits.attempts,
		);
		expect(emulator.subscriptions.size).toBe(0);
		expect(errorText(error)).not.toContain(emulator.token);
	});
});
