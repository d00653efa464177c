/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets -- Node-side code (tests, emulators, scripts), never loaded by n8n */
/**
 * Nothing in a workflow lets anyone forge a delivery: n8n hands a workflow's static data to whoever
 * may read the workflow (its public API, exports), so what the triggers keep there — Cint's and
 * Prolific's signing secrets sealed with a secret field of the credential, Poltio's URL token only
 * as a hash — must be useless for signing. Every string in it is tried as the secret or token, over
 * real HTTP, and refused; genuine deliveries from the provider emulators run. A registration stored
 * in the clear by an older version keeps working and is sealed on its next publish; a credential
 * whose secret field changed gets a refusal that says "publish again", and publishing heals it.
 */
import { createHash } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

import { CINT_SEAL } from '../../nodes/Cint/registration';
import { forgetOpened, RECHECK_MS } from '../../nodes/shared/sealed';
import { PROLIFIC_SEAL } from '../../nodes/Prolific/registration';
import { stringsIn } from '../../scripts/lib/json-tree';
import { CintEmulator } from '../../scripts/lib/emulators/cint';
import { PoltioEmulator } from '../../scripts/lib/emulators/poltio';
import { ProlificEmulator } from '../../scripts/lib/emulators/prolific';
import {
	cintSignatureHeader,
	nowSeconds,
	prolificSignature,
} from '../../scripts/lib/provider-signing';
import { cintHarness, node as cintNode } from '../cint/setup';
import { fixture, pinClock } from '../helpers/fixtures';
import { lifecycle } from '../helpers/lifecycle';
import { createHarness, type Harness } from '../helpers/n8n-context';
import { storedSecret } from '../helpers/sealed';
import { post, startWebhookServer, type WebhookServer } from '../helpers/webhook-server';
import { PoltioTrigger } from '../../nodes/Poltio/PoltioTrigger.node';
import { PoltioApi } from '../../credentials/PoltioApi.credentials';
import { node as prolificNode, prolificHarness, WORKSPACE } from '../prolific/setup';

const servers: WebhookServer[] = [];
const unpublish: Array<() => Promise<unknown>> = [];
afterEach(async () => {
	// Unpublished, so that the emulators deliver the next test's events to the next test's server only.
	for (const remove of unpublish.splice(0)) await remove();
	await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(node: Parameters<typeof startWebhookServer>[0], harness: Harness) {
	const server = await startWebhookServer(node, harness);
	servers.push(server);
	harness.webhookUrl = server.url;
	unpublish.push(() => lifecycle(node, harness).delete());
	return server;
}

describe('Cint', () => {
	const emulator = new CintEmulator();
	beforeAll(() => emulator.start());
	afterAll(() => emulator.stop());
	afterEach(() => jest.useRealTimers());

	const body = fixture('cint', 'session-updated');
	const signedWith = (secret: string) => ({
		'content-type': 'application/json',
		'cint-signature': cintSignatureHeader(secret, nowSeconds(), body),
	});

	it('keeps the signing secret sealed: no string of the static data signs a delivery, the real secret does', async () => {
		const harness = cintHarness(emulator, { events: ['session-updated'] });
		const server = await serve(cintNode, harness);
		await lifecycle(cintNode, harness).publish();
		const [webhook] = emulator.webhooksFor(server.url);
		const strings = stringsIn(harness.staticData);
		expect(strings).not.toContain(webhook.secret);
		for (const candidate of strings)
			expect((await post(server.url, body, signedWith(candidate))).status).toBe(401);
		expect(
			(await emulator.deliver('session-updated', JSON.parse(body).data)).map(
				(result) => result.status,
			),
		).toEqual([200]);
		expect(server.executions).toHaveLength(1);
	});

	it('reads a secret an older version stored in the clear, and seals it on the next publish', async () => {
		const harness = cintHarness(emulator, { events: ['session-updated'] });
		const server = await serve(cintNode, harness);
		await lifecycle(cintNode, harness).publish();
		const secret = storedSecret(harness, CINT_SEAL)!;
		harness.staticData.secret = secret; // as 0.1.0 stored it
		expect((await post(server.url, body, signedWith(secret))).status).toBe(200);
		expect(await lifecycle(cintNode, harness).checkExists()).toBe(true);
		expect(harness.staticData.secret).not.toBe(secret);
		expect(storedSecret(harness, CINT_SEAL)).toBe(secret);
		expect((await post(server.url, body, signedWith(secret))).status).toBe(200);
	});

	it('refuses with "publish again" after the credential’s client secret changed, and a publish heals it', async () => {
		const harness = cintHarness(emulator, { events: ['session-updated'] });
		const server = await serve(cintNode, harness);
		await lifecycle(cintNode, harness).publish();
		const rotated = 'cint-client-secret-rotated-77';
		emulator.clientSecret = rotated; // the new client secret, for the API and the credential alike
		(harness.credentials.cintApi as IDataObject).clientSecret = rotated;
		forgetOpened(); // a process that opened the secret before keeps it until it restarts
		const refused = await post(
			server.url,
			body,
			signedWith(emulator.webhooksFor(server.url)[0].secret),
		);
		expect(refused).toEqual({
			status: 401,
			body: {
				error:
					"the stored signing secret cannot be read with the node's credential: publish the workflow again (activate it on n8n 1.x)",
			},
		});
		expect(await lifecycle(cintNode, harness).checkExists()).toBe(true); // a new secret, regenerated in place
		expect(storedSecret(harness, CINT_SEAL)).toBe(emulator.webhooksFor(server.url)[0].secret);
		expect(
			(await emulator.deliver('session-updated', JSON.parse(body).data)).map(
				(result) => result.status,
			),
		).toEqual([200]);
	});

	it('a changed client secret means the same with or without a restart: deliveries verify for at most 5 minutes, then are refused as after a restart', async () => {
		const harness = cintHarness(emulator, { events: ['session-updated'] });
		const server = await serve(cintNode, harness);
		await lifecycle(cintNode, harness).publish();
		const secret = emulator.webhooksFor(server.url)[0].secret;
		pinClock(Date.now());
		expect((await post(server.url, body, signedWith(secret))).status).toBe(200);
		(harness.credentials.cintApi as IDataObject).clientSecret = 'cint-client-secret-rotated-88';
		const credentialReads = () => harness.credentialReads;
		const readsBefore = credentialReads();
		jest.setSystemTime(Date.now() + RECHECK_MS - 1000);
		for (let i = 0; i < 20; i++)
			expect((await post(server.url, body, signedWith(secret))).status).toBe(200);
		expect(credentialReads()).toBe(readsBefore); // no credential read per delivery
		jest.setSystemTime(Date.now() + 1000);
		const refused = await post(server.url, body, signedWith(secret));
		expect(refused.status).toBe(401);
		expect(refused.body).toEqual({
			error:
				"the stored signing secret cannot be read with the node's credential: publish the workflow again (activate it on n8n 1.x)",
		});
		forgetOpened(); // a restart
		expect((await post(server.url, body, signedWith(secret))).body).toEqual(refused.body);
	});
});

describe('Prolific', () => {
	const emulator = new ProlificEmulator();
	beforeAll(() => emulator.start());
	afterAll(() => emulator.stop());

	it('keeps the workspace secret sealed: no string of the static data signs a delivery, the real secret does', async () => {
		const harness = prolificHarness(emulator, { events: ['submission.status.change'] });
		const server = await serve(prolificNode, harness);
		await lifecycle(prolificNode, harness).publish();
		const secret = emulator.secrets.get(WORKSPACE)!.value;
		const strings = stringsIn(harness.staticData);
		expect(strings).not.toContain(secret);
		const body = fixture('prolific', 'submission.status.change');
		for (const candidate of strings) {
			const timestamp = nowSeconds();
			const headers = {
				'content-type': 'application/json',
				'x-prolific-request-timestamp': timestamp,
				'x-prolific-request-signature': prolificSignature(candidate, timestamp, body),
			};
			expect((await post(server.url, body, headers)).status).toBe(401);
		}
		expect(
			(await emulator.deliver(WORKSPACE, JSON.parse(body))).map((result) => result.status),
		).toEqual([200]);
		expect(storedSecret(harness, PROLIFIC_SEAL)).toBe(secret);
	});
});

describe('Poltio', () => {
	const emulator = new PoltioEmulator();
	beforeAll(() => emulator.start());
	afterAll(() => emulator.stop());
	const node = new PoltioTrigger();
	const harnessFor = (stripQueryStrings: boolean) => {
		emulator.stripQueryStrings = stripQueryStrings;
		return createHarness({
			nodeType: 'n8n-nodes-survey-triggers.poltioTrigger',
			parameters: {
				scope: 'content',
				contentId: 'q1b2c3d4',
				events: ['session.completed'],
				deliverySettings: {},
				simple: true,
				options: {},
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
	};

	it.each([false, true])(
		'keeps only a hash of the URL token (token in the path: %s): no string of the static data passes',
		async (inPath) => {
			const harness = harnessFor(inPath);
			const server = await serve(node, harness);
			await lifecycle(node, harness).publish();
			const body = fixture('poltio', 'session-completed');
			for (const candidate of stringsIn(harness.staticData)) {
				for (const url of [
					`${server.url}?token=${encodeURIComponent(candidate)}`,
					`${server.url.replace(/\/webhook$/, '')}/setup/${encodeURIComponent(candidate)}`,
				]) {
					expect((await post(url, body, { 'content-type': 'application/json' })).status).toBe(401);
				}
			}
			expect(
				(await emulator.deliver('q1b2c3d4', JSON.parse(body))).map((result) => result.status),
			).toEqual([200]);
			expect(server.executions).toHaveLength(1);
			emulator.stripQueryStrings = false;
		},
	);

	it('reads a token an older version stored in the clear, and keeps only its hash from the next publish on', async () => {
		const harness = harnessFor(false);
		const server = await serve(node, harness);
		await lifecycle(node, harness).publish();
		const [hook] = [...emulator.hooks.values()];
		const token = new URL(hook.url).searchParams.get('token')!;
		harness.staticData.token = token; // as 0.1.0 stored it
		expect(
			(await emulator.deliver('q1b2c3d4', JSON.parse(fixture('poltio', 'session-completed')))).map(
				(result) => result.status,
			),
		).toEqual([200]);
		expect(await lifecycle(node, harness).checkExists()).toBe(true);
		expect(harness.staticData.token).toBe(
			`sha256:${createHash('sha256').update(token).digest('hex')}`,
		);
		expect(
			(
				await post(`${server.url}?token=${token}`, fixture('poltio', 'session-completed'), {
					'content-type': 'application/json',
				})
			).status,
		).toBe(200);
	});
});
