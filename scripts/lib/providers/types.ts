/**
 * What the registry (index.ts) knows of one provider, for everything that exercises the triggers:
 * its node, receiver and credential, sample payloads, how the provider signs (from its
 * documentation, not from the package's verifiers), capabilities (timestamped signature, event id,
 * listed event types, secret re-reads) and how to wire it to its local emulator.
 */
import type { INodePropertyOptions } from 'n8n-workflow';

import type { WebhookReceiver } from '../../../nodes/shared/types';
import type { Emulator } from '../emulators/emulator';
import type { JsonObject } from '../json-tree';

type Json = JsonObject;

export interface SignedDelivery {
	url: string;
	body: string;
	headers: Record<string, string>;
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

/**
 * One provider. `E` is its API emulator (providers whose webhook the user pastes into a dashboard
 * have none): `setup` and `registration.leftovers` get the running one.
 */
export interface ProviderEntry<E extends Emulator | undefined = Emulator | undefined> {
	provider: string;
	/** As the editor's node panel finds it, e.g. "Prolific". */
	displayName: string;
	/** The node's type name and its file below nodes/ (without extension). */
	nodeName: string;
	nodeFile: string;
	/** The provider's action node, on the trigger's credential (nodes/<Provider>/), where it has one. */
	actionNode?: { displayName: string; nodeName: string; nodeFile: string };
	/** The provider's catch-up node (docs/catch-up.md), on the trigger's credential, where its delivery log allows one. */
	catchUpNode?: { displayName: string; nodeName: string; nodeFile: string };
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
	/** The node's Events options (from the node code) and the receiver its webhook() uses. */
	eventOptions: INodePropertyOptions[];
	receiver: WebhookReceiver<unknown>;
	/** Node parameters that select every event. */
	allEvents: Json;
	/** Where the node finds `secret`: in its static data (registered) or in its credential. */
	secretAt(secret: string): { staticData?: Json; credentials?: Record<string, Json> };
	/**
	 * Signs a delivery as the provider documents it, at `timestamp` (unix seconds, now by default);
	 * `eventId` is the id a provider sends beside the body (a random one by default, none when '').
	 */
	sign(
		url: string,
		body: string | Buffer,
		secret: string,
		options?: { eventId?: string; timestamp?: string },
	): SignedDelivery;
	/**
	 * Where a delivery carries the id of its event, which the retry memory keys on: beside the body
	 * (sign()'s `eventId`), or at these dotted paths of the body (Refiner's id is made from its subject fields).
	 */
	eventIdAt: 'beside the body' | string[];
	/** Whether the trigger's `eventId` also covers the body (Refiner, which sends no id): two bodies never share one. */
	eventIdCoversBody?: boolean;
	/** Well-formed authentication that no secret produced. */
	forge(url: string): SignedDelivery;
	/** Headers carrying a signature or token in a form the provider never sends (refused before any HMAC); none for a token scheme that accepts any form. */
	malformed?(): Record<string, string>;
	/** The header (or query parameter, prefixed "?") that carries the signature or token. */
	carrier: string;
	/**
	 * What the provider's scheme protects: the body bytes, a timestamp within the window, and
	 * whether the carrier may repeat (Refiner's token may sit in any header, once or more).
	 */
	covers: { body: boolean; time: boolean; repeatable?: boolean };
	/** Puts answers (or changes) under the given names into a sample, and reads them from an item. */
	keyed: {
		put(event: Json, names: string[], value: (index: number) => string): void;
		read(item: Json): unknown;
	};
	/** Adds filler to a free-form part of a sample until the body reaches a size. */
	pad(event: Json, filler: string): void;
	/**
	 * Puts `count` items into a list of a sample: those `misfits` picks (every second one by default)
	 * a number where the schema expects an object — the tolerant reader's worst case, and with every
	 * item picked, the most zod issues per byte — the others items that fit.
	 */
	misfitItems?(event: Json, count: number, misfits?: (index: number) => boolean): void;
	/** Bodies up to this many bytes get a second signature candidate when forged (Prolific's Python form); none when absent. */
	secondCandidateUpTo?: number;
	/**
	 * For a provider whose API lists its event types (the Events parameter loads them): a type the
	 * emulator lists beyond the package's built-in ones, a delivery of it and its item's fields.
	 */
	listedEvent?: { loadOptionsMethod: string; event: string; body: Json; item: Json };
	/** The simplified item of the first sample: `exact` fields, and `contains` fields matched in part. */
	sampleItem: { exact: Json; contains?: Json };
	/** The provider's API emulator, for a provider with a webhook API. */
	emulator?(): NonNullable<E>;
	/** Whether the trigger reads the provider's signing secret again when a delivery does not match (Prolific). */
	rereadsSecret?: boolean;
	/** The trigger wired to its running emulator (undefined for dashboard-configured providers). */
	setup(emulator: E): EmulatedSetup;
	/**
	 * For a provider with a webhook API: the call that creates a registration (faults are injected
	 * into it; `step` as errors name it), and every registration the emulator holds for a URL,
	 * confirmed or not.
	 */
	registration?: {
		create: { method: string; path: RegExp; step: string };
		leftovers(emulator: E, url: string): number;
		/** One registration per selected event (Prolific's subscriptions), rather than one carrying them all. */
		perEvent?: boolean;
		/** API answers on which the trigger fetches a new access token and calls once more (Cint's OAuth). */
		renewsTokenOn?: number[];
	};
}

export const jsonHeaders = { 'content-type': 'application/json' };
export const asText = (body: string | Buffer) =>
	typeof body === 'string' ? body : body.toString('utf8');
/** A well-formed base64 HMAC-SHA256 that no secret produced. */
export const forgedBase64 = Buffer.alloc(32, 7).toString('base64');
export const withQuery = (url: string, name: string, value: string) =>
	new RegExp(`[?&]${name}=`).test(url)
		? url
		: `${url}${url.includes('?') ? '&' : '?'}${name}=${encodeURIComponent(value)}`;

/** misfitItems' default: every second item does not fit. */
export const everySecond = (index: number): boolean => index % 2 === 1;
