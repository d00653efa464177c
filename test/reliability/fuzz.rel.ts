/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-hardcoded-secrets -- Node-side code (tests, emulators, scripts), never loaded by n8n */
/**
 * Fuzzing every trigger's webhook() with 10 000 generated deliveries per provider: valid ones,
 * ones tampered with after signing (bit flips, truncation, header games), and validly signed but
 * hostile bodies (wrong types, invalid UTF-8, duplicate keys, deep nesting, huge strings), at and
 * around the timestamp window. Signatures come from the documented schemes (scripts/lib/provider-signing), so
 * whether a delivery is validly signed is known by construction.
 *
 * Hostile classes on top: answer and change keys named like Object.prototype members, proxy
 * headers carrying the secret (Include Headers is on), exact replays of accepted deliveries, and
 * forged bodies of up to 16 MiB. Providers deliver at least once: accepted deliveries are sent
 * again as the provider's retries (signed again at another time), right after (in order) and later
 * among other deliveries (interleaved).
 *
 * Tolerant reader: every fixture is also mutated deep inside (type flips, []/{}/null swaps, dropped
 * and extra fields, unknown enum values).
 *
 * Invariants: webhook() never throws or hangs and always answers 200, 400 or 401; no item ever
 * comes from a delivery that is not validly signed; every validly signed JSON object produces
 * exactly one item with an eventId — unless it is a replay of a timestamped signature within the
 * window, a resend of an event that already ran (same provider id and bytes), or its event type was
 * changed into one the trigger does not know (answered 200 without an execution); runs = distinct
 * events, a delivery without a provider id always running; 400 only for a body that is not a JSON object; every prototype-named key arrives as
 * an own property; no item contains the secret; a forged body is refused after at most one HMAC.
 */
import crypto, { createHash } from 'crypto';
import fc from 'fast-check';
import type { ICredentialDataDecryptedObject, IDataObject, INodeType } from 'n8n-workflow';
import { deepCopy } from 'n8n-workflow';

import { fixture, pinClock } from '../helpers/fixtures';
import {
	createHarness,
	responseRecorder,
	webhookContext,
	type Harness,
} from '../helpers/n8n-context';
import { PROVIDERS } from '../../scripts/lib/providers';
import { loadNode } from '../helpers/trigger-profiles';
import { without, type JsonObject } from '../../scripts/lib/json-tree';
import { itemKey } from '../../nodes/shared/json';
import { rememberedCount } from '../../nodes/shared/replay';
import { MAX_LIST_MISFITS } from '../../nodes/shared/schema';

const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const SECRET = 'fuzz-secret-0123456789abcdef';
const NOW = 1_790_000_000;

type Headers = Record<string, string | string[]>;
type SignatureMode =
	| 'correct'
	| 'edge'
	| 'stale'
	| 'future'
	| 'wrong-secret'
	| 'missing'
	| 'duplicated'
	| 'conflicting'
	| 'empty'
	| 'long-garbage';
/** Whether a delivery is validly authenticated, known from how it was built. */
function authenticated(
	profile: Profile,
	mode: SignatureMode,
	tamperedAfterSigning: boolean,
): boolean {
	const timeless = mode === 'stale' || mode === 'future';
	if (tamperedAfterSigning && profile.covers.body) return false;
	if (timeless) return !profile.covers.time;
	if (mode === 'duplicated' || mode === 'conflicting') return Boolean(profile.covers.repeatable);
	return mode === 'correct' || mode === 'edge';
}

interface Profile {
	provider: string;
	node: INodeType;
	parameters: Record<string, unknown>;
	staticData?: IDataObject;
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	samples: string[];
	/** Headers and query that authenticate `body` at `timestamp` with `secret`, as the provider does. */
	sign(
		body: Buffer,
		timestamp: number,
		secret: string,
	): { headers: Headers; query: Record<string, string> };
	/** The header (or query parameter, prefixed "?") that carries the signature or token. */
	carrier: string;
	/** What the provider's scheme protects: the body bytes, a timestamp within the window, and
	 * whether the carrier may repeat (Refiner's token may sit in any header, once or more). */
	covers: { body: boolean; time: boolean; repeatable?: boolean };
	/** Puts answers (or changes) under the given names into a sample; reads them back from an item. */
	keyed: { put(event: JsonObject, names: string[]): void; read(item: IDataObject): unknown };
	/** The top-level field that names the event type. */
	typeField: string;
}

const PROTOTYPE_NAMES = [
	'constructor',
	'toString',
	'__proto__',
	'hasOwnProperty',
	'valueOf',
	'isPrototypeOf',
	'prototype',
	'toJSON',
];
/** The value the fuzz gives to the answer named `names[index]`, in each provider's answer shape. */
const answerText = (index: number) => `answer ${index}`;

/** One profile per provider of the registry (scripts/lib/providers/). */
const profiles: Profile[] = PROVIDERS.map((entry) => {
	const { staticData, credentials } = entry.secretAt(SECRET);
	return {
		provider: entry.provider,
		typeField: entry.typeField,
		node: loadNode(entry.nodeFile),
		parameters: entry.allEvents,
		staticData,
		credentials: credentials as Record<string, ICredentialDataDecryptedObject> | undefined,
		samples: entry.fixtures.map((name) => fixture(entry.provider, name)),
		sign: (body, timestamp, secret) => {
			const signed = entry.sign('http://127.0.0.1/webhook', body, secret, {
				eventId: 'e',
				timestamp: String(timestamp),
			});
			return {
				headers: signed.headers,
				query: Object.fromEntries(new URL(signed.url).searchParams),
			};
		},
		carrier: entry.carrier,
		covers: entry.covers,
		keyed: {
			put: (event, names) => entry.keyed.put(event, names, answerText),
			read: entry.keyed.read,
		},
	};
});

type BodyMutation =
	| { kind: 'none' }
	| { kind: 'extra-fields'; extra: Record<string, unknown> }
	| { kind: 'bitflip-after-signing'; at: number; bit: number }
	| { kind: 'truncate-after-signing'; keep: number }
	| { kind: 'wrong-type'; path: number; value: unknown }
	| { kind: 'invalid-utf8'; at: number }
	| { kind: 'duplicate-key'; value: unknown }
	| { kind: 'deep-nesting'; depth: number }
	| { kind: 'huge-string'; size: number }
	| { kind: 'random-json'; value: unknown }
	| { kind: 'prototype-keys'; names: string[] }
	| { kind: 'deep'; at: number; operation: DeepOperation };

type DeepOperation =
	| 'flip-type'
	| 'empty-array'
	| 'empty-object'
	| 'null'
	| 'drop'
	| 'extra-field'
	| 'unknown-enum';
const DEEP_OPERATIONS: DeepOperation[] = [
	'flip-type',
	'empty-array',
	'empty-object',
	'null',
	'drop',
	'extra-field',
	'unknown-enum',
];

/** Every path into a JSON value (objects and arrays), up to a depth. */
function pathsOf(
	value: unknown,
	prefix: Array<string | number> = [],
	depth = 0,
): Array<Array<string | number>> {
	if (depth > 6 || typeof value !== 'object' || value === null) return [];
	const keys = Array.isArray(value) ? value.map((_, index) => index) : Object.keys(value);
	return keys.flatMap((key) => [
		[...prefix, key],
		...pathsOf((value as Record<string, unknown>)[key], [...prefix, key], depth + 1),
	]);
}

function mutateDeep(object: JsonObject, at: number, operation: DeepOperation): void {
	const paths = pathsOf(object);
	if (!paths.length) return;
	const path = paths[at % paths.length];
	const parent = path
		.slice(0, -1)
		.reduce<Record<string, unknown>>((node, key) => node[key] as Record<string, unknown>, object);
	const key = path[path.length - 1];
	const value = parent[key];
	switch (operation) {
		case 'flip-type':
			parent[key] =
				typeof value === 'string'
					? 12345
					: typeof value === 'number'
						? String(value)
						: typeof value === 'boolean'
							? 'yes'
							: 'text';
			break;
		case 'empty-array':
			parent[key] = [];
			break;
		case 'empty-object':
			parent[key] = {};
			break;
		case 'null':
			parent[key] = null;
			break;
		case 'drop':
			if (Array.isArray(parent)) parent.splice(Number(key), 1);
			else delete parent[key];
			break;
		case 'extra-field':
			if (value && typeof value === 'object' && !Array.isArray(value))
				(value as JsonObject).x_added_later = { nested: [1, 'two'] };
			else parent[key] = { unexpected: value };
			break;
		case 'unknown-enum':
			parent[key] = typeof value === 'string' ? 'SOMETHING_NEW' : value;
			break;
	}
}

const bodyMutation: fc.Arbitrary<BodyMutation> = fc.oneof(
	{ weight: 3, arbitrary: fc.constant({ kind: 'none' } as const) },
	{
		weight: 2,
		arbitrary: fc.record({
			kind: fc.constant('extra-fields' as const),
			extra: fc.dictionary(
				fc.string({ minLength: 1, maxLength: 8 }).map((k) => `x_${k}`),
				fc.jsonValue({ maxDepth: 2 }),
				{ maxKeys: 4 },
			),
		}),
	},
	{
		weight: 2,
		arbitrary: fc.record({
			kind: fc.constant('bitflip-after-signing' as const),
			at: fc.nat(),
			bit: fc.integer({ min: 0, max: 7 }),
		}),
	},
	{
		weight: 1,
		arbitrary: fc.record({ kind: fc.constant('truncate-after-signing' as const), keep: fc.nat() }),
	},
	{
		weight: 2,
		arbitrary: fc.record({
			kind: fc.constant('wrong-type' as const),
			path: fc.nat(),
			value: fc.oneof(
				fc.jsonValue({ maxDepth: 2 }),
				fc.constant(null),
				fc.constant([]),
				fc.constant({}),
			),
		}),
	},
	{ weight: 1, arbitrary: fc.record({ kind: fc.constant('invalid-utf8' as const), at: fc.nat() }) },
	{
		weight: 1,
		arbitrary: fc.record({
			kind: fc.constant('duplicate-key' as const),
			value: fc.jsonValue({ maxDepth: 1 }),
		}),
	},
	{
		weight: 1,
		arbitrary: fc.record({
			kind: fc.constant('deep-nesting' as const),
			depth: fc.integer({ min: 100, max: 5000 }),
		}),
	},
	{
		weight: 1,
		arbitrary: fc.record({
			kind: fc.constant('huge-string' as const),
			size: fc.integer({ min: 100_000, max: 1_500_000 }),
		}),
	},
	{
		weight: 1,
		arbitrary: fc.record({
			kind: fc.constant('random-json' as const),
			value: fc.jsonValue({ maxDepth: 3 }),
		}),
	},
	{
		weight: 2,
		arbitrary: fc.record({
			kind: fc.constant('prototype-keys' as const),
			names: fc.subarray(PROTOTYPE_NAMES, { minLength: 1 }),
		}),
	},
	{
		weight: 4,
		arbitrary: fc.record({
			kind: fc.constant('deep' as const),
			at: fc.nat(),
			operation: fc.constantFrom(...DEEP_OPERATIONS),
		}),
	},
);

const signatureMode: fc.Arbitrary<SignatureMode> = fc.oneof(
	{ weight: 6, arbitrary: fc.constant('correct' as const) },
	{ weight: 2, arbitrary: fc.constant('edge' as const) },
	...(
		[
			'stale',
			'future',
			'wrong-secret',
			'missing',
			'duplicated',
			'conflicting',
			'empty',
			'long-garbage',
		] as const
	).map((mode) => ({ weight: 1, arbitrary: fc.constant(mode) })),
);

/** Applies a body mutation; `afterSigning` mutations change bytes the signature covered. */
function mutateBody(
	profile: Profile,
	sample: string,
	mutation: BodyMutation,
): { body: Buffer; afterSigning?: (signed: Buffer) => Buffer } {
	const object = JSON.parse(sample);
	switch (mutation.kind) {
		case 'prototype-keys':
			profile.keyed.put(object, mutation.names);
			return { body: Buffer.from(JSON.stringify(object)) };
		case 'deep':
			mutateDeep(object, mutation.at, mutation.operation);
			return { body: Buffer.from(JSON.stringify(object)) };
		case 'none':
			return { body: Buffer.from(sample) };
		case 'extra-fields':
			return { body: Buffer.from(JSON.stringify({ ...object, ...mutation.extra })) };
		case 'bitflip-after-signing':
			return {
				body: Buffer.from(sample),
				afterSigning: (signed) => {
					const copy = Buffer.from(signed);
					copy[mutation.at % copy.length] ^= 1 << mutation.bit;
					return copy;
				},
			};
		case 'truncate-after-signing':
			return {
				body: Buffer.from(sample),
				afterSigning: (signed) => signed.subarray(0, mutation.keep % signed.length),
			};
		case 'wrong-type': {
			const keys = Object.keys(object);
			object[keys[mutation.path % keys.length]] = mutation.value;
			return { body: Buffer.from(JSON.stringify(object)) };
		}
		case 'invalid-utf8': {
			const bytes = Buffer.from(sample);
			const at = mutation.at % bytes.length;
			return {
				body: Buffer.concat([
					bytes.subarray(0, at),
					Buffer.from([0xc3, 0x28, 0xff]),
					bytes.subarray(at),
				]),
			};
		}
		case 'duplicate-key':
			return {
				body: Buffer.from(
					sample.replace(
						/\}\s*$/,
						`, "${Object.keys(object)[0]}": ${JSON.stringify(mutation.value)}}`,
					),
				),
			};
		case 'deep-nesting':
			return {
				body: Buffer.from(
					sample.replace(
						/\}\s*$/,
						`, "nested": ${'['.repeat(mutation.depth)}${']'.repeat(mutation.depth)}}`,
					),
				),
			};
		case 'huge-string':
			return {
				body: Buffer.from(
					JSON.stringify({ ...object, [Object.keys(object)[1]]: 'x'.repeat(mutation.size) }),
				),
			};
		case 'random-json':
			return { body: Buffer.from(JSON.stringify(mutation.value) ?? 'null') };
	}
}

type ProxyLeak = 'none' | 'plain' | 'percent-encoded' | 'in-referer';
const proxyLeak: fc.Arbitrary<ProxyLeak> = fc.constantFrom(
	'none',
	'none',
	'plain',
	'percent-encoded',
	'in-referer',
);

/** Headers a reverse proxy may add that carry the secret (Poltio's ?token=, a copied header). */
function proxyHeaders(leak: ProxyLeak): Headers {
	switch (leak) {
		case 'none':
			return {};
		case 'plain':
			return {
				'x-original-uri': `/webhook/x/webhook?token=${SECRET}`,
				'x-debug': `secret=${SECRET}`,
			};
		case 'percent-encoded':
			return { 'x-forwarded-uri': `/webhook/x/webhook?token=${SECRET.replace(/-/g, '%2d')}` };
		case 'in-referer':
			return {
				referer: `https://proxy.example.test/?to=${encodeURIComponent(`https://n8n.example.test/webhook?token=${SECRET}`)}`,
			};
	}
}

function authenticate(profile: Profile, body: Buffer, mode: SignatureMode, edgeSkew: number) {
	const skew =
		mode === 'edge'
			? edgeSkew
			: mode === 'stale'
				? -301 - edgeSkew
				: mode === 'future'
					? 301 + edgeSkew
					: 0;
	const signed = profile.sign(body, NOW + skew, mode === 'wrong-secret' ? `${SECRET}x` : SECRET);
	const headers: Headers = { ...signed.headers };
	const query = { ...signed.query };
	const carried = profile.carrier.startsWith('?')
		? query[profile.carrier.slice(1)]
		: (headers[profile.carrier] as string);
	const put = (value: string | string[] | undefined) => {
		if (profile.carrier.startsWith('?')) {
			if (value === undefined) delete query[profile.carrier.slice(1)];
			else query[profile.carrier.slice(1)] = Array.isArray(value) ? value.join(',') : value;
		} else if (value === undefined) delete headers[profile.carrier];
		else headers[profile.carrier] = value;
	};
	if (mode === 'missing') put(undefined);
	if (mode === 'duplicated') put([carried, carried]);
	if (mode === 'conflicting') put([carried, `${carried}0`]);
	if (mode === 'empty') put('');
	if (mode === 'long-garbage') put('Z'.repeat(20_000));
	return { headers, query, signedTime: NOW + skew };
}

/** The body as a JSON object, or undefined when it is not one (not UTF-8, not JSON, or not an object). */
function jsonObject(rawBody: Buffer): Record<string, unknown> | undefined {
	try {
		const value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(rawBody));
		return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : undefined;
	} catch {
		return undefined;
	}
}

/** Whether text contains the secret, plain or percent-encoded in any letter case. */
const leaks = (text: string) => {
	const lower = text.toLowerCase();
	return [SECRET, encodeURIComponent(SECRET), SECRET.replace(/-/g, '%2d')].some((form) =>
		lower.includes(form.toLowerCase()),
	);
};

const outcomes: Record<string, Record<string, number>> = {};

describe.each(profiles)('fuzzing the $provider trigger', (profile) => {
	beforeAll(() => pinClock(NOW * 1000));
	afterAll(() => jest.useRealTimers());

	it(`keeps the invariants over ${RUNS} generated deliveries`, async () => {
		const counts: Record<string, number> = {};
		outcomes[profile.provider] = counts;
		const seen = new Set<string>();
		const originalTypes = new Set(
			profile.samples.map((sample) => String(JSON.parse(sample)[profile.typeField])),
		);
		const accepted: Array<{
			body: Buffer;
			headers: Headers;
			query: Record<string, string>;
			mutation: BodyMutation;
			signedTime: number;
		}> = [];
		// The retry model: an event is its bytes and the id sent beside them; true once it ran with a provider id.
		const ran = new Map<string, boolean>();
		const runs = { items: 0, resends: 0, resendsDropped: 0, withoutId: 0 };
		const eventKey = (rawBody: Buffer, headers: Headers) =>
			`${createHash('sha256').update(rawBody).digest('hex')}|${String(headers['x-event-id'] ?? '')}`;
		const dropped = { status: 'ignored', reason: 'this event was already delivered' };
		const harness: Harness = createHarness({
			nodeType: profile.provider,
			parameters: { simple: true, options: { includeHeaders: true }, ...profile.parameters },
			credentials: profile.credentials,
			staticData: profile.staticData,
		});
		await fc.assert(
			fc.asyncProperty(
				fc.nat({ max: profile.samples.length - 1 }),
				bodyMutation,
				signatureMode,
				fc.integer({ min: 0, max: 300 }),
				proxyLeak,
				fc.boolean(),
				fc.constantFrom('none', 'in order', 'interleaved'),
				async (sampleIndex, generated, mode, edge, leak, replayEarlier, resend) => {
					let mutation = generated;
					let { body, afterSigning } = mutateBody(profile, profile.samples[sampleIndex], mutation);
					let { headers, query, signedTime } = authenticate(profile, body, mode, edge);
					// Sometimes an exact copy of a delivery accepted earlier (a captured request replayed).
					if (replayEarlier && accepted.length && mode === 'correct') {
						({ body, headers, query, mutation, signedTime } = accepted[edge % accepted.length]);
						afterSigning = undefined;
					} else if (resend === 'interleaved' && accepted.length && mode === 'correct') {
						// The provider's retry of an event accepted earlier, among other deliveries: signed again now.
						({ body, mutation } = accepted[edge % accepted.length]);
						({ headers, query, signedTime } = authenticate(profile, body, 'edge', edge));
						afterSigning = undefined;
					}
					headers = { ...headers, ...proxyHeaders(leak) };
					const rawBody = afterSigning ? afterSigning(body) : body;
					// The replay model: the signed time (for schemes that sign one) and the bytes.
					const signedAt = `${profile.covers.time ? signedTime : ''}|${createHash('sha256').update(rawBody).digest('hex')}`;
					const response = responseRecorder();
					const started = Date.now();
					const result = await profile.node.webhook!.call(
						webhookContext(harness, { rawBody, headers, query }, response),
					);
					const status = result.noWebhookResponse ? response.statusCode : 200;
					const produced = Boolean(result.workflowData?.[0]?.length);
					const signedValidly = authenticated(profile, mode, Boolean(afterSigning));
					const replayed = signedValidly && profile.covers.time && seen.has(signedAt);
					const key = `${signedValidly ? 'signed' : 'unsigned'} ${replayed ? 'replay of ' : ''}${mutation.kind} → ${status}${produced ? ' + item' : ''}`;
					counts[key] = (counts[key] ?? 0) + 1;
					// Remembered before the checks, so a failing run (and fast-check's shrinking) keeps the model in step.
					if (signedValidly && status === 200) {
						seen.add(signedAt);
						if (!replayed && accepted.length < 50)
							accepted.push({ body: rawBody, headers, query, mutation, signedTime });
					}

					expect(Date.now() - started).toBeLessThan(5_000);
					expect([200, 400, 401]).toContain(status);
					if (!signedValidly) {
						expect(produced).toBe(false);
						expect(status).toBe(401);
					}
					if (replayed) expect([status, produced]).toEqual([200, false]);
					const event = eventKey(rawBody, headers);
					const answer = result.noWebhookResponse ? response.body : result.webhookResponse;
					if (signedValidly && !replayed) {
						const object = jsonObject(rawBody);
						if (!object) expect([status, produced]).toEqual([400, false]);
						else if (!produced && ran.get(event) === true) {
							// A resend of an event that already ran with its provider id.
							expect([status, answer]).toEqual([200, dropped]);
							runs.resendsDropped++;
						} else if (!produced) {
							// Only an event type changed into one the trigger does not know is left out.
							expect(status).toBe(200);
							// The answer as n8n sends it: written by the node, or returned for n8n to write.
							expect(result.noWebhookResponse ? response.body : result.webhookResponse).toEqual({
								status: 'ignored',
								reason: 'event not selected in the trigger',
							});
							// (a number there reads as its digits: numbers and numeric strings are one encoding)
							expect(['string', 'number']).toContain(typeof object[profile.typeField]);
							expect(originalTypes.has(String(object[profile.typeField]))).toBe(false);
						}
					}
					if (produced) {
						const item = result.workflowData![0][0].json;
						expect(result.workflowData![0]).toHaveLength(1);
						// Never a second run of one event; a delivery without a provider id always runs.
						expect(ran.get(event)).not.toBe(true);
						const withId = !String(item.dedupeKey).startsWith('delivery:');
						ran.set(event, withId);
						runs.items++;
						if (!withId) runs.withoutId++;
						expect(typeof item.eventId === 'string' && item.eventId.length > 0).toBe(true);
						expect(leaks(JSON.stringify(item))).toBe(false);
						// Every key survives n8n's own copy of the item (the untouched `body` aside).
						const shaped = without(item, ['body']);
						expect(deepCopy(shaped)).toEqual(shaped);
						if (mutation.kind === 'prototype-keys') {
							const keyed = profile.keyed.read(item) as Record<string, unknown>;
							expect(Object.getPrototypeOf(keyed)).toBe(Object.prototype);
							mutation.names.forEach((name, i) =>
								expect(Object.getOwnPropertyDescriptor(keyed, itemKey(name))?.value).toBe(
									answerText(i),
								),
							);
						}
						if (resend === 'in order') {
							// The provider's retry right after: signed again at another second inside the window.
							const retry = authenticate(profile, rawBody, 'edge', -1 - (edge % 100));
							const again = responseRecorder();
							const retried = await profile.node.webhook!.call(
								webhookContext(
									harness,
									{ rawBody, headers: retry.headers, query: retry.query },
									again,
								),
							);
							const ranAgain = Boolean(retried.workflowData?.[0]?.length);
							runs.resends++;
							if (withId) {
								expect([again.statusCode, again.body, ranAgain]).toEqual([200, dropped, false]);
								runs.resendsDropped++;
							} else {
								expect(ranAgain).toBe(true);
								runs.items++;
								runs.withoutId++;
							}
						}
					}
				},
			),
			{ numRuns: RUNS },
		);
		expect(harness.logs.filter((line) => line.level === 'error')).toEqual([]);
		// Runs = distinct events: one per event with a provider id, one per delivery without one.
		const distinct = [...ran.values()].filter(Boolean).length;
		expect(runs.items).toBe(distinct + runs.withoutId);
		process.stdout.write(
			`fuzz ${profile.provider}: ${runs.items} runs = ${distinct} distinct events + ${runs.withoutId} deliveries without an id; ${runs.resendsDropped} resends answered without a run (${runs.resends} sent right after)\n`,
		);
	});
});

describe.each(profiles)('forged oversized bodies to the $provider trigger', (profile) => {
	beforeAll(() => pinClock(NOW * 1000));
	afterAll(() => jest.useRealTimers());

	it('are refused with 401 after at most one HMAC over their bytes', async () => {
		const harness = createHarness({
			nodeType: profile.provider,
			parameters: { simple: true, options: {}, ...profile.parameters },
			credentials: profile.credentials,
			staticData: profile.staticData,
		});
		const realCreateHmac = crypto.createHmac;
		let hashedBytes = 0;
		const spy = jest.spyOn(crypto, 'createHmac').mockImplementation(((
			...args: Parameters<typeof crypto.createHmac>
		) => {
			const hmac = realCreateHmac(...args);
			const update = hmac.update.bind(hmac);
			hmac.update = ((data: Buffer | string) => (
				(hashedBytes += Buffer.byteLength(data)),
				update(data)
			)) as typeof hmac.update;
			return hmac;
		}) as typeof crypto.createHmac);
		try {
			await fc.assert(
				fc.asyncProperty(
					fc.integer({ min: 1, max: 16 }),
					fc.nat({ max: profile.samples.length - 1 }),
					async (mebibytes, sampleIndex) => {
						const sample = JSON.parse(profile.samples[sampleIndex]);
						const rawBody = Buffer.from(
							JSON.stringify({ ...sample, padding: 'x'.repeat(mebibytes * 1024 * 1024) }),
						);
						// Well-formed carrier values that no secret produced.
						const { headers, query } = profile.sign(rawBody, NOW, 'an-attacker-does-not-know-it');
						hashedBytes = 0;
						const response = responseRecorder();
						const result = await profile.node.webhook!.call(
							webhookContext(harness, { rawBody, headers, query }, response),
						);
						expect([result.noWebhookResponse, response.statusCode]).toEqual([true, 401]);
						expect(hashedBytes).toBeLessThanOrEqual(rawBody.length + 64);
					},
				),
				{ numRuns: 12 },
			);
		} finally {
			spy.mockRestore();
		}
	});
});

/** Counts JSON.parse calls on text of `minLength` characters or more, and the bytes fed to HMACs. */
function meterBodyWork(minLength: number) {
	const counts = { parses: 0, hashedBytes: 0 };
	const realParse = JSON.parse;
	const realCreateHmac = crypto.createHmac;
	const parseSpy = jest
		.spyOn(JSON, 'parse')
		.mockImplementation((text: string, reviver?: Parameters<typeof JSON.parse>[1]) => {
			if (text.length >= minLength) counts.parses++;
			return realParse(text, reviver);
		});
	const hmacSpy = jest.spyOn(crypto, 'createHmac').mockImplementation(((
		...args: Parameters<typeof crypto.createHmac>
	) => {
		const hmac = realCreateHmac(...args);
		const update = hmac.update.bind(hmac);
		hmac.update = ((data: Buffer | string) => (
			(counts.hashedBytes += Buffer.byteLength(data)),
			update(data)
		)) as typeof hmac.update;
		return hmac;
	}) as typeof crypto.createHmac);
	return { counts, restore: () => (parseSpy.mockRestore(), hmacSpy.mockRestore()) };
}

const harnessFor = (profile: Profile, extra: Partial<Parameters<typeof createHarness>[0]> = {}) =>
	createHarness({
		nodeType: profile.provider,
		parameters: { simple: true, options: {}, ...profile.parameters },
		credentials: profile.credentials,
		staticData: { ...profile.staticData },
		...extra,
	});

describe.each(profiles)(
	'small forged bodies (what a gzip of ~100 bytes inflates to) to the $provider trigger',
	(profile) => {
		beforeAll(() => pinClock(NOW * 1000));
		afterAll(() => jest.useRealTimers());

		it('are refused with 401 without parsing the body, after at most two HMACs over at most its bytes each', async () => {
			const harness = harnessFor(profile);
			await fc.assert(
				fc.asyncProperty(
					fc.integer({ min: 1_000, max: 64 * 1024 }),
					fc.nat({ max: profile.samples.length - 1 }),
					fc.boolean(),
					async (size, sampleIndex, spaced) => {
						const sample = JSON.parse(profile.samples[sampleIndex]);
						const text = JSON.stringify(
							{ ...sample, padding: 'a,b:'.repeat(size / 4) },
							null,
							spaced ? 1 : undefined,
						);
						const rawBody = Buffer.from(text);
						const { headers, query } = profile.sign(rawBody, NOW, 'an-attacker-does-not-know-it');
						const metered = meterBodyWork(1_000);
						try {
							const response = responseRecorder();
							const result = await profile.node.webhook!.call(
								webhookContext(harness, { rawBody, headers, query }, response),
							);
							expect([result.noWebhookResponse, response.statusCode]).toEqual([true, 401]);
							expect(metered.counts.parses).toBe(0);
							expect(metered.counts.hashedBytes).toBeLessThanOrEqual(2 * (rawBody.length + 64));
						} finally {
							metered.restore();
						}
					},
				),
				{ numRuns: 200 },
			);
		});
	},
);

describe.each(PROVIDERS.filter((entry) => entry.misfitItems))(
	'verified $provider bodies full of misfitting list items',
	(entry) => {
		const profile = profiles.find((candidate) => candidate.provider === entry.provider)!;
		beforeAll(() => pinClock(NOW * 1000));
		afterAll(() => jest.useRealTimers());

		it('each run once, each misfit named up to 100, past that the list in one warning, in time linear in the body', async () => {
			const harness = harnessFor(profile);
			let runs = 0;
			await fc.assert(
				fc.asyncProperty(fc.integer({ min: 2, max: 30_000 }), async (count) => {
					const event = JSON.parse(profile.samples[0]);
					entry.misfitItems!(event, count);
					// Each body its own event (the same count twice would be a resend, which runs once).
					entry.pad(event, `run ${++runs}`);
					const rawBody = Buffer.from(JSON.stringify(event));
					const { headers, query } = profile.sign(rawBody, NOW, SECRET);
					const response = responseRecorder();
					const started = Date.now();
					const result = await profile.node.webhook!.call(
						webhookContext(harness, { rawBody, headers, query }, response),
					);
					expect(Date.now() - started).toBeLessThan(200 + count / 5);
					expect(result.workflowData?.[0]).toHaveLength(1);
					const warnings = result.workflowData![0][0].json.warnings as string[];
					const problems = Math.floor(count / 2);
					// Up to 100 misfitting items are each left out; past that, the list as a whole (schema.ts).
					if (problems <= MAX_LIST_MISFITS) expect(warnings).toHaveLength(problems);
					else
						expect(warnings).toEqual([
							expect.stringMatching(
								new RegExp(
									`: more than ${MAX_LIST_MISFITS} of its ${count} items do not fit \\(left out\\)$`,
								),
							),
						]);
				}),
				{ numRuns: 25 },
			);
		});
	},
);

describe.each(profiles.filter((profile) => profile.covers.time))(
	'replay floods from another registration of the $provider trigger',
	(profile) => {
		beforeAll(() => pinClock(NOW * 1000));
		afterAll(() => jest.useRealTimers());

		it('never make a replay of this registration run', async () => {
			await fc.assert(
				fc.asyncProperty(
					fc.integer({ min: 10_000, max: 25_000 }),
					fc.nat({ max: profile.samples.length - 1 }),
					async (flood, sampleIndex) => {
						const victim = harnessFor(profile, {
							staticData: {
								...profile.staticData,
								webhookUrl: `http://127.0.0.1/webhook/victim-${flood}`,
							},
						});
						const flooder = harnessFor(profile, {
							staticData: {
								...profile.staticData,
								webhookUrl: `http://127.0.0.1/webhook/flooder-${flood}`,
							},
						});
						const rawBody = Buffer.from(profile.samples[sampleIndex]);
						const signed = profile.sign(rawBody, NOW, SECRET);
						const deliver = async (
							harness: Harness,
							body: Buffer,
							{ headers, query }: typeof signed,
						) => {
							const response = responseRecorder();
							const result = await profile.node.webhook!.call(
								webhookContext(harness, { rawBody: body, headers, query }, response),
							);
							return (
								Boolean(result.workflowData?.[0]?.length) &&
								!result.workflowData![0][0].json.refused
							);
						};
						expect(await deliver(victim, rawBody, signed)).toBe(true);
						for (let i = 0; i < flood; i++) {
							const body = Buffer.from(
								JSON.stringify({ ...JSON.parse(profile.samples[sampleIndex]), flood: i }),
							);
							await deliver(flooder, body, profile.sign(body, NOW - (i % 200), SECRET));
						}
						expect(rememberedCount()).toBeLessThanOrEqual(50_000);
						expect(await deliver(victim, rawBody, signed)).toBe(false);
					},
				),
				{ numRuns: 3 },
			);
		});
	},
);

describe.each(profiles)('hostile strings from verified $provider deliveries', (profile) => {
	beforeAll(() => pinClock(NOW * 1000));
	afterAll(() => jest.useRealTimers());

	it('reach logs and test items escaped and cut', async () => {
		const unprintable = {
			test: (text: string) =>
				[...text].some(
					(char) =>
						char.charCodeAt(0) < 0x20 ||
						(char >= '\u007f' && char <= '\u009f') ||
						(char >= '\u2028' && char <= '\u202e'),
				),
		};
		await fc.assert(
			fc.asyncProperty(
				fc.string({ unit: 'binary', maxLength: 300 }),
				fc.integer({ min: 0, max: 200_000 }),
				fc.constantFrom<'webhook' | 'manual'>('webhook', 'manual'),
				async (text, padding, mode) => {
					const harness = harnessFor(profile, {
						parameters: { simple: true, options: {}, ...profile.parameters, events: [] },
					});
					harness.mode = mode;
					const event = JSON.parse(profile.samples[0]);
					event[profile.typeField] = `${text}${'z'.repeat(padding)}`;
					const rawBody = Buffer.from(JSON.stringify(event));
					const { headers, query } = profile.sign(rawBody, NOW, SECRET);
					const response = responseRecorder();
					const result = await profile.node.webhook!.call(
						webhookContext(harness, { rawBody, headers, query }, response),
					);
					const texts = (result.workflowData?.[0] ?? []).flatMap((item) =>
						Object.values(item.json).filter((value): value is string => typeof value === 'string'),
					);
					for (const line of [...harness.logs.map((entry) => entry.message), ...texts]) {
						expect(unprintable.test(line)).toBe(false);
						expect(line.length).toBeLessThan(2_000);
					}
				},
			),
			{ numRuns: 300 },
		);
	});
});

afterAll(() => {
	for (const [provider, counts] of Object.entries(outcomes)) {
		const total = Object.values(counts).reduce((a, b) => a + b, 0);
		process.stdout.write(`\nfuzz ${provider}: ${total} deliveries\n`);
		for (const [key, count] of Object.entries(counts).sort())
			process.stdout.write(`  ${String(count).padStart(6)}  ${key}\n`);
	}
});
