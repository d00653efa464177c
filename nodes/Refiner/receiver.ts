import { MIN_SECRET_LENGTH } from '../shared/secret-check';
import type { Delivery, Verification, WebhookReceiver } from '../shared/types';
import {
	accept,
	digestMatches,
	hmacSha256,
	isDigestText,
	refuse,
	secretMatcher,
} from '../shared/verify';
import {
	REFINER_EVENTS,
	refinerEventId,
	refinerEventSchema,
	shapeRefinerEvent,
	refinerColumns,
	type RefinerEvent,
} from './events';

const HEX_PREFIX = 'sha256=';

/** A header value in one of the HMAC text forms: hex, "sha256=<hex>" or base64. */
function digestForm(value: string): { text: string; encoding: 'hex' | 'base64' } | undefined {
	const text = value.startsWith(HEX_PREFIX) ? value.slice(HEX_PREFIX.length) : value;
	if (isDigestText(text, 'hex')) return { text, encoding: 'hex' };
	if (text === value && isDigestText(text, 'base64')) return { text, encoding: 'base64' };
	return undefined;
}

/**
 * Refiner documents an optional secret token but not how it is sent, so every plausible form is
 * accepted, each compared in constant time: the token (or "Bearer <token>", "Token <token>") as a
 * header value, `?token=` in the URL, or HMAC-SHA256(token, raw body) in a header as hex (either
 * case), base64 or "sha256=<hex>".
 * The token forms are checked first and cost nothing proportional to the body; the one HMAC over
 * the body is computed only when a header holds a value shaped like a digest. The form that matched
 * is recorded in the item (never the token), to learn Refiner's real scheme.
 */
export function matchRefinerToken(token: string, delivery: Delivery): Verification {
	// The token itself, then the schemes a header may put before it.
	const carriesToken = secretMatcher(token, `Bearer ${token}`, `Token ${token}`);
	const digestCandidates: Array<{ header: string; text: string; encoding: 'hex' | 'base64' }> = [];
	const carriers: string[] = [];
	let match: { method: string; header?: string } | undefined;
	for (const header of Object.keys(delivery.headers)) {
		const raw = delivery.headers[header];
		for (const value of Array.isArray(raw) ? raw : [raw]) {
			if (typeof value !== 'string') continue;
			const normalised = value
				.trim()
				.replace(
					/^(bearer|token) /i,
					(scheme) => `${scheme[0].toUpperCase()}${scheme.slice(1).toLowerCase()}`,
				);
			const form = carriesToken(normalised);
			const method =
				form === 0
					? 'header token'
					: form > 0
						? `${normalised.split(' ')[0].toLowerCase()} token`
						: undefined;
			if (method) {
				match ??= { method, header };
				carriers.push(header);
				continue;
			}
			const digest = digestForm(normalised);
			if (digest) digestCandidates.push({ header, ...digest });
		}
	}
	const query = delivery.query.token;
	if (!match && typeof query === 'string' && carriesToken(query) === 0)
		match = { method: 'query token' };
	if (!match && digestCandidates.length) {
		const hmac = hmacSha256(token, delivery.rawBody);
		const signed = digestCandidates.find((candidate) =>
			digestMatches(hmac, candidate.text, candidate.encoding),
		);
		if (signed) {
			match = { method: `hmac-sha256 ${signed.encoding}`, header: signed.header };
			carriers.push(signed.header);
		}
	}
	if (!match) return refuse('mismatch', 'secret token missing or wrong');
	return accept({ details: match, secretHeaders: carriers, secrets: [token] });
}

export const refinerReceiver: WebhookReceiver<RefinerEvent> = {
	provider: 'refiner',
	displayName: 'Refiner',
	secretHeaders: [],
	mismatchHelp:
		"No header or ?token= carries the secret token of credential '{credential}'. Copy the token again from Refiner › Integrations › Webhooks, or set Verification to None if you left it empty in Refiner.",
	secret: {
		credential: 'refinerWebhookApi',
		field: 'secretToken',
		unverifiedWhen: { parameter: 'verification', value: 'none' },
		missing: refuse('setup', 'the Refiner credential has no secret token', {
			help: 'Set the secret token of Refiner › Integrations › Webhooks in the credential, or set Verification to None.',
		}),
		// A short token can be guessed: refused rather than giving a false sense of protection.
		tooShort: refuse(
			'setup',
			`the Refiner secret token is shorter than ${MIN_SECRET_LENGTH} characters`,
			{
				help: 'Every delivery is refused until it is longer. Set a longer token in Refiner and in the credential.',
			},
		),
	},
	verify: (delivery, token) => matchRefinerToken(token, delivery),
	schema: refinerEventSchema,
	events: REFINER_EVENTS,
	eventName: (event) => event.triggered_event ?? undefined,
	eventId: refinerEventId,
	// Refiner's retries are not documented; a day is kept.
	retries: { horizonSeconds: 24 * 3600 },
	shape: shapeRefinerEvent,
	columns: refinerColumns,
};
