import type { ResponseColumns } from './columns';
import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';
import type { ZodType, ZodTypeDef } from 'zod';

import type { SecretSource } from './secret';

export type HeaderMap = Record<string, string | string[] | undefined>;

/** One webhook request as it reached the trigger. Header names are lower-case. */
export interface Delivery {
	rawBody: Buffer;
	headers: HeaderMap;
	query: IDataObject;
	/** Path parameters of a dynamic webhook (Poltio's token as a path segment). */
	params: IDataObject;
	receivedAt: Date;
	/** The node's Options collection, read once per delivery. */
	options: DeliveryOptions;
}

export interface DeliveryOptions {
	includeHeaders?: boolean;
	timestampTolerance?: number;
	/** Turns the retry memory off: every delivery of a selected event runs (retries.ts). */
	runEveryRetry?: boolean;
	/** Problem reports on the Problems output (problems.ts); on unless switched off. */
	reportProblems?: boolean;
	problemWindow?: number;
	reportUnselected?: boolean;
	/** A provider's own options (read by its receiver, e.g. `enrich`). */
	[option: string]: unknown;
}

/**
 * How a provider resends an event, for the retry memory (retries.ts): how long it keeps trying,
 * and which top-level body fields a resend changes (left out of the payload digest; by default the
 * raw body is digested as received).
 */
export interface RetryPolicy {
	horizonSeconds: number;
	changesOnResend?: readonly string[];
	/**
	 * The event id travels outside what the signature covers (Prolific's X-Event-ID header): a
	 * captured delivery replayed with another id is a new event to the retry memory, so items also
	 * carry `replayKey` (replay.ts), the same for every copy of one signed delivery.
	 */
	idOutsideSignature?: boolean;
}

/**
 * Outcome of authenticating a delivery. `details` (never a secret) is copied into the item;
 * `secretHeaders` names request headers that carried the secret, and `secrets` are the values
 * (token, signing secret) that no header shown in an item may contain, in any encoding.
 * `replay` identifies a timestamped signature, so the same one is accepted only once.
 */
export type Verification =
	| {
			ok: true;
			details?: IDataObject;
			secretHeaders?: string[];
			secrets?: string[];
			replay?: SignedAt;
			/**
			 * The bytes the signature covers, where they are not the raw body (Prolific's Python form):
			 * every spelling of one signed body then shares its event's dedupeKey.
			 */
			signedBody?: Buffer;
	  }
	| Refusal;

/**
 * Which check refused a delivery. It selects the plain-words explanation (refusal.ts) and is the
 * unit of rate-limited log lines.
 * - `setup`: the trigger or its credential has no usable secret yet, whatever the request holds;
 * - `missing` / `malformed`: the signature or token is absent, or in a form the provider never sends;
 * - `mismatch`: it does not match the secret or token;
 * - `stale` / `future`: the signed timestamp is outside Timestamp Tolerance.
 */
export type RefusalCheck = 'setup' | 'missing' | 'malformed' | 'mismatch' | 'stale' | 'future';

/**
 * A refused verification. `reason` is the short text of the 401 answer (never a secret);
 * `help` adds what to do where the check alone does not say; `skewSeconds` is how far a refused
 * timestamp is from the receive time.
 */
export interface Refusal {
	ok: false;
	check: RefusalCheck;
	reason: string;
	help?: string;
	skewSeconds?: number;
}

/** The digest that matched (its bytes as a latin1 string; it covers the timestamp) and the signed timestamp (unix seconds). */
export interface SignedAt {
	digest: string;
	timestamp: number;
}

/** The event fields of a simplified item; `provider`, `eventId`, `dedupeKey` and `receivedAt` are added by the pipeline. */
export interface ShapedEvent extends IDataObject {
	eventType: string;
}

/**
 * The receiver contract: everything the shared receive pipeline (pipeline.ts) needs to know about
 * one provider, in one object. The pipeline reads the secret (`secret`, see secret.ts), calls
 * `verify` — a pure function that answers with `accept(…)`, `acceptSigned(…)` for a timestamped
 * signature, or `refuse(check, reason)` (verify.ts) — then parses and validates the body with
 * `schema`, filters on `eventName`, drops a resend of `eventId` within `retries.horizonSeconds`
 * (retries.ts), and builds the item from `shape`. Refusals are explained from `check` and
 * `mismatchHelp` (refusal.ts). A provider folder exports one receiver; its node's webhook() is
 * `receiveDelivery(this, receiver)`.
 *
 * @example A provider that signs the raw body with HMAC-SHA256 (hex) in `x-example-signature`,
 * with the secret pasted into a credential and the event id in the body:
 * ```ts
 * export const exampleReceiver: WebhookReceiver<ExampleEvent> = {
 * 	provider: 'example',
 * 	displayName: 'Example',
 * 	secretHeaders: ['x-example-signature'],
 * 	mismatchHelp: "The signature does not match the secret in credential '{credential}'. Copy it again from Example › Webhooks.",
 * 	secret: { credential: 'exampleWebhookApi', field: 'secret', missing: refuse('setup', 'the Example credential has no secret') },
 * 	verify: (delivery, secret) => {
 * 		const signature = singleHeader(delivery, 'x-example-signature');
 * 		if (isRefusal(signature)) return signature;
 * 		// The form first: a malformed signature is refused before any HMAC over the body.
 * 		if (!isDigestText(signature, 'hex')) return refuse('malformed', 'malformed x-example-signature header');
 * 		return digestMatches(hmacSha256(secret, delivery.rawBody), signature, 'hex')
 * 			? accept({ secrets: [secret] })
 * 			: refuse('mismatch', 'signature does not match');
 * 	},
 * 	schema: exampleEventSchema, // zod, open to unknown fields and values (schema.ts)
 * 	events: EXAMPLE_EVENTS, // the node's Events options
 * 	eventName: (event) => event.type ?? undefined,
 * 	eventId: (event) => event.id ?? undefined, // kept on the provider's resends
 * 	retries: { horizonSeconds: 24 * 3600 }, // how long the provider resends
 * 	shape: (event) => ({ eventType: event.type ?? 'unknown', answers: event.answers ?? {} }),
 * };
 * ```
 */
export interface WebhookReceiver<Event> {
	/** Stable lower-case id, e.g. "prolific"; becomes the item's `provider` field. */
	provider: string;
	/** Human name used in messages, e.g. "Prolific". */
	displayName: string;
	/** Request headers that carry signatures or secrets; never copied into items. */
	secretHeaders: readonly string[];
	/**
	 * Plain words for a signature or token that does not match: which secret it was checked
	 * against and what to do. `{credential}` stands for the name of the node's credential.
	 */
	mismatchHelp: string;
	/** Where the secret comes from; the pipeline reads it once per delivery (secret.ts). */
	secret: SecretSource;
	/**
	 * The signature scheme: a pure function of the delivery (raw body, headers, query, receive time,
	 * tolerance) and the secret, as Stripe's constructEvent. Must not throw for bad input.
	 */
	verify(delivery: Delivery, secret: string): Verification;
	/**
	 * A second look at a well-formed delivery whose signature did not match, where the provider may
	 * have replaced the secret (Prolific). Bounded by the receiver, never once per request.
	 */
	reverify?(
		ctx: IWebhookFunctions,
		delivery: Delivery,
		secret: string,
	): Verification | Promise<Verification>;
	/**
	 * Payload schema; unknown fields and unknown enum values must pass, and so must a missing field
	 * the shaping can do without (a verified delivery that does not fit is delivered with warnings).
	 */
	schema: ZodType<Event, ZodTypeDef, unknown>;
	/** Runs on the parsed body before validation (Screeb upgrades older payload versions). */
	prepare?: (body: unknown) => unknown;
	/**
	 * The node's built-in Events options: their values are the event names (an unreadable type runs
	 * when all are selected), their names what messages call them ("Survey Displayed").
	 */
	events: ReadonlyArray<{ name: string; value: unknown }>;
	/** The event name the user selects in the node's Events parameter; undefined when unreadable. */
	eventName(event: Event): string | undefined;
	/**
	 * The provider's id of the event, the same on every resend of it; undefined when the delivery
	 * carries none (the item's `eventId` is then the body's hash, and no delivery is dropped as a
	 * resend). Two different events must never share one unless their payloads differ.
	 */
	eventId(event: Event, delivery: Delivery): string | undefined;
	/** How the provider resends an event (the retry memory's horizon and payload digest). */
	retries: RetryPolicy;
	/** Friendly output for Simplify = on. */
	shape(event: Event, delivery: Delivery, ctx: IWebhookFunctions): ShapedEvent;
	/**
	 * For survey triggers with an "Answers as Columns" parameter: a shaped event laid out as a
	 * spreadsheet row (columns.ts).
	 */
	columns?(shaped: ShapedEvent, typeVersion: number): ResponseColumns;
	/**
	 * Adds to a Simplified item what the provider's API says about the event, where the node's
	 * options ask for it: undefined (synchronously) when nothing is to be added, so the hot path
	 * never waits otherwise. It never throws: a failed read leaves the item as it is, with a warning.
	 */
	enrich?(ctx: IWebhookFunctions, item: IDataObject, delivery: Delivery): Promise<void> | undefined;
}
