/**
 * Setup that cannot fail silently: publishing (or listening for a test event) with a webhook URL
 * the provider cannot reach fails at once, before any call to the provider, and names n8n's
 * WEBHOOK_URL. A credential whose base URL is itself local (a test server, the emulators) may use
 * a local webhook URL, so development and every suite keep working.
 */
import { unreachableHost } from '../../nodes/shared/reachable';
import { CintEmulator } from '../../scripts/lib/emulators/cint';
import { ProlificEmulator } from '../../scripts/lib/emulators/prolific';
import { cintHarness, node as cintNode } from '../cint/setup';
import { lifecycle } from '../helpers/lifecycle';
import type { Harness } from '../helpers/n8n-context';
import { node as prolificNode, prolificHarness } from '../prolific/setup';

describe('unreachableHost', () => {
	it.each([
		['http://localhost:5678/webhook/a/webhook', 'this machine (localhost)'],
		['http://n8n.localhost/webhook', 'this machine (localhost)'],
		['http://127.0.0.1:5678/', 'this machine (loopback)'],
		['http://127.200.1.9/', 'this machine (loopback)'],
		['http://[::1]:5678/', 'this machine (loopback)'],
		['http://[::ffff:127.0.0.1]/', 'this machine (loopback)'],
		['http://0.0.0.0:5678/', 'no address ("this network")'],
		['http://10.1.2.3/', 'a private network address'],
		['http://172.20.0.5/', 'a private network address'],
		['http://192.168.1.20/', 'a private network address'],
		['http://100.64.0.1/', 'a shared (carrier-grade NAT) address'],
		['http://169.254.169.254/', 'a link-local address'],
		['http://[fe80::1]/', 'a link-local address'],
		['http://[fd12:3456::1]/', 'a private network address (unique local)'],
		['http://n8n:5678/webhook', 'a name only a local network knows (n8n)'],
		// A final dot names the same host.
		['http://localhost.:5678/', 'this machine (localhost)'],
		['http://n8n.:5678/webhook', 'a name only a local network knows (n8n)'],
		['http://127.0.0.1./', 'this machine (loopback)'],
		// Special-use names no public DNS answers.
		['http://n8n.local/', 'a name only a local network knows (n8n.local: .local is for local use)'],
		[
			'http://host.docker.internal:5678/',
			'a name only a local network knows (host.docker.internal: .internal is for local use)',
		],
		[
			'http://n8n.corp.internal./',
			'a name only a local network knows (n8n.corp.internal: .internal is for local use)',
		],
		[
			'http://n8n.home.arpa/',
			'a name only a local network knows (n8n.home.arpa: .home.arpa is for local use)',
		],
		[
			'http://box.localdomain/',
			'a name only a local network knows (box.localdomain: .localdomain is for local use)',
		],
		// IPv4 addresses inside IPv6 ones.
		['http://[::7f00:1]/', 'this machine (loopback)'],
		['http://[::127.0.0.1]/', 'this machine (loopback)'],
		['http://[::ffff:0:a00:1]/', 'a private network address'],
		['http://[::ffff:0:10.0.0.1]/', 'a private network address'],
		['http://[64:ff9b::c0a8:101]/', 'a private network address'],
		['http://[64:ff9b::192.168.1.1]/', 'a private network address'],
		['http://[64:ff9b:1::a9fe:a9fe]/', 'a link-local address'],
		['http://[::ffff:a9fe:a9fe]/', 'a link-local address'],
		['http://[0:0:0:0:0:0:0:1]/', 'this machine (loopback)'],
		['http://[fec0::1]/', 'a private network address (site-local)'],
	])('%s: %s', (url, why) => {
		expect(unreachableHost(url)).toBe(why);
	});

	it.each([
		'https://n8n.example.com/webhook/a/webhook',
		'https://203.0.113.7/',
		'https://172.32.0.1/',
		'https://[2001:db8::1]/',
		'https://api.prolific.com',
		'https://api.prolific.com./',
		'https://n8n.example.com./webhook',
		'https://localhost.example.com/',
		'https://local.example.com/',
		'https://internal.example.org/',
		'https://n8n.locals.example/',
		'https://[::ffff:203.0.113.7]/',
		'https://[64:ff9b::cb00:7107]/',
		'https://[2606:4700::6810:84e5]/',
		'https://[::8.8.8.8]/',
	])('%s may be public', (url) => {
		expect(unreachableHost(url)).toBeUndefined();
	});
});

describe.each([
	{
		provider: 'Prolific',
		node: prolificNode,
		harness: (webhookUrl: string, baseUrl?: string) => {
			const harness = prolificHarness(undefined, {}, { webhookUrl });
			if (baseUrl) harness.credentials.prolificApi.baseUrl = baseUrl;
			return harness;
		},
		emulated: async (webhookUrl: string) => {
			const emulator = await new ProlificEmulator().start();
			return { harness: prolificHarness(emulator, {}, { webhookUrl }), emulator };
		},
		publicBaseUrl: 'https://api.prolific.com',
	},
	{
		provider: 'Cint',
		node: cintNode,
		harness: (webhookUrl: string, baseUrl?: string) => {
			const harness = cintHarness(undefined, {}, { webhookUrl });
			if (baseUrl) harness.credentials.cintApi.baseUrl = baseUrl;
			return harness;
		},
		emulated: async (webhookUrl: string) => {
			const emulator = await new CintEmulator().start();
			return { harness: cintHarness(emulator, {}, { webhookUrl }), emulator };
		},
		publicBaseUrl: 'https://api.cint.com/v1',
	},
])('$provider Trigger', ({ provider, node, harness, emulated, publicBaseUrl }) => {
	const refusal = async (subject: Harness, step: 'publish' | 'checkExists') => {
		const steps = lifecycle(node, subject);
		return (await steps[step]().then(
			() => undefined,
			(caught: unknown) => caught,
		)) as (Error & { description?: string }) | undefined;
	};

	it('refuses to publish with n8n on http://localhost:5678, naming WEBHOOK_URL, and calls nothing', async () => {
		const subject = harness('http://localhost:5678/webhook/4c0e2f5a/webhook', publicBaseUrl);
		for (const step of ['publish', 'checkExists'] as const) {
			const error = await refusal(subject, step);
			expect(error?.message).toBe(
				`${provider} cannot reach this trigger's webhook URL http://localhost:5678/webhook/4c0e2f5a/webhook: its host is this machine (localhost). Set n8n's WEBHOOK_URL to its public address`,
			);
			expect(error?.description).toContain('WEBHOOK_URL');
		}
		expect(subject.requests).toEqual([]);
	});

	it('unpublishing after that refusal (n8n 1.x calls delete) calls nothing either', async () => {
		const subject = harness('http://localhost:5678/webhook/4c0e2f5a/webhook', publicBaseUrl);
		await refusal(subject, 'publish');
		await expect(lifecycle(node, subject).delete()).resolves.toBe(true);
		expect(subject.requests).toEqual([]);
	});

	it('publishes with a local webhook URL when the credential’s base URL is local too (a test server)', async () => {
		const { harness: subject, emulator } = await emulated(
			'http://127.0.0.1:5678/webhook/x/webhook',
		);
		try {
			await lifecycle(node, subject).publish();
			expect(subject.requests.length).toBeGreaterThan(0);
		} finally {
			await lifecycle(node, subject).delete();
			await emulator.stop();
		}
	});
});

it('Prolific Trigger: refuses a public http webhook URL (Prolific delivers to https only)', async () => {
	const subject = prolificHarness(
		undefined,
		{},
		{ webhookUrl: 'http://n8n.example.com/webhook/x' },
	);
	subject.credentials.prolificApi.baseUrl = 'https://api.prolific.com';
	await expect(lifecycle(prolificNode, subject).publish()).rejects.toThrow(
		"Prolific delivers only to https URLs, and this trigger's webhook URL is http://n8n.example.com/webhook/x",
	);
	expect(subject.requests).toEqual([]);
});
