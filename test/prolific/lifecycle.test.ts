/**
 * The Prolific Trigger's webhook lifecycle against the Prolific API emulator over real HTTP.
 */
import { NodeApiError } from 'n8n-workflow';

import { ProlificApi } from '../../credentials/ProlificApi.credentials';
import { apiLimits } from '../../nodes/shared/api';
import { ProlificEmulator } from '../../scripts/lib/emulators/prolific';
import { nowSeconds, prolificSignature } from '../../scripts/lib/provider-signing';
import { resolveExpression } from '../helpers/credentials';
import { httpRequest } from '../helpers/http-client';
import { loadOptionsContext } from '../helpers/n8n-context';
import { startWebhookServer } from '../helpers/webhook-server';
import { node, prolificHarness, prolificLifecycle as lifecycle, WORKSPACE } from './setup';
import { PROLIFIC_SEAL } from '../../nodes/Prolific/registration';
import { openedState, storedSecret } from '../helpers/sealed';

const URL_A = 'https://n8n.example.test/webhook/4c0e2f5a/webhook';
const ALL_THREE = ['submission.status.change', 'study.status.change', 'study.has_high_return_rate'];
const URL_B = 'https://n8n.example.test/webhook/9d1b7e30/webhook';

let emulator: ProlificEmulator;
const savedLimits = { ...apiLimits };

beforeEach(async () => {
	emulator = await new ProlificEmulator().start();
	Object.assign(apiLimits, { backoffMs: 10, maxRetryAfterMs: 50 });
});
afterEach(async () => {
	Object.assign(apiLimits, savedLimits);
	await emulator.stop();
});

const forUrl = (url = URL_A) =>
	[...emulator.subscriptions.values()].filter((s) => s.target_url === url);
const creates = () => emulator.callsTo('POST', /^\/api\/v1\/hooks\/subscriptions\/$/).length;

async function expectApiError(promise: Promise<unknown>, message: RegExp) {
	const error = await promise.then(
		() => undefined,
		(caught: unknown) => caught,
	);
	expect(error).toBeInstanceOf(NodeApiError);
	expect((error as Error).message).toMatch(message);
	return error as NodeApiError;
}

describe('publish', () => {
	it('creates the workspace secret when there is none, subscribes and confirms each event', async () => {
		const harness = prolificHarness(emulator, { events: ALL_THREE });
		const hooks = lifecycle(harness);
		expect(await hooks.checkExists()).toBe(false);
		await hooks.create();

		const secret = emulator.secrets.get(WORKSPACE)!.value;
		expect(openedState(harness, PROLIFIC_SEAL)).toEqual({
			webhookUrl: URL_A,
			workspaceId: WORKSPACE,
			secret,
			subscriptionIds: Object.fromEntries(forUrl().map((s) => [s.event_type, s.id])),
		});
		expect(
			forUrl()
				.map((s) => s.event_type)
				.sort(),
		).toEqual([...ALL_THREE].sort());
		expect(forUrl().every((s) => s.confirmed && s.is_enabled)).toBe(true);
		expect(await hooks.checkExists()).toBe(true);
	});

	it.each([
		['from the list', { __rl: true, mode: 'list', value: WORKSPACE }],
		['by ID', { __rl: true, mode: 'id', value: WORKSPACE }],
		['as the plain ID a workflow saved before Workspace was a resource locator', WORKSPACE],
	])('publishes with the workspace chosen %s', async (_how, workspaceId) => {
		const harness = prolificHarness(emulator, { workspaceId });
		await lifecycle(harness).publish();
		expect(harness.staticData.workspaceId).toBe(WORKSPACE);
		expect(forUrl().every((s) => s.workspace_id === WORKSPACE && s.confirmed)).toBe(true);
		expect(forUrl()).toHaveLength(1);
	});

	it('reuses the existing workspace secret and never rotates it', async () => {
		emulator.secrets.set(WORKSPACE, { id: 'sec-1', value: 'existing-secret-used-by-others' });
		const harness = prolificHarness(emulator);
		await lifecycle(harness).publish();
		expect(storedSecret(harness, PROLIFIC_SEAL)).toBe('existing-secret-used-by-others');
		expect(emulator.callsTo('POST', /^\/api\/v1\/hooks\/secrets\/$/)).toHaveLength(0);
	});

	it('accepts the created-subscription reply as a bare object too', async () => {
		emulator.createdReplyShape = 'object';
		const harness = prolificHarness(emulator, { events: ALL_THREE });
		await lifecycle(harness).publish();
		expect(forUrl().every((s) => s.confirmed)).toBe(true);
	});

	it('picks its own subscription when the reply lists every subscription of the workspace', async () => {
		emulator.createdReplyShape = 'all';
		const other = prolificHarness(emulator, { events: ALL_THREE }, { webhookUrl: URL_B });
		await lifecycle(other).publish();
		const harness = prolificHarness(emulator, { events: ALL_THREE });
		await lifecycle(harness).publish();
		const ids = harness.staticData.subscriptionIds as Record<string, string>;
		for (const event of ALL_THREE)
			expect(emulator.subscriptions.get(ids[event])).toMatchObject({
				event_type: event,
				target_url: URL_A,
				confirmed: true,
			});
		expect(forUrl(URL_B).every((s) => s.confirmed)).toBe(true);
	});

	it('pages through subscription lists (limit/offset) to find its own', async () => {
		emulator.maxPageSize = 3;
		for (let i = 0; i < 7; i++)
			await lifecycle(
				prolificHarness(emulator, { events: ALL_THREE }, { webhookUrl: `${URL_B}-${i}` }),
			).publish();
		const harness = prolificHarness(emulator, { events: ALL_THREE });
		const hooks = lifecycle(harness);
		await hooks.publish();
		expect(emulator.subscriptions.size).toBe(24);
		expect(await hooks.checkExists()).toBe(true);
		await hooks.publish();
		expect(forUrl()).toHaveLength(3);
		await hooks.delete();
		expect(forUrl()).toHaveLength(0);
		expect(emulator.subscriptions.size).toBe(21);
		expect(
			emulator
				.callsTo('GET', /^\/api\/v1\/hooks\/subscriptions\/$/)
				.some((call) => call.query.get('offset') === '21'),
		).toBe(true);
	});

	it('does nothing on a second publish, and a repeated create never duplicates', async () => {
		const harness = prolificHarness(emulator, { events: ALL_THREE });
		const hooks = lifecycle(harness);
		await hooks.publish();
		await hooks.publish();
		expect(creates()).toBe(3);
		await hooks.create(); // n8n retrying a publish it believes failed
		expect(creates()).toBe(3);
		expect(forUrl()).toHaveLength(3);
	});

	it('repairs a subscription deleted at Prolific', async () => {
		const harness = prolificHarness(emulator, { events: ALL_THREE });
		const hooks = lifecycle(harness);
		await hooks.publish();
		const [gone] = forUrl();
		emulator.subscriptions.delete(gone.id);
		expect(await hooks.checkExists()).toBe(false);
		await hooks.create();
		expect(
			forUrl()
				.map((s) => s.event_type)
				.sort(),
		).toEqual([...ALL_THREE].sort());
		expect(creates()).toBe(4);
	});

	it('re-enables a subscription Prolific auto-disabled instead of creating another', async () => {
		const harness = prolificHarness(emulator);
		const hooks = lifecycle(harness);
		await hooks.publish();
		forUrl()[0].is_enabled = false;
		expect(await hooks.checkExists()).toBe(false);
		await hooks.create();
		expect(forUrl()).toHaveLength(1);
		expect(forUrl()[0].is_enabled).toBe(true);
		expect(creates()).toBe(1);
		expect(emulator.callsTo('PATCH', /subscriptions\/[^/]+\/$/)).toHaveLength(1);
	});

	it('follows a change of the selected events: subscribes new ones, removes dropped ones', async () => {
		const harness = prolificHarness(emulator, { events: ALL_THREE });
		const hooks = lifecycle(harness);
		await hooks.publish();
		harness.parameters.events = ['study.status.change', 'study.progress.change'];
		expect(await hooks.checkExists()).toBe(false);
		await hooks.create();
		expect(
			forUrl()
				.map((s) => s.event_type)
				.sort(),
		).toEqual(['study.progress.change', 'study.status.change']);
		expect(await hooks.checkExists()).toBe(true);
	});

	it('notices when someone replaced the workspace secret and stores the new one', async () => {
		const harness = prolificHarness(emulator);
		const hooks = lifecycle(harness);
		await hooks.publish();
		emulator.secrets.set(WORKSPACE, { id: 'sec-2', value: 'rotated-elsewhere' });
		expect(await hooks.checkExists()).toBe(false);
		await hooks.create();
		expect(storedSecret(harness, PROLIFIC_SEAL)).toBe('rotated-elsewhere');
		expect(forUrl()).toHaveLength(1);
	});

	it('keeps test-URL and production-URL subscriptions apart', async () => {
		const production = prolificHarness(emulator);
		await lifecycle(production).publish();
		const test = prolificHarness(
			emulator,
			{},
			{ webhookUrl: 'https://n8n.example.test/webhook-test/4c0e2f5a/webhook' },
		);
		await lifecycle(test).publish();
		await lifecycle(test).delete();
		expect(forUrl()).toHaveLength(1);
		expect(forUrl('https://n8n.example.test/webhook-test/4c0e2f5a/webhook')).toHaveLength(0);
	});
});

describe('publish failures leave nothing behind', () => {
	it('removes what it created when the 2nd of 3 subscriptions fails, and says why', async () => {
		emulator.inject({
			method: 'POST',
			path: /^\/api\/v1\/hooks\/subscriptions\/$/,
			onCall: 2,
			status: 400,
			body: { detail: 'target_url is not reachable' },
		});
		const harness = prolificHarness(emulator, { events: ALL_THREE });
		const error = await expectApiError(
			lifecycle(harness).create(),
			/^Prolific: could not subscribe to study\.status\.change \(HTTP 400\)$/,
		);
		expect(error.description).toContain('target_url is not reachable');
		expect(forUrl()).toHaveLength(0);
		expect(harness.staticData).toEqual({});
	});

	it('removes the subscription when its confirmation fails', async () => {
		emulator.inject({
			method: 'POST',
			path: /^\/api\/v1\/hooks\/subscriptions\/[^/]+\/$/,
			status: 400,
			body: { detail: 'Invalid secret.' },
		});
		const harness = prolificHarness(emulator, { events: ALL_THREE });
		await expectApiError(
			lifecycle(harness).create(),
			/confirm the submission\.status\.change subscription/,
		);
		expect(forUrl()).toHaveLength(0);
	});

	it('names the credential when Prolific rejects the token', async () => {
		const harness = prolificHarness(emulator, {}, { token: 'revoked-token' });
		const error = await expectApiError(
			lifecycle(harness).create(),
			/^Prolific rejected the credential "My prolificApi" while trying to read the workspace webhook secret \(HTTP 401\)$/,
		);
		expect(error.description).toContain('Invalid token.');
		expect(JSON.stringify(error)).not.toContain('revoked-token');
	});

	it('retries 429 (honouring Retry-After) and 5xx a bounded number of times', async () => {
		emulator.inject({
			method: 'POST',
			path: /^\/api\/v1\/hooks\/subscriptions\/$/,
			onCall: 1,
			status: 429,
			headers: { 'Retry-After': '0' },
		});
		emulator.inject({
			method: 'GET',
			path: /^\/api\/v1\/hooks\/secrets\/$/,
			onCall: 1,
			status: 503,
		});
		const harness = prolificHarness(emulator);
		await lifecycle(harness).create();
		expect(forUrl()).toHaveLength(1);

		emulator.inject({ method: 'GET', path: /^\/api\/v1\/hooks\/secrets\/$/, status: 500 });
		await expectApiError(lifecycle(prolificHarness(emulator)).create(), /HTTP 500/);
		expect(emulator.callsTo('GET', /secrets/).length).toBe(2 + apiLimits.attempts);
	});

	it('reports a reply it cannot read instead of crashing', async () => {
		emulator.inject({
			method: 'GET',
			path: /^\/api\/v1\/hooks\/subscriptions\/$/,
			malformed: true,
		});
		await expectApiError(
			lifecycle(prolificHarness(emulator)).create(),
			/could not list webhook subscriptions: unexpected reply/,
		);
		expect(forUrl()).toHaveLength(0);
	});

	it('reports an unreachable API clearly', async () => {
		const harness = prolificHarness(emulator);
		await emulator.stop();
		await expectApiError(
			lifecycle(harness).create(),
			/^Prolific: could not read the workspace webhook secret: no answer from http:\/\/127\.0\.0\.1:\d+ \(connection refused\)$/,
		);
	});
});

describe('unpublish', () => {
	it('deletes every subscription and clears the stored state; a second delete is harmless', async () => {
		const harness = prolificHarness(emulator, { events: ALL_THREE });
		const hooks = lifecycle(harness);
		await hooks.publish();
		emulator.subscriptions.delete(forUrl()[0].id); // already gone at Prolific: 404 counts as gone
		await hooks.delete();
		expect(forUrl()).toHaveLength(0);
		expect(harness.staticData).toEqual({});
		await hooks.delete();
		expect(await hooks.checkExists()).toBe(false);
	});

	it('also removes subscriptions for this URL that the stored state lost track of', async () => {
		const harness = prolificHarness(emulator);
		await lifecycle(harness).publish();
		const fresh = prolificHarness(emulator); // e.g. static data lost
		await lifecycle(fresh).delete();
		expect(forUrl()).toHaveLength(0);
	});

	it('publishes again cleanly after unpublishing', async () => {
		const harness = prolificHarness(emulator, { events: ALL_THREE });
		const hooks = lifecycle(harness);
		await hooks.publish();
		await hooks.delete();
		await hooks.publish();
		expect(forUrl()).toHaveLength(3);
		expect(await hooks.checkExists()).toBe(true);
	});
});

describe('credential and options', () => {
	it('lists workspaces for the Workspace parameter (a resource locator), filtered by what is typed', async () => {
		const harness = prolificHarness(emulator);
		const search = (filter?: string) =>
			node.methods.listSearch.searchWorkspaces.call(loadOptionsContext(harness), filter);
		expect((await search()).results).toEqual([
			{ name: 'Research Ops', value: '6655aa00bb11cc22dd33ee44' },
			{ name: 'UX Panel', value: '6655aa00bb11cc22dd33ee55' },
		]);
		expect((await search('panel')).results).toEqual([
			{ name: 'UX Panel', value: '6655aa00bb11cc22dd33ee55' },
		]);
	});

	it('lists every workspace: 45 of 45, though Prolific answers 20 without a limit and 50 at most', async () => {
		const saved = emulator.workspaces;
		emulator.workspaces = Array.from({ length: 45 }, (_, i) => ({
			id: `7755aa00bb11cc22dd33${String(i).padStart(4, '0')}`,
			title: `Workspace ${i + 1}`,
		}));
		try {
			const harness = prolificHarness(emulator);
			const { results: options } = await node.methods.listSearch.searchWorkspaces.call(
				loadOptionsContext(harness),
			);
			expect(options).toHaveLength(45);
			expect(new Set(options.map((option) => option.value)).size).toBe(45);
			expect(options[44]).toEqual({ name: 'Workspace 45', value: '7755aa00bb11cc22dd330044' });
			const calls = emulator.callsTo('GET', /^\/api\/v1\/workspaces\/$/);
			expect(new Set(calls.flatMap((call) => [...call.query.keys()]))).toEqual(
				new Set(['limit', 'offset']),
			);
		} finally {
			emulator.workspaces = saved;
		}
	});

	it('tests the credential with GET /api/v1/users/me/', async () => {
		const credential = new ProlificApi();
		const call = (apiToken: string) =>
			httpRequest({
				baseURL: resolveExpression(credential.test.request.baseURL, {
					baseUrl: emulator.url,
				}) as string,
				url: credential.test.request.url!,
				headers: {
					Authorization: resolveExpression(
						credential.authenticate.properties.headers!.Authorization,
						{ apiToken },
					) as string,
				},
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
			}) as Promise<{ statusCode: number }>;
		expect((await call(emulator.token)).statusCode).toBe(200);
		expect((await call('wrong')).statusCode).toBe(401);
	});
});

describe('end to end with the emulator delivering', () => {
	it('follows a workspace secret another tool replaced, reading it again at most once per 10 minutes', async () => {
		const harness = prolificHarness(emulator, { events: ['submission.status.change'] });
		const server = await startWebhookServer(node, harness);
		harness.webhookUrl = server.url;
		const secretReads = () => emulator.callsTo('GET', /^\/api\/v1\/hooks\/secrets\/$/).length;
		try {
			await lifecycle(harness).publish();
			const readsAfterPublish = secretReads();
			emulator.secrets.set(WORKSPACE, { id: 'sec-2', value: 'replaced-by-the-prolific-cli-0123' });
			const body = {
				resource_id: 'sub-9',
				event_type: 'submission.status.change',
				participant_id: 'p-9',
				status: 'APPROVED',
			};
			expect((await emulator.deliver(WORKSPACE, body, 'evt-rotated-1'))[0].status).toBe(200);
			expect(
				(await emulator.deliver(WORKSPACE, { ...body, resource_id: 'sub-10' }, 'evt-rotated-2'))[0]
					.status,
			).toBe(200);
			expect(server.executions.map((execution) => execution[0].json.eventId)).toEqual([
				'evt-rotated-1',
				'evt-rotated-2',
			]);
			expect(secretReads()).toBe(readsAfterPublish + 1);
			expect(
				harness.logs.filter((line) => line.level === 'warn').map((line) => line.message),
			).toEqual([
				expect.stringContaining(
					"the workspace's signing secret was replaced in Prolific; the new one is used now",
				),
			]);
			// Forged deliveries do not make the trigger ask Prolific again within 10 minutes.
			emulator.secrets.set(WORKSPACE, { id: 'sec-3', value: 'an-attacker-guess-0123456789abcd' });
			for (let i = 0; i < 30; i++)
				expect(
					(await emulator.deliver(WORKSPACE, { ...body, resource_id: `forged-${i}` }))[0].status,
				).toBe(401);
			expect(secretReads()).toBe(readsAfterPublish + 1);
			expect(server.executions).toHaveLength(2);
		} finally {
			await server.close();
		}
	});

	it('keeps a replaced secret that a forged delivery made it read, so genuine deliveries that follow run', async () => {
		const harness = prolificHarness(emulator, { events: ['submission.status.change'] });
		const server = await startWebhookServer(node, harness);
		harness.webhookUrl = server.url;
		try {
			await lifecycle(harness).publish();
			emulator.secrets.set(WORKSPACE, { id: 'sec-2', value: 'replaced-by-the-prolific-cli-4567' });
			const body = JSON.stringify({
				resource_id: 'sub-7',
				event_type: 'submission.status.change',
				participant_id: 'p-7',
				status: 'APPROVED',
			});
			// A well-formed, timely forgery arrives first and makes the trigger read the secret again.
			const timestamp = nowSeconds();
			const forged = await httpRequest({
				method: 'POST',
				url: server.url,
				body,
				headers: {
					'content-type': 'application/json',
					'x-prolific-request-timestamp': timestamp,
					'x-prolific-request-signature': prolificSignature(
						'an-attacker-guess-0123456789',
						timestamp,
						body,
					),
				},
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
			});
			expect((forged as { statusCode: number }).statusCode).toBe(401);
			// The genuine delivery right after it, signed with the replaced secret, runs.
			expect(
				(await emulator.deliver(WORKSPACE, JSON.parse(body), 'evt-after-forgery'))[0].status,
			).toBe(200);
			expect(server.executions.map((execution) => execution[0].json.eventId)).toEqual([
				'evt-after-forgery',
			]);
			expect(
				harness.logs.filter(
					(line) => line.level === 'warn' && line.message.includes('was replaced in Prolific'),
				),
			).toHaveLength(1);
		} finally {
			await server.close();
		}
	});

	it('reads deliveries whose empty maps arrive as [] (PHP) like any other', async () => {
		emulator.phpEmptyMaps = true;
		const harness = prolificHarness(emulator, { events: ['study.status.change'] });
		const server = await startWebhookServer(node, harness);
		harness.webhookUrl = server.url;
		try {
			await lifecycle(harness).publish();
			const [delivery] = await emulator.deliver(WORKSPACE, {
				resource_id: 'st-2',
				event_type: 'study.status.change',
				status: 'ACTIVE',
				metadata: {},
			});
			expect(delivery.status).toBe(200);
			expect(server.executions[0][0].json).toMatchObject({ studyId: 'st-2', metadata: {} });
			expect(server.executions[0][0].json).not.toHaveProperty('warnings');
		} finally {
			await server.close();
		}
	});

	it('receives what Prolific sends to the registered URL, and nothing after unpublish', async () => {
		const harness = prolificHarness(emulator, { events: ['submission.status.change'] });
		const server = await startWebhookServer(node, harness);
		harness.webhookUrl = server.url;
		try {
			await lifecycle(harness).publish();
			const body = {
				resource_id: 'sub-1',
				event_type: 'submission.status.change',
				participant_id: 'p-1',
				status: 'AWAITING REVIEW',
			};
			const [delivery] = await emulator.deliver(WORKSPACE, body, 'evt-42');
			expect(delivery.status).toBe(200);
			expect(
				await emulator.deliver(WORKSPACE, {
					resource_id: 'st-1',
					event_type: 'study.progress.change',
				}),
			).toEqual([]);
			expect(server.executions).toHaveLength(1);
			expect(server.executions[0][0].json).toMatchObject({
				eventId: 'evt-42',
				submissionId: 'sub-1',
				status: 'AWAITING REVIEW',
			});
			await lifecycle(harness).delete();
			expect(await emulator.deliver(WORKSPACE, body)).toEqual([]);
			expect(server.faults).toEqual([]);
		} finally {
			await server.close();
		}
	});
});
