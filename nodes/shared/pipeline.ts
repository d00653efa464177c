import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { answersAsColumns, type ResponseColumns } from './columns';
import { hasOwn, isObject, keepReservedKeys, setOwn } from './json';
import { logRateLimited, printable, warnRateLimited } from './log';
import { accept, acceptedUntilMs, timestampTolerance } from './verify';
import {
	bodyMessage,
	declineDelivery,
	notSelectedMessage,
	refusalMessage,
	REPLAY_MESSAGE,
	retryMessage,
	type Declined,
} from './refusal';
import { firstSighting, forgetSighting, replayKeyOf } from './replay';
import { firstDelivery, forgetDelivery, identify, type EventIdentity } from './retries';
import { readSecret, UNVERIFIED, type SecretLookup } from './secret';
import { registrationScope } from './state';
import { tolerate } from './tolerate';
import type {
	Delivery,
	DeliveryOptions,
	HeaderMap,
	ShapedEvent,
	Verification,
	WebhookReceiver,
} from './types';
import { validatorOf, type Validator } from './validate';

/** Selecting this value in a node's Events parameter accepts every event, known or not. */
export const ALL_EVENTS = '*';

/** The event names of a node's Events options (a receiver's `events`), without "all events". */
export const eventNamesOf = (options: ReadonlyArray<{ value: unknown }>): string[] =>
	options.map((option) => String(option.value)).filter((name) => name !== ALL_EVENTS);

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** One validator per receiver, built on first use. */
const validators = new WeakMap<object, Validator<unknown>>();
function validatorFor<Event>(receiver: WebhookReceiver<Event>): Validator<Event> {
	let validator = validators.get(receiver);
	if (!validator) {
		validator = validatorOf(receiver.schema, receiver.prepare);
		validators.set(receiver, validator);
	}
	return validator as Validator<Event>;
}

/** Headers that carry credentials for any provider or proxy; never copied into items. */
const ALWAYS_HIDDEN_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];

/**
 * The receive pipeline shared by every trigger, as the steps below:
 * raw body → verify → replay memory → parse → validate (or tolerate) → event filter → retry
 * memory → shape → one item.
 *
 * Responses: 401 for a failed verification, 400 for a body that is not a JSON object, 200 without
 * an execution for events the user did not select, for a timestamped signature already accepted
 * (a replay) and for a resend of an event that already ran (retries.ts), otherwise an execution.
 * A verified object that does not fit the schema is delivered anyway (tolerate.ts): what could be
 * shaped, the untouched `body`, and `warnings`. It never throws: an unexpected fault answers 500
 * (and what the memories recorded for the delivery is forgotten) so the provider delivers again.
 * Why a delivery started no run is logged in production and shown as an item while testing
 * (refusal.ts).
 */
export async function receiveDelivery<Event>(
	ctx: IWebhookFunctions,
	receiver: WebhookReceiver<Event>,
): Promise<IWebhookResponseData> {
	// Only verification may wait (a credential, a secret read again), and a receiver's `enrich`
	// when the node asks for it: every other step is synchronous, since each await on this hot
	// path costs more than most steps.
	const recorded: Recorded = {};
	let delivery: Delivery | undefined;
	try {
		const reading = readDelivery(ctx);
		delivery = reading instanceof Promise ? await reading : reading;
		const pending = verifyDelivery(ctx, receiver, delivery);
		const verification = pending instanceof Promise ? await pending : pending;
		const pendingOutcome = afterVerification(ctx, receiver, delivery, verification, recorded);
		const outcome = pendingOutcome instanceof Promise ? await pendingOutcome : pendingOutcome;
		return 'declined' in outcome
			? decline(ctx, receiver, outcome.declined, delivery, recorded)
			: outcome;
	} catch (error) {
		logFault(ctx, receiver, 'process', error);
		const internal: Declined = {
			status: 500,
			check: 'internal',
			reason: 'internal error while processing the delivery',
			message: `The delivery could not be processed (n8n's log has the error); it was answered 500 so that ${receiver.displayName} delivers it again.`,
		};
		return decline(ctx, receiver, internal, delivery, recorded);
	}
}

/** What the replay and retry memories recorded for this delivery (forgotten again when it fails), and the registration they keep it under. */
interface Recorded {
	scope?: string;
	signature?: { scope: string; digest: string };
	event?: { scope: string; identity: EventIdentity };
}

/** The registration a delivery belongs to (state.ts), read once per delivery: n8n's getNode() copies the node. */
const scopeOf = (ctx: IWebhookFunctions, recorded: Recorded): string =>
	(recorded.scope ??= registrationScope(ctx));

/** A step's way of ending the delivery without a run. */
type Step<T> = T | { declined: Declined };
const declined = (answer: Declined): { declined: Declined } => ({ declined: answer });

/** Answers without a run (refusal.ts); a delivery that failed after the memories recorded it is forgotten, so the provider's retry counts. */
function decline<Event>(
	ctx: IWebhookFunctions,
	receiver: WebhookReceiver<Event>,
	answer: Declined,
	delivery: Delivery | undefined,
	recorded: Recorded,
): IWebhookResponseData {
	if (answer.status >= 400) {
		if (recorded.signature) forgetSighting(recorded.signature.scope, recorded.signature.digest);
		if (recorded.event) forgetDelivery(recorded.event.scope, recorded.event.identity);
	}
	return declineDelivery(
		ctx,
		receiver,
		answer,
		delivery ?? { receivedAt: new Date(), options: {} },
		() => scopeOf(ctx, recorded),
	);
}

/** Every step after verification, each of which may decline the delivery. */
function afterVerification<Event>(
	ctx: IWebhookFunctions,
	receiver: WebhookReceiver<Event>,
	delivery: Delivery,
	verification: Verification,
	recorded: Recorded,
): Step<IWebhookResponseData> | Promise<IWebhookResponseData> {
	if (!verification.ok) {
		return declined({
			status: 401,
			check: verification.check,
			reason: verification.reason,
			message: () => refusalMessage(ctx, receiver, verification, delivery),
		});
	}
	const replay = rememberSignature(ctx, delivery, verification, recorded);
	if (replay) return replay;
	const body = parseBody(receiver, delivery);
	if ('declined' in body) return body;
	const event = readEvent(receiver, body, delivery);
	const selected = selectEvent(ctx, receiver, event);
	if (selected) return selected;
	const identity = rememberEvent(ctx, receiver, delivery, verification, body, event, recorded);
	if ('declined' in identity) return identity;
	const simple = ctx.getNodeParameter('simple', true) as boolean;
	const item = simple
		? simplifiedItem(ctx, receiver, delivery, verification, body, event, identity)
		: rawItem(receiver, delivery, verification, body);
	// What the provider's API adds (an option of the node): the one step after verification that may wait.
	const enriching = simple && receiver.enrich ? receiver.enrich(ctx, item, delivery) : undefined;
	return enriching ? enriching.then(() => runWith(ctx, item)) : runWith(ctx, item);
}

/**
 * The run a delivery starts: its one item on Event, and nothing on Problems. Reports that are due
 * wait for a delivery that runs nothing on Event (refusal.ts), so that Problems → Stop and Error
 * never fails the run of a good event.
 */
function runWith(ctx: IWebhookFunctions, item: IDataObject): IWebhookResponseData {
	return { workflowData: [ctx.helpers.returnJsonArray([item])] };
}

/**
 * An event read back from the provider's delivery log (catch-up.ts), as the trigger's item: the same
 * reading (schema, tolerant reader), Simplify and shaping. `delivery` carries the log entry's body as
 * JSON text and what the log gives back of the headers (Prolific's event id). `dedupeKey` is the
 * digest of that text, not of the bytes once signed: `eventId` is the key both paths share.
 */
export function recoveredItem<Event>(
	ctx: IWebhookFunctions,
	receiver: WebhookReceiver<Event>,
	body: IDataObject,
	delivery: Delivery,
): IDataObject {
	const parsed = { value: body };
	const event = readEvent(receiver, parsed, delivery);
	const providerId =
		event.data === undefined ? event.unreadId : receiver.eventId(event.data, delivery);
	const identity = identify(receiver.provider, receiver.retries, providerId, delivery, body);
	const verified = accept() as Verification & { ok: true };
	return ctx.getNodeParameter('simple', true)
		? simplifiedItem(ctx, receiver, delivery, verified, parsed, event, identity)
		: rawItem(receiver, delivery, verified, parsed);
}

/** A timestamped signature is accepted once per registration within the tolerance window. */
function rememberSignature(
	ctx: IWebhookFunctions,
	delivery: Delivery,
	verification: Verification & { ok: true },
	recorded: Recorded,
): { declined: Declined } | undefined {
	if (!verification.replay) return undefined;
	// Per registration: two trigger nodes may receive the very same signed bytes.
	const signed = { scope: scopeOf(ctx, recorded), digest: verification.replay.digest };
	const expiresAtMs = acceptedUntilMs(
		verification.replay.timestamp,
		timestampTolerance(delivery.options),
	);
	if (!firstSighting(signed.scope, signed.digest, expiresAtMs, delivery.receivedAt.getTime())) {
		return declined({
			status: 200,
			check: 'replay',
			reason: 'this signed delivery was already accepted',
			message: REPLAY_MESSAGE,
		});
	}
	recorded.signature = signed;
	return undefined;
}

interface ParsedBody {
	value: IDataObject;
}

/** The raw body as a JSON object, or a 400. */
function parseBody<Event>(receiver: WebhookReceiver<Event>, delivery: Delivery): Step<ParsedBody> {
	const refuse = (reason: string) =>
		declined({ status: 400, check: 'body', reason, message: bodyMessage(receiver, reason) });
	const parsed = parseJson(delivery.rawBody);
	if ('error' in parsed) return refuse(parsed.error);
	if (!isObject(parsed.value)) return refuse('request body is not a JSON object');
	return { value: parsed.value as IDataObject };
}

interface ReadEvent<Event> {
	/** Undefined when even the tolerant reader could not read it. */
	data: Event | undefined;
	/** The event name the user selects; undefined when unreadable. */
	name: string | undefined;
	/** The provider's event id, read from the body as received when the event could not be read. */
	unreadId?: string;
	warnings: string[];
}

/**
 * The schema's reading of the body; for a body that does not fit, the slow path: fix-ups on copies
 * made as they go, the body as received kept for the item. An event that still cannot be read has
 * its name and id looked up in the body as received, so the Events filter and the retry memory
 * keep working for it.
 */
function readEvent<Event>(
	receiver: WebhookReceiver<Event>,
	body: ParsedBody,
	delivery: Delivery,
): ReadEvent<Event> {
	const validate = validatorFor(receiver);
	const validated = validate(body.value);
	const tolerated = validated.success
		? { data: validated.data, warnings: [] as string[] }
		: tolerate(body.value, validate, validated);
	const data = tolerated.data;
	if (data !== undefined)
		return { data, name: receiver.eventName(data), warnings: tolerated.warnings };
	const prepare = receiver.prepare;
	const readable = (prepare ? safely(() => prepare(body.value)) : body.value) as Event;
	return {
		data,
		name: textOrUndefined(() => receiver.eventName(readable)),
		unreadId: textOrUndefined(() => receiver.eventId(readable, delivery)),
		warnings: tolerated.warnings,
	};
}

/** A receiver's reading of a body that did not fit its schema: a string, or undefined when it is anything else or fails. */
function textOrUndefined(read: () => unknown): string | undefined {
	const value = safely(read);
	return typeof value === 'string' && value !== '' ? value : undefined;
}

function safely(read: () => unknown): unknown {
	try {
		return read();
	} catch {
		return undefined;
	}
}

/** Whether the user selected the event; an event whose type cannot be read runs only when every event is selected. */
function selectEvent<Event>(
	ctx: IWebhookFunctions,
	receiver: WebhookReceiver<Event>,
	event: ReadEvent<Event>,
): { declined: Declined } | undefined {
	const selected = ctx.getNodeParameter('events', []) as string[];
	const isSelected =
		selected.includes(ALL_EVENTS) ||
		(event.name !== undefined
			? selected.includes(event.name)
			: eventNamesOf(receiver.events).every((name) => selected.includes(name)));
	if (isSelected) return undefined;
	return declined({
		status: 200,
		check: 'not-selected',
		reason: 'event not selected in the trigger',
		message: () => notSelectedMessage(event.name, receiver.events),
		eventType: event.name ?? 'unknown',
	});
}

/** A resend of an event that already ran starts no second run (unless Run Every Retry is on). */
function rememberEvent<Event>(
	ctx: IWebhookFunctions,
	receiver: WebhookReceiver<Event>,
	delivery: Delivery,
	verification: Verification & { ok: true },
	body: ParsedBody,
	event: ReadEvent<Event>,
	recorded: Recorded,
): Step<EventIdentity> {
	const providerId =
		event.data === undefined ? event.unreadId : receiver.eventId(event.data, delivery);
	const identity = identify(
		receiver.provider,
		receiver.retries,
		providerId,
		delivery,
		body.value,
		verification.signedBody,
	);
	if (delivery.options.runEveryRetry) return identity;
	const scope = scopeOf(ctx, recorded);
	if (!firstDelivery(scope, identity, receiver.retries, delivery.receivedAt.getTime())) {
		return declined({
			status: 200,
			check: 'retry',
			reason: 'this event was already delivered',
			message: () => retryMessage(identity.eventId, receiver.retries),
			eventType: event.name,
		});
	}
	recorded.event = { scope, identity };
	return identity;
}

/** Simplify on: provider, eventId, dedupeKey, eventType and receivedAt first, then the provider's fields. */
function simplifiedItem<Event>(
	ctx: IWebhookFunctions,
	receiver: WebhookReceiver<Event>,
	delivery: Delivery,
	verification: Verification & { ok: true },
	body: ParsedBody,
	event: ReadEvent<Event>,
	identity: EventIdentity,
): IDataObject {
	const warnings = event.warnings;
	const shaped = shapeTolerantly(ctx, receiver, event.data, delivery, warnings);
	const json: IDataObject = {
		provider: receiver.provider,
		eventId: identity.eventId,
		dedupeKey: identity.dedupeKey,
		eventType: shaped.eventType,
		receivedAt: delivery.receivedAt.toISOString(),
		// Where the event id is not signed, a replay with another id is known by its signature.
		...(verification.replay && receiver.retries.idOutsideSignature
			? { replayKey: replayKeyOf(receiver.provider, verification.replay) }
			: {}),
		...(shaped as IDataObject), // keeps the keys above in front
	};
	// An event the schema could not read still shows the type its body names.
	if (event.data === undefined && event.name !== undefined) json.eventType = event.name;
	if (verification.details) json.verification = verification.details;
	const headers = itemHeaders(receiver, delivery, verification);
	if (headers) json.headers = headers;
	if (warnings.length) {
		json.warnings = warnings;
		// As received (the fix-ups worked on copies); it shares unchanged parts with the shaped fields.
		json.body = body.value;
		warnMisfit(ctx, receiver, warnings);
	}
	if (receiver.columns && ctx.getNodeParameter('answersAsColumns', false))
		return rowItem(receiver.columns(shaped, ctx.getNode().typeVersion), json);
	// Keys n8n itself would drop (`constructor`, …) get their documented form, in `body` too.
	keepReservedKeys(json);
	return json;
}

/**
 * Answers as Columns: the item's own fields, then the provider's row. What an item carries beside
 * the event (verification, headers, warnings) goes to the end, as JSON text or joined lines.
 */
function rowItem(columns: ResponseColumns, json: IDataObject): IDataObject {
	const own = ['provider', 'eventId', 'dedupeKey', 'eventType', 'receivedAt', 'replayKey'];
	const fixed: IDataObject = {};
	for (const key of own) if (json[key] !== undefined) fixed[key] = json[key];
	const extra: Array<[string, unknown]> = [];
	if (json.warnings) extra.push(['warnings', (json.warnings as string[]).join('\n')]);
	if (json.headers) extra.push(['headers', json.headers]);
	return answersAsColumns(fixed, { ...columns, response: [...columns.response, ...extra] });
}

/** Simplify off: the provider's body exactly as received (headers, when asked, beside it). */
function rawItem<Event>(
	receiver: WebhookReceiver<Event>,
	delivery: Delivery,
	verification: Verification & { ok: true },
	body: ParsedBody,
): IDataObject {
	const headers = itemHeaders(receiver, delivery, verification);
	return headers ? { headers, body: body.value } : body.value;
}

/** Include Headers: the request headers an item may show (visibleHeaders), or undefined when not asked for. */
function itemHeaders<Event>(
	receiver: WebhookReceiver<Event>,
	delivery: Delivery,
	verification: Verification & { ok: true },
): IDataObject | undefined {
	if (!delivery.options.includeHeaders) return undefined;
	return visibleHeaders(
		delivery.headers,
		[...ALWAYS_HIDDEN_HEADERS, ...receiver.secretHeaders, ...(verification.secretHeaders ?? [])],
		verification.secrets ?? [],
	);
}

/**
 * The secret, read once (secret.ts), then the receiver's pure signature check; a mismatch gets the
 * receiver's second look where it has one. Synchronous until something really waits: the hot path.
 */
function verifyDelivery<Event>(
	ctx: IWebhookFunctions,
	receiver: WebhookReceiver<Event>,
	delivery: Delivery,
): Verification | Promise<Verification> {
	const check = (secret: SecretLookup): Verification | Promise<Verification> => {
		if (secret === UNVERIFIED) return accept({ details: { method: 'none' } });
		if (typeof secret !== 'string') return secret;
		const verdict = receiver.verify(delivery, secret);
		return !verdict.ok && verdict.check === 'mismatch' && receiver.reverify
			? receiver.reverify(ctx, delivery, secret)
			: verdict;
	};
	const secret = readSecret(ctx, receiver.secret);
	return secret instanceof Promise ? secret.then(check) : check(secret);
}

/**
 * The delivery as received. n8n reads the body before the node runs for a node of type version 1,
 * and from version 2 only for the content types it parses (JSON, form, text, XML); any other body
 * is read here with n8n's own reader (its size limit and decompression), as n8n's Webhook node
 * does, so that a delivery without a JSON content type is still verified and answered.
 */
function readDelivery(ctx: IWebhookFunctions): Delivery | Promise<Delivery> {
	const request = ctx.getRequestObject() as {
		rawBody?: Buffer | string;
		readRawBody?: () => Promise<void>;
	};
	const delivery = (rawBody: Buffer | string | undefined): Delivery => ({
		rawBody:
			typeof rawBody === 'string'
				? Buffer.from(rawBody, 'utf8')
				: Buffer.isBuffer(rawBody)
					? rawBody
					: Buffer.alloc(0),
		headers,
		query: ctx.getQueryData() as IDataObject,
		params: ctx.getParamsData() as IDataObject,
		receivedAt: new Date(),
		options: ctx.getNodeParameter('options', {}) as DeliveryOptions,
	});
	const headers = ctx.getHeaderData() as HeaderMap;
	// A multipart body n8n has already parsed into fields and files: there are no raw bytes left.
	const multipart = /^multipart\//i.test(String(headers['content-type'] ?? ''));
	if (request.rawBody !== undefined || typeof request.readRawBody !== 'function' || multipart)
		return delivery(request.rawBody);
	// A body n8n cannot read (over its size limit, aborted) is a fault answered 500, as n8n does.
	return request.readRawBody().then(() => delivery(request.rawBody));
}

function parseJson(rawBody: Buffer): { value: unknown } | { error: string } {
	if (rawBody.length === 0) return { error: 'request body is empty' };
	let text: string;
	try {
		text = utf8.decode(rawBody);
	} catch {
		return { error: 'request body is not valid UTF-8' };
	}
	try {
		return { value: JSON.parse(text) };
	} catch {
		return { error: 'request body is not valid JSON' };
	}
}

/**
 * The provider's shaping of a verified event; when the event could not be read, or shaping fails,
 * the item keeps what every item has and a warning says why.
 */
function shapeTolerantly<Event>(
	ctx: IWebhookFunctions,
	receiver: WebhookReceiver<Event>,
	event: Event | undefined,
	delivery: Delivery,
	warnings: string[],
): ShapedEvent {
	if (event !== undefined) {
		try {
			return receiver.shape(event, delivery, ctx);
		} catch (error) {
			warnings.push(`(body): could not be shaped (${logFault(ctx, receiver, 'shape', error)})`);
		}
	}
	return { eventType: 'unknown' };
}

/** An unexpected fault: one error line a minute per workflow, node and kind, with a count; returns the message as logged. */
function logFault<Event>(
	ctx: IWebhookFunctions,
	receiver: WebhookReceiver<Event>,
	kind: 'process' | 'shape',
	error: unknown,
): string {
	const message = printable(error instanceof Error ? error.message : String(error), 300);
	const workflow = ctx.getWorkflow();
	logRateLimited(
		ctx.logger,
		'error',
		`${kind}\n${workflow.id ?? ''}\n${ctx.getNode().name}`,
		`${receiver.displayName} Trigger could not ${kind} a delivery: ${message}`,
	);
	return message;
}

function warnMisfit<Event>(
	ctx: IWebhookFunctions,
	receiver: WebhookReceiver<Event>,
	warnings: string[],
): void {
	const workflow = ctx.getWorkflow();
	const node = ctx.getNode().name;
	const more = warnings.length > 1 ? ` (and ${warnings.length - 1} more)` : '';
	warnRateLimited(
		ctx.logger,
		`misfit\n${workflow.id ?? ''}\n${node}`,
		`${receiver.displayName} Trigger "${node}" in workflow "${workflow.name ?? ''}" (${workflow.id ?? ''}) delivered a verified event that does not fit the documented payload, with warnings: ${warnings[0]}${more}`,
	);
}

/**
 * The request headers an item may show: none that carried a credential, and none whose value
 * contains a secret in any form a proxy may have written it (plain or percent-encoded, e.g. a
 * token in `x-original-uri` or `referer`).
 */
function visibleHeaders(headers: HeaderMap, hidden: string[], secrets: string[]): IDataObject {
	const visible: IDataObject = {};
	for (const name of Object.keys(headers)) {
		const value = headers[name];
		if (value === undefined || hidden.includes(name) || hasOwn(visible, name)) continue;
		if (revealsSecret(value, secrets)) continue;
		setOwn(visible, name, value);
	}
	return visible;
}

function revealsSecret(value: string | string[], secrets: string[]): boolean {
	const texts = Array.isArray(value) ? value : [value];
	return texts.some((text) => {
		const forms = [text, decodeOnce(text), decodeOnce(decodeOnce(text))];
		return secrets.some((secret) => secret !== '' && forms.some((form) => form.includes(secret)));
	});
}

/** Percent- and form-decoding that never throws (malformed escapes stay as they are). */
function decodeOnce(text: string): string {
	const plus = text.replace(/\+/g, ' ');
	try {
		return decodeURIComponent(plus);
	} catch {
		return plus.replace(/%([0-9a-f]{2})/gi, (_, hex: string) =>
			String.fromCharCode(parseInt(hex, 16)),
		);
	}
}
