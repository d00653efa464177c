import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { hasOwn, isObject, keepReservedKeys, setOwn } from './json';
import { logRateLimited, printable, warnRateLimited } from './log';
import { accept, timestampTolerance } from './verify';
import { bodyMessage, declineDelivery, notSelectedMessage, refusalMessage, REPLAY_MESSAGE, retryMessage, type Declined } from './refusal';
import { firstSighting, forgetSighting } from './replay';
import { firstDelivery, forgetDelivery, identify, type EventIdentity } from './retries';
import { readSecret, UNVERIFIED, type SecretLookup } from './secret';
import { registrationScope } from './state';
import { tolerate } from './tolerate';
import type { Delivery, DeliveryOptions, HeaderMap, ShapedEvent, Verification, WebhookReceiver } from './types';
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
 * The receive pipeline shared by every trigger:
 * raw body → verify → parse → validate → event filter → shape → one item.
 *
 * Responses: 401 for a failed verification, 400 for a body that is not a JSON object, 200 without
 * an execution for events the user did not select, for a timestamped signature already accepted
 * (a replay) and for a resend of an event that already ran (retries.ts), otherwise an execution. A verified object that does not fit the schema is delivered
 * anyway (tolerate.ts): what could be shaped, the untouched `body`, and `warnings`. It never
 * throws: an unexpected fault answers 500 so the provider delivers again later. Why a delivery
 * started no run is logged in production and shown as an item while testing (refusal.ts).
 */
export async function receiveDelivery<Event>(
	ctx: IWebhookFunctions,
	receiver: WebhookReceiver<Event>,
): Promise<IWebhookResponseData> {
	// One async function on purpose: this is the hot path of every delivery, and each extra
	// await costs more than most of the steps below.
	let replayed: { scope: string; digest: string } | undefined;
	let remembered: { scope: string; identity: EventIdentity } | undefined;
	let delivery: Delivery | undefined;
	// Answers without a run (refusal.ts); a delivery that fails after verification is forgotten
	// again, so the provider's retry counts.
	const decline = (declined: Declined) => {
		if (declined.status >= 400) {
			if (replayed) forgetSighting(replayed.scope, replayed.digest);
			if (remembered) forgetDelivery(remembered.scope, remembered.identity);
		}
		return declineDelivery(ctx, receiver, declined, delivery?.receivedAt ?? new Date());
	};
	try {
		delivery = readDelivery(ctx);

		const pending = verifyDelivery(ctx, receiver, delivery);
		const verification = pending instanceof Promise ? await pending : pending;
		if (!verification.ok) {
			const refused = delivery;
			return decline({ status: 401, check: verification.check, reason: verification.reason, message: () => refusalMessage(ctx, receiver, verification, refused) });
		}
		if (verification.replay) {
			// Per registration: two trigger nodes may receive the very same signed bytes.
			const signed = { scope: registrationScope(ctx), digest: verification.replay.digest };
			const expiresAtMs = (verification.replay.timestamp + timestampTolerance(delivery.options)) * 1000;
			if (!firstSighting(signed.scope, signed.digest, expiresAtMs, delivery.receivedAt.getTime())) {
				return decline({ status: 200, check: 'replay', reason: 'this signed delivery was already accepted', message: REPLAY_MESSAGE });
			}
			replayed = signed;
		}

		const refuseBody = (reason: string) => decline({ status: 400, check: 'body', reason, message: bodyMessage(receiver, reason) });
		const parsed = parseJson(delivery.rawBody);
		if ('error' in parsed) return refuseBody(parsed.error);
		if (!isObject(parsed.value)) return refuseBody('request body is not a JSON object');

		const validate = validatorFor(receiver);
		const validated = validate(parsed.value);
		// The slow path, for a body that does not fit: fix-ups on a copy, the original kept for the item.
		const tolerated = validated.success
			? { data: validated.data, warnings: [] as string[] }
			: tolerate(JSON.parse(parsed.text) as Record<string, unknown>, validate);
		const event = tolerated.data;

		const eventName = event === undefined ? undefined : receiver.eventName(event);
		const selected = ctx.getNodeParameter('events', []) as string[];
		// An event whose type cannot be read runs only when every event is selected.
		const isSelected =
			selected.includes(ALL_EVENTS) ||
			(eventName !== undefined ? selected.includes(eventName) : receiver.events.every((name) => selected.includes(name)));
		if (!isSelected) {
			return decline({
				status: 200,
				check: 'not-selected',
				reason: 'event not selected in the trigger',
				message: notSelectedMessage(eventName),
				eventType: eventName ?? 'unknown',
			});
		}

		// A resend of an event that already ran starts no second run (unless Run Every Retry is on).
		const identity = identify(receiver.provider, receiver.retries, event === undefined ? undefined : receiver.eventId(event, delivery), delivery, parsed.value);
		if (!delivery.options.runEveryRetry) {
			const scope = registrationScope(ctx);
			if (!firstDelivery(scope, identity, receiver.retries, delivery.receivedAt.getTime())) {
				return decline({ status: 200, check: 'retry', reason: 'this event was already delivered', message: () => retryMessage(identity.eventId, receiver.retries), eventType: eventName });
			}
			remembered = { scope, identity };
		}

		const simple = ctx.getNodeParameter('simple', true) as boolean;
		const headers = delivery.options.includeHeaders
			? visibleHeaders(
					delivery.headers,
					[...ALWAYS_HIDDEN_HEADERS, ...receiver.secretHeaders, ...(verification.secretHeaders ?? [])],
					verification.secrets ?? [],
				)
			: undefined;

		let json: IDataObject;
		if (simple) {
			const warnings = tolerated.warnings;
			const shaped = shapeTolerantly(ctx, receiver, event, delivery, warnings);
			// provider, eventId, dedupeKey, eventType and receivedAt first; the provider's fields follow.
			json = {
				provider: receiver.provider,
				eventId: identity.eventId,
				dedupeKey: identity.dedupeKey,
				eventType: shaped.eventType,
				receivedAt: delivery.receivedAt.toISOString(),
				...(shaped as IDataObject), // keeps the keys above in front
			};
			if (verification.details) json.verification = verification.details;
			if (headers) json.headers = headers;
			// Keys n8n itself would drop (`constructor`, …) get their documented form; `body` stays as received.
			keepReservedKeys(json);
			if (warnings.length) {
				json.warnings = warnings;
				json.body = parsed.value as IDataObject; // untouched, as received: the fix-ups worked on a copy
				warnMisfit(ctx, receiver, warnings);
			}
		} else {
			// Raw mode: the provider's body exactly as received (headers, when asked, beside it).
			const body = parsed.value as IDataObject;
			json = headers ? { headers, body } : body;
		}
		return { workflowData: [ctx.helpers.returnJsonArray([json])] };
	} catch (error) {
		logFault(ctx, receiver, 'process', error);
		return decline({
			status: 500,
			check: 'internal',
			reason: 'internal error while processing the delivery',
			message: `The delivery could not be processed (n8n's log has the error); it was answered 500 so that ${receiver.displayName} delivers it again.`,
		});
	}
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
		if (secret === UNVERIFIED) return accept({ method: 'none' });
		if (typeof secret !== 'string') return secret;
		const verdict = receiver.verify(delivery, secret);
		return !verdict.ok && verdict.check === 'mismatch' && receiver.reverify ? receiver.reverify(ctx, delivery, secret) : verdict;
	};
	const secret = readSecret(ctx, receiver.secret);
	return secret instanceof Promise ? secret.then(check) : check(secret);
}

function readDelivery(ctx: IWebhookFunctions): Delivery {
	const { rawBody } = ctx.getRequestObject() as { rawBody?: Buffer | string };
	return {
		rawBody:
			typeof rawBody === 'string'
				? Buffer.from(rawBody, 'utf8')
				: Buffer.isBuffer(rawBody)
					? rawBody
					: Buffer.alloc(0),
		headers: ctx.getHeaderData() as HeaderMap,
		query: ctx.getQueryData() as IDataObject,
		params: ctx.getParamsData() as IDataObject,
		receivedAt: new Date(),
		options: ctx.getNodeParameter('options', {}) as DeliveryOptions,
	};
}

function parseJson(rawBody: Buffer): { value: unknown; text: string } | { error: string } {
	if (rawBody.length === 0) return { error: 'request body is empty' };
	let text: string;
	try {
		text = utf8.decode(rawBody);
	} catch {
		return { error: 'request body is not valid UTF-8' };
	}
	try {
		return { value: JSON.parse(text), text };
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
function logFault<Event>(ctx: IWebhookFunctions, receiver: WebhookReceiver<Event>, kind: 'process' | 'shape', error: unknown): string {
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

function warnMisfit<Event>(ctx: IWebhookFunctions, receiver: WebhookReceiver<Event>, warnings: string[]): void {
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
		return plus.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
	}
}
