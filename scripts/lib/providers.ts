/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets -- Node-side code (tests, emulators, scripts), never loaded by n8n */
/**
 * The one registry of providers for everything that exercises the triggers: unit, reliability,
 * end-to-end and editor tests, the benchmarks, `npm run dev` and `npm run send`. Each entry holds
 * what those need to know about one provider — its node and credential, sample payloads, how the
 * provider signs (from its documentation, not from the package's verifiers), and how to wire it to
 * the local emulators. Adding a provider adds one entry here.
 */
import { createHash, randomUUID } from 'crypto';

import { CINT_EVENT_TYPES, CINT_EXTRA_EVENT, type CintEmulator } from './emulators/cint';
import type { PoltioEmulator } from './emulators/poltio';
import { PROLIFIC_EXTRA_EVENT, type ProlificEmulator } from './emulators/prolific';
import { cintSignatureHeader, nowSeconds, prolificSignature, screebSignature } from './provider-signing';
import { objectAt, type JsonObject } from './json-tree';

type Json = JsonObject;

export interface SignedDelivery {
	url: string;
	body: string;
	headers: Record<string, string>;
}

/** The local provider API emulators a setup may use. */
export interface EmulatorSet {
	prolific: ProlificEmulator;
	cint: CintEmulator;
	poltio: PoltioEmulator;
}

/** A trigger wired to the emulators, as `npm run dev` and the end-to-end suite publish it. */
export interface EmulatedSetup {
	credential: () => Record<string, unknown>;
	parameters: () => Record<string, unknown>;
	/** Remote registrations for a webhook URL (undefined for dashboard-configured providers). */
	registrations?: (url: string) => number;
	/** How many registrations one published workflow has at the provider. */
	registrationsPerWorkflow?: number;
	/** Secret the provider signs with (or the token in the registered URL), once registered. */
	secret: (url: string) => string;
}

export interface ProviderEntry {
	provider: string;
	/** As the editor's node panel finds it, e.g. "Prolific". */
	displayName: string;
	/** The node's type name and its file below nodes/ (without extension). */
	nodeName: string;
	nodeFile: string;
	credentialType: string;
	/** Event name → sample fixture (test/fixtures/<provider>/<name>.json). */
	samples: Record<string, string>;
	/** The event most examples deliver (its sample is `sampleItem`), and one they leave unselected. */
	event: string;
	unselected: string;
	/** Every fixture of the provider (older payload versions too). */
	fixtures: string[];
	/** The top-level field that names the event type. */
	typeField: string;
	/** Node parameters that select every event. */
	allEvents: Json;
	/** Where the node finds `secret`: in its static data (registered) or in its credential. */
	secretAt(secret: string): { staticData?: Json; credentials?: Record<string, Json> };
	/**
	 * Signs a delivery as the provider documents it, at `timestamp` (unix seconds, now by default);
	 * `eventId` is the id a provider sends beside the body (a random one by default, none when '').
	 */
	sign(url: string, body: string | Buffer, secret: string, options?: { eventId?: string; timestamp?: string }): SignedDelivery;
	/**
	 * Where a delivery carries the id of its event, which the retry memory keys on: beside the body
	 * (sign()'s `eventId`), or at these dotted paths of the body (Refiner's id is made from its subject fields).
	 */
	eventIdAt: 'beside the body' | string[];
	/** Well-formed authentication that no secret produced. */
	forge(url: string): SignedDelivery;
	/** The header (or query parameter, prefixed "?") that carries the signature or token. */
	carrier: string;
	/**
	 * What the provider's scheme protects: the body bytes, a timestamp within the window, and
	 * whether the carrier may repeat (Refiner's token may sit in any header, once or more).
	 */
	covers: { body: boolean; time: boolean; repeatable?: boolean };
	/** Puts answers (or changes) under the given names into a sample, and reads them from an item. */
	keyed: { put(event: Json, names: string[], value: (index: number) => string): void; read(item: Json): unknown };
	/** Adds filler to a free-form part of a sample until the body reaches a size. */
	pad(event: Json, filler: string): void;
	/** Puts `count` list items into a sample, every second one of a type its schema refuses (the tolerant reader's worst case). */
	misfitItems?(event: Json, count: number): void;
	/** Bodies up to this many bytes get a second signature candidate when forged (Prolific's Python form); none when absent. */
	secondCandidateUpTo?: number;
	/**
	 * For a provider whose API lists its event types (the Events parameter loads them): a type the
	 * emulator lists beyond the package's built-in ones, a delivery of it and its item's fields.
	 */
	listedEvent?: { loadOptionsMethod: string; event: string; body: Json; item: Json };
	/** The simplified item of the first sample: `exact` fields, and `contains` fields matched in part. */
	sampleItem: { exact: Json; contains?: Json };
	/** The trigger wired to the local emulators. */
	setup(emulators: EmulatorSet): EmulatedSetup;
	/**
	 * For a provider with a webhook API: the call that creates a registration (faults are injected
	 * into it; `step` as errors name it), and every registration the emulator holds for a URL,
	 * confirmed or not.
	 */
	registration?: {
		create: { method: string; path: RegExp; step: string };
		leftovers(emulators: EmulatorSet, url: string): number;
	};
}

const json = { 'content-type': 'application/json' };
const asText = (body: string | Buffer) => (typeof body === 'string' ? body : body.toString('utf8'));
const forgedBase64 = Buffer.alloc(32, 7).toString('base64');
const withQuery = (url: string, name: string, value: string) =>
	new RegExp(`[?&]${name}=`).test(url) ? url : `${url}${url.includes('?') ? '&' : '?'}${name}=${encodeURIComponent(value)}`;

export const SCREEB_SECRET = 'scr_whsec_demo_5f1c0a9e7b3d4c2a';
export const REFINER_TOKEN = 'rf_tok_demo_8c1e5b9a2d7f4e6c0b3a';

export const PROVIDERS: ProviderEntry[] = [
	{
		provider: 'prolific',
		displayName: 'Prolific',
		nodeName: 'prolificTrigger',
		nodeFile: 'ProlificTrigger/ProlificTrigger.node',
		credentialType: 'prolificApi',
		samples: {
			'submission.status.change': 'submission.status.change',
			'study.status.change': 'study.status.change',
			'study.progress.change': 'study.progress.change',
			'study.has_high_return_rate': 'study.has_high_return_rate',
		},
		event: 'submission.status.change',
		unselected: 'study.progress.change',
		fixtures: ['submission.status.change', 'study.status.change', 'study.progress.change', 'study.has_high_return_rate'],
		typeField: 'event_type',
		allEvents: { workspaceId: 'w1', events: ['submission.status.change', 'study.status.change', 'study.progress.change', 'study.has_high_return_rate'] },
		secretAt: (secret) => ({ staticData: { secret, workspaceId: 'w1' } }),
		sign: (url, body, secret, { eventId = randomUUID(), timestamp = nowSeconds() } = {}) => ({
			url,
			body: asText(body),
			headers: {
				...json,
				'x-prolific-request-signature': prolificSignature(secret, timestamp, body),
				'x-prolific-request-timestamp': timestamp,
				...(eventId ? { 'x-event-id': eventId } : {}),
				'x-timestamp': new Date().toISOString(),
			},
		}),
		eventIdAt: 'beside the body',
		forge: (url) => ({ url, body: '', headers: { ...json, 'x-prolific-request-signature': forgedBase64, 'x-prolific-request-timestamp': nowSeconds() } }),
		carrier: 'x-prolific-request-signature',
		covers: { body: true, time: true },
		keyed: {
			put: (event, names, value) => (event.metadata = Object.fromEntries(names.map((name, i) => [name, value(i)]))),
			read: (item) => item.metadata,
		},
		pad: (event, filler) => (event.metadata = { note: filler }),
		secondCandidateUpTo: 16 * 1024,
		listedEvent: {
			loadOptionsMethod: 'listEventTypes',
			event: PROLIFIC_EXTRA_EVENT,
			body: { resource_id: '65aa0c0ffee', event_type: PROLIFIC_EXTRA_EVENT, participant_id: '5f00beef' },
			item: { eventType: PROLIFIC_EXTRA_EVENT, submissionId: '65aa0c0ffee', studyId: null, participantId: '5f00beef' },
		},
		sampleItem: {
			exact: {
				provider: 'prolific',
				eventType: 'submission.status.change',
				resourceId: '64f0c0ffee',
				studyId: null,
				submissionId: '64f0c0ffee',
				participantId: '5f00beef',
				status: 'APPROVED',
				metadata: null,
				workspaceId: '6655aa00bb11cc22dd33ee44',
			},
		},
		setup: ({ prolific }) => ({
			credential: () => ({ apiToken: prolific.token, baseUrl: prolific.url }),
			parameters: () => ({ workspaceId: prolific.workspaces[0].id, events: ['submission.status.change', 'study.status.change'], simple: true, options: {} }),
			registrations: (url) => [...prolific.subscriptions.values()].filter((s) => s.target_url === url && s.confirmed).length,
			registrationsPerWorkflow: 2,
			secret: () => prolific.secrets.get(prolific.workspaces[0].id)!.value,
		}),
		registration: {
			create: { method: 'POST', path: /^\/api\/v1\/hooks\/subscriptions\/$/, step: 'subscribe to submission.status.change' },
			leftovers: ({ prolific }, url) => [...prolific.subscriptions.values()].filter((s) => s.target_url === url).length,
		},
	},
	{
		provider: 'cint',
		displayName: 'Cint',
		nodeName: 'cintTrigger',
		nodeFile: 'CintTrigger/CintTrigger.node',
		credentialType: 'cintApi',
		samples: { 'session-updated': 'session-updated', 'target-group-updated': 'target-group-updated', 'quota-fill-registered': 'quota-fill-registered' },
		event: 'target-group-updated',
		unselected: 'quota-fill-registered',
		fixtures: ['session-updated', 'target-group-updated', 'quota-fill-registered'],
		typeField: 'type',
		allEvents: { events: ['session-updated', 'target-group-updated', 'quota-fill-registered'] },
		secretAt: (secret) => ({ staticData: { secret } }),
		sign: (url, body, secret, { timestamp = nowSeconds() } = {}) => ({ url, body: asText(body), headers: { ...json, 'cint-signature': cintSignatureHeader(secret, timestamp, body) } }),
		eventIdAt: ['id'],
		forge: (url) => ({ url, body: '', headers: { ...json, 'cint-signature': `t=${nowSeconds()},v1=${'ab'.repeat(32)}` } }),
		carrier: 'cint-signature',
		covers: { body: true, time: true },
		keyed: {
			put: (event, names, value) => {
				event.type = 'com.cint.session.updated';
				objectAt(event, 'data').changes = names.map((name, i) => ({ object: `${name}_change`, new_value: value(i) }));
			},
			read: (item) => item.changes,
		},
		pad: (event, filler) => (objectAt(event, 'data').mid = filler),
		listedEvent: {
			loadOptionsMethod: 'listEventTypes',
			event: CINT_EXTRA_EVENT,
			body: { id: 'ce-listed-1', specversion: '1.0', source: 'https://api.cint.com', type: CINT_EVENT_TYPES[CINT_EXTRA_EVENT], time: '2026-11-30T10:00:00Z', data: { account_id: 12345, project_id: '01JPROJ' } },
			item: { eventId: 'ce-listed-1', eventType: CINT_EXTRA_EVENT, occurredAt: '2026-11-30T10:00:00.000Z', data: { account_id: 12345, project_id: '01JPROJ' } },
		},
		sampleItem: {
			exact: {
				provider: 'cint',
				eventId: '5e1f9a3c-2b7d-4c8e-9f01-6a2b3c4d5e6f',
				eventType: 'target-group-updated',
				occurredAt: '2025-02-13T11:39:49.274Z',
				changelogId: 'ef4b7ed0-7408-4646-8750-cc6a33a3375a',
				accountId: 1,
				projectId: '01JH2Q9824364JXCT9R8HDKKR8',
				targetGroupId: '01BX5ZZKBKACTAV9WEVGEMMVS1',
				changedAt: '2025-02-13T11:39:49.274Z',
				user: { type: 'las_user', las_user_id: '9fdf41e9-cbcc-43da-abe4-8a5d45eafd70' },
				changes: { filling_goal: { new: 110, old: null }, live_url: { new: 'https://example.com/test1', old: null } },
			},
		},
		setup: ({ cint }) => ({
			credential: () => ({ clientId: cint.clientId, clientSecret: cint.clientSecret, accountId: cint.accountId, apiVersion: '2025-12-18', baseUrl: cint.baseUrl, authUrl: cint.authUrl }),
			parameters: () => ({ events: ['session-updated', 'target-group-updated'], simple: true, options: {} }),
			registrations: (url) => cint.webhooksFor(url).length,
			registrationsPerWorkflow: 1,
			secret: (url) => cint.webhooksFor(url)[0].secret,
		}),
		registration: {
			create: { method: 'POST', path: /\/webhooks$/, step: 'create the webhook' },
			leftovers: ({ cint }, url) => cint.webhooksFor(url).length,
		},
	},
	{
		provider: 'poltio',
		displayName: 'Poltio',
		nodeName: 'poltioTrigger',
		nodeFile: 'PoltioTrigger/PoltioTrigger.node',
		credentialType: 'poltioApi',
		samples: { 'session.completed': 'session-completed', 'session.incomplete': 'session-incomplete' },
		event: 'session.completed',
		unselected: 'session.incomplete',
		fixtures: ['session-completed', 'session-incomplete'],
		typeField: 'complete_session',
		allEvents: { events: ['session.completed', 'session.incomplete'] },
		// What the trigger keeps of its URL token: the SHA-256, never the token.
		secretAt: (secret) => ({ staticData: { token: `sha256:${createHash('sha256').update(secret).digest('hex')}` } }),
		// Poltio signs nothing: the token the trigger registered travels in the URL.
		sign: (url, body, secret) => ({ url: withQuery(url, 'token', secret), body: asText(body), headers: { ...json } }),
		eventIdAt: ['session_id'],
		forge: (url) => ({ url: withQuery(url, 'token', 'guessed-token-0123456789'), body: '', headers: { ...json } }),
		carrier: '?token',
		covers: { body: false, time: false },
		keyed: {
			put: (event, names, value) => (event.answers = names.map((question, i) => ({ question_id: i, question, answers: [{ answer_id: i, answer: value(i), parent: null }] }))),
			read: (item) => Object.fromEntries(Object.entries(item.answers as Record<string, string[]>).map(([key, answers]) => [key, answers[0]])),
		},
		pad: (event, filler) => (event.custom_id = filler),
		sampleItem: {
			exact: {
				provider: 'poltio',
				eventId: '22ffdf18-1035-4e56-baa2-8327e3af5242:complete',
				eventType: 'session.completed',
				occurredAt: '2019-09-16T09:07:55.000Z',
				content: { type: 'content', id: '6caaa000-2bd8-4b28-8b9b-bfe1fca94f39' },
				answers: { 'Example Question Title': ['Example Answer Title'] },
			},
			contains: { result: { title: 'Result Title' } },
		},
		setup: ({ poltio }) => ({
			credential: () => ({ apiToken: poltio.token, organizationId: poltio.organizationId, baseUrl: poltio.url }),
			parameters: () => ({ scope: 'content', contentId: 'q1b2c3d4', events: ['session.completed'], deliverySettings: { delay: 10 }, simple: true, options: {} }),
			registrations: (url) => poltio.hooksFor(url).length,
			registrationsPerWorkflow: 1,
			secret: (url) => new URL(poltio.hooksFor(url)[0].url).searchParams.get('token')!,
		}),
		registration: {
			create: { method: 'POST', path: /^\/platform\/hooks\/web$/, step: 'create the webhook' },
			leftovers: ({ poltio }, url) => poltio.hooksFor(url).length,
		},
	},
	{
		provider: 'screeb',
		displayName: 'Screeb',
		nodeName: 'screebTrigger',
		nodeFile: 'ScreebTrigger/ScreebTrigger.node',
		credentialType: 'screebWebhookApi',
		samples: { 'response.displayed': 'response.displayed', 'response.answered': 'response.answered-2.0.0', 'response.ended': 'response.ended' },
		event: 'response.ended',
		unselected: 'response.displayed',
		fixtures: ['response.displayed', 'response.answered-2.0.0', 'response.answered-2.1.0', 'response.answered-1.3.0', 'response.ended'],
		typeField: 'event_type',
		allEvents: { events: ['response.displayed', 'response.answered', 'response.ended'] },
		secretAt: (secret) => ({ credentials: { screebWebhookApi: { secret } } }),
		sign: (url, body, secret) => ({
			url,
			body: asText(body),
			headers: { ...json, 'x-screeb-hmac-digest': 'HMAC-SHA256-BASE64', 'x-screeb-hmac-signature-body': screebSignature(secret, body) },
		}),
		eventIdAt: ['event_id'],
		forge: (url) => ({ url, body: '', headers: { ...json, 'x-screeb-hmac-signature-body': forgedBase64 } }),
		carrier: 'x-screeb-hmac-signature-body',
		covers: { body: true, time: false },
		keyed: {
			put: (event, names, value) => {
				objectAt(event, 'payload', 'response').items = names.map((title, i) => ({
					question: { id: `q${i}`, type: 'text', title },
					answer: { fields: [{ id: `f${i}`, type: 'text', value: value(i), text: value(i) }] },
				}));
			},
			read: (item) => item.answers,
		},
		pad: (event, filler) => (objectAt(event, 'payload', 'response', 'hidden_fields').note = filler),
		sampleItem: {
			exact: {
				provider: 'screeb',
				eventId: '64c7ea3b-827b-4679-b25d-7fd61f6c3d33',
				eventType: 'response.ended',
				survey: { id: '9b913c69-3daf-4a6e-a26d-042004fc7881', name: 'Measure NPS', scenarioId: 'cc4a3710-e8ee-4672-a35c-5c17485ec441', scenarioVersion: 9 },
			},
			contains: { answers: { 'How likely are you to recommend us?': 9, 'Which features do you use?': ['Dashboards', 'Exports'] } },
		},
		setup: () => ({
			credential: () => ({ secret: SCREEB_SECRET }),
			parameters: () => ({ events: ['response.ended', 'response.answered'], simple: true, options: {} }),
			secret: () => SCREEB_SECRET,
		}),
	},
	{
		provider: 'refiner',
		displayName: 'Refiner',
		nodeName: 'refinerTrigger',
		nodeFile: 'RefinerTrigger/RefinerTrigger.node',
		credentialType: 'refinerWebhookApi',
		samples: { 'Completed Survey': 'completed-survey', 'Saw Survey': 'saw-survey', 'Dismissed Survey': 'dismissed-survey' },
		event: 'Completed Survey',
		unselected: 'Saw Survey',
		fixtures: ['completed-survey', 'saw-survey', 'dismissed-survey', 'contact-only'],
		typeField: 'triggered_event',
		allEvents: { verification: 'token', events: ['*'] },
		secretAt: (secretToken) => ({ credentials: { refinerWebhookApi: { secretToken } } }),
		// Refiner documents a secret token but not how it travels; the trigger accepts every plausible form.
		sign: (url, body, secret) => ({ url, body: asText(body), headers: { ...json, 'x-refiner-token': secret } }),
		eventIdAt: ['uuid', 'response.uuid'],
		forge: (url) => ({ url, body: '', headers: { ...json, 'x-refiner-token': 'guessed-token-0123456789' } }),
		carrier: 'x-refiner-token',
		covers: { body: false, time: false, repeatable: true },
		keyed: {
			put: (event, names, value) => {
				event.response ??= { uuid: 'r-fuzz' };
				objectAt(event, 'response').data = Object.fromEntries(names.map((name, i) => [name, value(i)]));
			},
			read: (item) => item.answers,
		},
		pad: (event, filler) => (objectAt(event, 'attributes').note = filler),
		misfitItems: (event, count) => {
			event.segments = Array.from({ length: count }, (_, index) => (index % 2 ? `segment ${index}` : { uuid: `s${index}`, name: `Segment ${index}` }));
		},
		sampleItem: {
			exact: {
				provider: 'refiner',
				eventId: '18de5430-c64c-11ec-aa71-e1784a46b058:Completed Survey:f7d933ff1344f422',
				eventType: 'Completed Survey',
				answers: { nps: '9', what_could_we_improve: 'Faster exports', role: 'Product Manager' },
				verification: { method: 'header token', header: 'x-refiner-token' },
			},
		},
		setup: () => ({
			credential: () => ({ secretToken: REFINER_TOKEN }),
			parameters: () => ({ verification: 'token', events: ['Completed Survey'], simple: true, options: {} }),
			secret: () => REFINER_TOKEN,
		}),
	},
];

export function providerEntry(provider: string): ProviderEntry {
	const entry = PROVIDERS.find((candidate) => candidate.provider === provider);
	if (!entry) throw new Error(`unknown provider ${provider}; known: ${PROVIDERS.map((known) => known.provider).join(', ')}`);
	return entry;
}
