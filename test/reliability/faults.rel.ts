/**
 * Provider faults during registration, injected by the emulators (real HTTP on 127.0.0.1): 401, 403,
 * 404, 429 with Retry-After, 500, a timeout, a malformed JSON reply, and a failure on the 2nd of 3
 * Prolific subscriptions. Each ends in a clear NodeApiError naming the provider and the step, with
 * nothing left behind at the provider; 429 and 5xx are retried a bounded number of times.
 */
import { NodeApiError } from 'n8n-workflow';
import type { IDataObject, INodeType } from 'n8n-workflow';

import { CintApi } from '../../credentials/CintApi.credentials';
import { PoltioApi } from '../../credentials/PoltioApi.credentials';
import { ProlificApi } from '../../credentials/ProlificApi.credentials';
import { CintTrigger } from '../../nodes/CintTrigger/CintTrigger.node';
import { PoltioTrigger } from '../../nodes/PoltioTrigger/PoltioTrigger.node';
import { ProlificTrigger } from '../../nodes/ProlificTrigger/ProlificTrigger.node';
import { apiLimits } from '../../nodes/shared/api';
import { CintEmulator } from '../../scripts/lib/emulators/cint';
import type { Emulator, Fault } from '../../scripts/lib/emulators/emulator';
import { PoltioEmulator } from '../../scripts/lib/emulators/poltio';
import { ProlificEmulator } from '../../scripts/lib/emulators/prolific';
import { lifecycle } from '../helpers/lifecycle';
import { createHarness } from '../helpers/n8n-context';

const URL = 'https://n8n.example.test/webhook/faults/webhook';

interface Target {
	provider: string;
	displayName: string;
	make: () => Emulator;
	node: INodeType;
	harness: (emulator: any) => ReturnType<typeof createHarness>;
	/** The create call faults are injected into, and its step as named in errors. */
	create: { method: string; path: RegExp; step: string };
	leftovers: (emulator: any) => number;
}

const targets: Target[] = [
	{
		provider: 'prolific',
		displayName: 'Prolific',
		make: () => new ProlificEmulator(),
		node: new ProlificTrigger(),
		harness: (e: ProlificEmulator) =>
			createHarness({
				nodeType: 'prolificTrigger',
				parameters: { workspaceId: e.workspaces[0].id, events: ['submission.status.change', 'study.status.change', 'study.progress.change'] },
				credentialTypes: [new ProlificApi()],
				credentials: { prolificApi: { apiToken: e.token, baseUrl: e.url } },
				webhookUrl: URL,
			}),
		create: { method: 'POST', path: /^\/api\/v1\/hooks\/subscriptions\/$/, step: 'subscribe to submission.status.change' },
		leftovers: (e: ProlificEmulator) => [...e.subscriptions.values()].filter((s) => s.target_url === URL).length,
	},
	{
		provider: 'cint',
		displayName: 'Cint',
		make: () => new CintEmulator(),
		node: new CintTrigger(),
		harness: (e: CintEmulator) =>
			createHarness({
				nodeType: 'cintTrigger',
				parameters: { events: ['session-updated'] },
				credentialTypes: [new CintApi()],
				credentials: { cintApi: { clientId: e.clientId, clientSecret: e.clientSecret, accountId: e.accountId, apiVersion: '2025-12-18', baseUrl: e.baseUrl, authUrl: e.authUrl, accessToken: '' } },
				webhookUrl: URL,
			}),
		create: { method: 'POST', path: /\/webhooks$/, step: 'create the webhook' },
		leftovers: (e: CintEmulator) => e.webhooksFor(URL).length,
	},
	{
		provider: 'poltio',
		displayName: 'Poltio',
		make: () => new PoltioEmulator(),
		node: new PoltioTrigger(),
		harness: (e: PoltioEmulator) =>
			createHarness({
				nodeType: 'poltioTrigger',
				parameters: { scope: 'content', contentId: 'q1b2c3d4', events: ['session.completed'], deliverySettings: {} },
				credentialTypes: [new PoltioApi()],
				credentials: { poltioApi: { apiToken: e.token, organizationId: e.organizationId, baseUrl: e.url } },
				webhookUrl: URL,
			}),
		create: { method: 'POST', path: /^\/platform\/hooks\/web$/, step: 'create the webhook' },
		leftovers: (e: PoltioEmulator) => e.hooksFor(URL).length,
	},
];

const savedLimits = { ...apiLimits };
beforeAll(() => Object.assign(apiLimits, { backoffMs: 20, maxRetryAfterMs: 1_000, timeoutMs: 300 }));
afterAll(() => Object.assign(apiLimits, savedLimits));

interface FaultCase {
	name: string;
	fault: Partial<Fault>;
	message: (t: Target) => RegExp;
	/** Calls to the create endpoint the trigger makes before giving up. */
	attempts: number;
}

const failing: FaultCase[] = [
	{ name: '401', fault: { status: 401, body: { detail: 'Invalid token.' } }, message: (t) => new RegExp(`^${t.displayName} rejected the credential ".+" while trying to ${t.create.step} \\(HTTP 401\\)$`), attempts: 1 },
	{ name: '403', fault: { status: 403, body: { detail: 'Forbidden.' } }, message: (t) => new RegExp(`^${t.displayName} rejected the credential ".+" while trying to ${t.create.step} \\(HTTP 403\\)$`), attempts: 1 },
	{ name: '404', fault: { status: 404, body: { detail: 'Not found.' } }, message: (t) => new RegExp(`^${t.displayName}: could not ${t.create.step} \\(HTTP 404\\)$`), attempts: 1 },
	{ name: '429 every time', fault: { status: 429, headers: { 'Retry-After': '0' } }, message: (t) => new RegExp(`^${t.displayName}: could not ${t.create.step} \\(HTTP 429\\)$`), attempts: 3 },
	{ name: '500 every time', fault: { status: 500 }, message: (t) => new RegExp(`^${t.displayName}: could not ${t.create.step} \\(HTTP 500\\)$`), attempts: 3 },
	{ name: 'a timeout', fault: { delayMs: 1_000, status: 504 }, message: (t) => new RegExp(`^${t.displayName}: could not ${t.create.step}: no answer from http://127\\.0\\.0\\.1:\\d+.* \\(timed out\\)$`), attempts: 3 },
	{ name: 'a malformed JSON reply', fault: { status: 201, malformed: true }, message: (t) => new RegExp(`^${t.displayName}: could not ${t.create.step}: unexpected reply$`), attempts: 1 },
];

describe.each(targets)('$provider registration faults', (target) => {
	let emulator: any;
	beforeEach(async () => {
		emulator = await target.make().start();
	});
	afterEach(() => emulator.stop());

	it.each(failing)('$name on create: clear error, bounded attempts, nothing left behind', async ({ fault, message, attempts }) => {
		emulator.inject({ method: target.create.method, path: target.create.path, ...fault });
		const harness = target.harness(emulator);
		const error = await lifecycle(target.node, harness).publish().then(() => undefined, (caught: unknown) => caught);
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as Error).message).toMatch(message(target));
		const renewal = target.provider === 'cint' && ['401', '403'].includes(String(fault.status)) ? 1 : 0;
		expect(emulator.callsTo(target.create.method, target.create.path)).toHaveLength(attempts + renewal);
		expect(target.leftovers(emulator)).toBe(0);
		expect(harness.staticData).toEqual({});
		// No credential secret in the error, its description or anything it serialises.
		const secrets = Object.entries(Object.values(harness.credentials)[0]).filter(([key]) => /token|secret/i.test(key)).map(([, value]) => String(value));
		const shown = JSON.stringify({ error, message: (error as NodeApiError).message, description: (error as NodeApiError).description });
		expect(secrets.filter((secret) => secret && shown.includes(secret))).toEqual([]);
		const logs = JSON.stringify(harness.logs);
		expect(secrets.filter((secret) => secret && logs.includes(secret))).toEqual([]);
	});

	it.each([
		['429 with Retry-After', { status: 429, headers: { 'Retry-After': '1' } }],
		['500', { status: 500 }],
	])('retries a single %s on create and succeeds', async (_name, fault) => {
		emulator.inject({ method: target.create.method, path: target.create.path, onCall: 1, ...fault });
		const harness = target.harness(emulator);
		const started = Date.now();
		await lifecycle(target.node, harness).publish();
		expect(target.leftovers(emulator)).toBeGreaterThan(0);
		if (String((fault as IDataObject).status) === '429') expect(Date.now() - started).toBeGreaterThanOrEqual(900);
	});
});

it('Prolific: a failure on the 2nd of 3 subscriptions removes the 1st and names the step', async () => {
	const target = targets[0];
	const emulator = (await target.make().start()) as ProlificEmulator;
	try {
		emulator.inject({ method: 'POST', path: target.create.path, onCall: 2, status: 400, body: { detail: 'event_type is not allowed' } });
		const error = await lifecycle(target.node, target.harness(emulator)).publish().then(() => undefined, (caught: unknown) => caught);
		expect((error as Error).message).toBe('Prolific: could not subscribe to study.status.change (HTTP 400)');
		expect(target.leftovers(emulator)).toBe(0);
		expect(emulator.callsTo('DELETE', /subscriptions\/[^/]+\/$/)).toHaveLength(1);
	} finally {
		await emulator.stop();
	}
});

afterAll(() => {
	process.stdout.write(`\nfaults: ${targets.length} providers × ${failing.length} failing faults + 2 recovered faults each, plus the 2nd-of-3 Prolific case\n`);
});
