/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- Node-side code (tests, emulators, scripts), never loaded by n8n */
/**
 * Provider faults during registration, injected by the emulators (real HTTP on 127.0.0.1): 401, 403,
 * 404, 429 with Retry-After, 500, a timeout, a malformed JSON reply, and a failure on the 2nd of 3
 * Prolific subscriptions. Each ends in a clear NodeApiError naming the provider and the step, with
 * nothing left behind at the provider; 429 and 5xx are retried a bounded number of times.
 */
import path from 'path';
import { NodeApiError } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	INodeType,
} from 'n8n-workflow';

import { apiLimits } from '../../nodes/shared/api';
import type { Emulator, Fault } from '../../scripts/lib/emulators/emulator';
import type { ProviderEntry } from '../../scripts/lib/providers';
import { PROVIDERS } from '../../scripts/lib/providers';
import { Emulators } from '../../scripts/lib/setups';
import { lifecycle } from '../helpers/lifecycle';
import { createHarness } from '../helpers/n8n-context';
import { loadNode } from '../helpers/trigger-profiles';
import { firstExport } from '../../scripts/lib/load';

const URL = 'https://n8n.example.test/webhook/faults/webhook';

/** A provider with a webhook API, from the registry (scripts/lib/providers/). */
interface Target {
	provider: string;
	displayName: string;
	node: INodeType;
	harness: (emulators: Emulators) => ReturnType<typeof createHarness>;
	/** The create call faults are injected into, and its step as named in errors. */
	create: { method: string; path: RegExp; step: string };
	leftovers: (emulators: Emulators) => number;
	/** One registration per selected event (the 2nd-of-3 case). */
	perEvent: boolean;
	/** Answers on which the trigger renews its access token and calls once more. */
	renewsTokenOn: number[];
}

/** The provider's credential type, from credentials/<CredentialType>.credentials.ts. */
function credentialType(entry: ProviderEntry): ICredentialType {
	const file = entry.credentialType.charAt(0).toUpperCase() + entry.credentialType.slice(1);
	const Credential = firstExport<new () => ICredentialType>(
		path.join(__dirname, '..', '..', 'credentials', `${file}.credentials`),
	);
	return new Credential();
}

const targets: Target[] = PROVIDERS.flatMap((entry) => {
	const { registration } = entry;
	if (!registration) return [];
	return [
		{
			provider: entry.provider,
			displayName: entry.displayName,
			node: loadNode(entry.nodeFile),
			harness: (emulators: Emulators) => {
				const setup = entry.setup(emulators.of(entry.provider));
				return createHarness({
					nodeType: entry.nodeName,
					// Every event: Prolific then subscribes three or more times (the 2nd-of-3 case below).
					parameters: { ...setup.parameters(), events: entry.allEvents.events },
					credentialTypes: [credentialType(entry)],
					credentials: {
						[entry.credentialType]: setup.credential() as ICredentialDataDecryptedObject,
					},
					webhookUrl: URL,
				});
			},
			create: registration.create,
			leftovers: (emulators: Emulators) =>
				registration.leftovers(emulators.of(entry.provider), URL),
			perEvent: Boolean(registration.perEvent),
			renewsTokenOn: registration.renewsTokenOn ?? [],
		},
	];
});

const savedLimits = { ...apiLimits };
beforeAll(() =>
	Object.assign(apiLimits, { backoffMs: 20, maxRetryAfterMs: 1_000, timeoutMs: 300 }),
);
afterAll(() => Object.assign(apiLimits, savedLimits));

interface FaultCase {
	name: string;
	fault: Partial<Fault>;
	message: (t: Target) => RegExp;
	/** Calls to the create endpoint the trigger makes before giving up. */
	attempts: number;
}

const failing: FaultCase[] = [
	{
		name: '401',
		fault: { status: 401, body: { detail: 'Invalid token.' } },
		message: (t) =>
			new RegExp(
				`^${t.displayName} rejected the credential ".+" while trying to ${t.create.step} \\(HTTP 401\\)$`,
			),
		attempts: 1,
	},
	{
		name: '403',
		fault: { status: 403, body: { detail: 'Forbidden.' } },
		message: (t) =>
			new RegExp(
				`^${t.displayName} rejected the credential ".+" while trying to ${t.create.step} \\(HTTP 403\\)$`,
			),
		attempts: 1,
	},
	{
		name: '404',
		fault: { status: 404, body: { detail: 'Not found.' } },
		message: (t) => new RegExp(`^${t.displayName}: could not ${t.create.step} \\(HTTP 404\\)$`),
		attempts: 1,
	},
	{
		name: '429 every time',
		fault: { status: 429, headers: { 'Retry-After': '0' } },
		message: (t) => new RegExp(`^${t.displayName}: could not ${t.create.step} \\(HTTP 429\\)$`),
		attempts: 3,
	},
	{
		name: '500 every time',
		fault: { status: 500 },
		message: (t) => new RegExp(`^${t.displayName}: could not ${t.create.step} \\(HTTP 500\\)$`),
		attempts: 3,
	},
	{
		name: 'a timeout',
		fault: { delayMs: 1_000, status: 504 },
		message: (t) =>
			new RegExp(
				`^${t.displayName}: could not ${t.create.step}: no answer from http://127\\.0\\.0\\.1:\\d+.* \\(timed out\\)$`,
			),
		attempts: 3,
	},
	{
		name: 'a malformed JSON reply',
		fault: { status: 201, malformed: true },
		message: (t) => new RegExp(`^${t.displayName}: could not ${t.create.step}: unexpected reply$`),
		attempts: 1,
	},
];

describe.each(targets)('$provider registration faults', (target) => {
	let emulators: Emulators;
	let emulator: Emulator;
	beforeEach(async () => {
		emulators = await new Emulators().start();
		emulator = emulators.of(target.provider)!;
	});
	afterEach(() => emulators.stop());

	it.each(failing)(
		'$name on create: clear error, bounded attempts, nothing left behind',
		async ({ fault, message, attempts }) => {
			emulator.inject({ method: target.create.method, path: target.create.path, ...fault });
			const harness = target.harness(emulators);
			const error = await lifecycle(target.node, harness)
				.publish()
				.then(
					() => undefined,
					(caught: unknown) => caught,
				);
			expect(error).toBeInstanceOf(NodeApiError);
			expect((error as Error).message).toMatch(message(target));
			const renewal = target.renewsTokenOn.includes(Number(fault.status)) ? 1 : 0;
			expect(emulator.callsTo(target.create.method, target.create.path)).toHaveLength(
				attempts + renewal,
			);
			expect(target.leftovers(emulators)).toBe(0);
			expect(harness.staticData).toEqual({});
			// No credential secret in the error, its description or anything it serialises.
			const secrets = Object.entries(Object.values(harness.credentials)[0])
				.filter(([key]) => /token|secret/i.test(key))
				.map(([, value]) => String(value));
			const shown = JSON.stringify({
				error,
				message: (error as NodeApiError).message,
				description: (error as NodeApiError).description,
			});
			expect(secrets.filter((secret) => secret && shown.includes(secret))).toEqual([]);
			const logs = JSON.stringify(harness.logs);
			expect(secrets.filter((secret) => secret && logs.includes(secret))).toEqual([]);
		},
	);

	it.each([
		['429 with Retry-After', { status: 429, headers: { 'Retry-After': '1' } }],
		['500', { status: 500 }],
	])('retries a single %s on create and succeeds', async (_name, fault) => {
		emulator.inject({
			method: target.create.method,
			path: target.create.path,
			onCall: 1,
			...fault,
		});
		const harness = target.harness(emulators);
		const started = Date.now();
		await lifecycle(target.node, harness).publish();
		expect(target.leftovers(emulators)).toBeGreaterThan(0);
		if (String((fault as IDataObject).status) === '429')
			expect(Date.now() - started).toBeGreaterThanOrEqual(900);
	});
});

describe.each(targets.filter((target) => target.perEvent))(
	'$provider: one registration per event',
	(target) => {
		it('a failure on the 2nd of 3 registrations removes the 1st and names the step', async () => {
			const emulators = await new Emulators().start();
			const emulator = emulators.of(target.provider)!;
			try {
				emulator.inject({
					method: target.create.method,
					path: target.create.path,
					onCall: 2,
					status: 400,
					body: { detail: 'event_type is not allowed' },
				});
				const error = await lifecycle(target.node, target.harness(emulators))
					.publish()
					.then(
						() => undefined,
						(caught: unknown) => caught,
					);
				expect((error as Error).message).toMatch(
					new RegExp(`^${target.displayName}: could not .+ \\(HTTP 400\\)$`),
				);
				expect(target.leftovers(emulators)).toBe(0);
				expect(emulator.callsTo('DELETE', /./)).toHaveLength(1);
			} finally {
				await emulators.stop();
			}
		});
	},
);

afterAll(() => {
	process.stdout.write(
		`\nfaults: ${targets.length} providers × ${failing.length} failing faults + 2 recovered faults each, plus the 2nd-of-3 case for one registration per event\n`,
	);
});
