import { createHash, createHmac, timingSafeEqual } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

import type { Delivery, Refusal, RefusalCheck, SignedAt, Verification } from './types';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/**
 * A constant-time check of candidates against one or more secret texts (a token, "Bearer <token>"),
 * whatever their lengths: both sides are compared as SHA-256 digests, so neither the time nor an
 * early return tells how long the secret is. The secrets are hashed once, each candidate once.
 */
export function secretMatcher(...secrets: string[]): (candidate: string) => number {
	const expected = secrets.map(sha256);
	return (candidate) => {
		const digest = sha256(candidate);
		let found = -1;
		// Every secret is compared, so the time does not tell which one matched.
		expected.forEach((secret, index) => {
			if (timingSafeEqual(secret, digest) && found < 0) found = index;
		});
		return found;
	};
}

/** Constant-time comparison of two texts whatever their lengths (see secretMatcher). */
export const safeEqual = (secret: string, candidate: string): boolean =>
	secretMatcher(secret)(candidate) === 0;

/** HMAC-SHA256 of the concatenated parts, keyed with the secret exactly as given. */
export function hmacSha256(secret: string, ...parts: Array<string | Buffer>): Buffer {
	const hmac = createHmac('sha256', secret);
	for (const part of parts) hmac.update(part);
	return hmac.digest();
}

const CANONICAL = { hex: /^[0-9a-f]{64}$/i, base64: /^[A-Za-z0-9+/]{43}=$/ };

/**
 * Whether a provided signature has the text form of an HMAC-SHA256 digest. Checked before any
 * HMAC is computed, so a malformed signature costs nothing proportional to the body.
 */
export function isDigestText(provided: string, encoding: 'hex' | 'base64'): boolean {
	return CANONICAL[encoding].test(provided);
}

/**
 * Whether a provided HMAC-SHA256 signature (hex or base64 text) equals the computed digest,
 * compared in constant time as decoded bytes. Only the digest's text form is accepted.
 */
export function digestMatches(
	digest: Buffer,
	provided: string,
	encoding: 'hex' | 'base64',
): boolean {
	if (!isDigestText(provided, encoding)) return false;
	const bytes = Buffer.from(provided, encoding);
	return bytes.length === digest.length && timingSafeEqual(bytes, digest);
}

export interface Accepted {
	/** What the item's `verification` shows (which form matched; never a secret). */
	details?: IDataObject;
	/** Request headers that carried the secret: never shown in an item. */
	secretHeaders?: string[];
	/** Values (token, signing secret) that no header shown in an item may contain, in any encoding. */
	secrets?: string[];
}

/** The one way to say "verified" (a timestamped signature uses acceptSigned). */
export const accept = ({ details, secretHeaders, secrets }: Accepted = {}): Verification => ({
	ok: true,
	...(details ? { details } : {}),
	...(secretHeaders ? { secretHeaders } : {}),
	...(secrets ? { secrets } : {}),
});

/**
 * A verified, timestamped signature: remembered so that the same delivery replayed within the
 * tolerance window starts no second execution. `secret` is never shown in a header of the item.
 */
export const acceptSigned = (
	secret: string,
	digest: Buffer,
	timestamp: number,
	signedBody?: Buffer,
): Verification => {
	const replay: SignedAt = { digest: digest.toString('latin1'), timestamp };
	return { ok: true, secrets: [secret], replay, ...(signedBody ? { signedBody } : {}) };
};

/**
 * The one way to say "refused": which check failed, the short reason answered with the 401, and
 * optional help. Helpers that may refuse return their value or a Refusal (see isRefusal).
 */
export const refuse = (
	check: RefusalCheck,
	reason: string,
	extra: { help?: string; skewSeconds?: number } = {},
): Refusal => ({
	ok: false,
	check,
	reason,
	...extra,
});

export const isRefusal = (value: unknown): value is Refusal =>
	typeof value === 'object' && value !== null && (value as { ok?: unknown }).ok === false;

/**
 * The single value of a header, or a refusal when it is missing or empty. A header sent several
 * times reaches the trigger either as an array (refused here) or, for most custom headers, joined
 * by Node's HTTP parser into one "a, b" string, which the caller's format check then refuses.
 */
export function singleHeader(delivery: Delivery, name: string): string | Refusal {
	const raw = delivery.headers[name];
	if (typeof raw === 'string') {
		const value = raw.trim();
		return value || refuse('missing', `missing ${name} header`);
	}
	const values = (raw ?? []).filter(
		(value): value is string => typeof value === 'string' && value.trim() !== '',
	);
	if (values.length === 0) return refuse('missing', `missing ${name} header`);
	if (values.length > 1) return refuse('malformed', `repeated ${name} header`);
	return values[0].trim();
}

/**
 * A signed provider timestamp: its form is checked before the signature (it is part of what is
 * signed), its window after a signature matched (checkTimestampWindow). So a forgery counts as a
 * signature problem whatever time it claims, and never makes the trigger advise the user to check
 * the server's clock.
 */
export function readTimestamp(value: string): number | Refusal {
	return /^\d{1,12}$/.test(value) ? Number(value) : refuse('malformed', 'malformed timestamp');
}

/**
 * A verified timestamp (unix seconds) against the receive time and the tolerance chosen in the
 * node's Options: the seconds, or a refusal for a stale or future one.
 */
export function checkTimestampWindow(seconds: number, delivery: Delivery): number | Refusal {
	const toleranceSeconds = timestampTolerance(delivery.options);
	const skew = seconds - Math.floor(delivery.receivedAt.getTime() / 1000);
	if (delivery.receivedAt.getTime() >= acceptedUntilMs(seconds, toleranceSeconds))
		return refuse('stale', 'timestamp is too old', { skewSeconds: -skew });
	if (skew > toleranceSeconds)
		return refuse('future', 'timestamp is in the future', { skewSeconds: skew });
	return seconds;
}

/**
 * When a signed timestamp (unix seconds) stops being accepted, in ms: the receive time is compared
 * in whole seconds, so the window ends one second after `timestamp + tolerance` began. The replay
 * memory keeps an accepted signature exactly this long, so no replay outlives its memory.
 */
export const acceptedUntilMs = (timestamp: number, toleranceSeconds: number): number =>
	(timestamp + toleranceSeconds + 1) * 1000;

export const TOLERANCE_SECONDS = { min: 30, max: 3600, default: 300 };

/**
 * The tolerance chosen in Options, clamped at delivery time to the range the UI allows (an
 * expression can yield anything), or the default of 300 seconds.
 */
export function timestampTolerance(options: { timestampTolerance?: unknown }): number {
	const value = Number(options.timestampTolerance);
	if (
		options.timestampTolerance === undefined ||
		options.timestampTolerance === '' ||
		Number.isNaN(value)
	) {
		return TOLERANCE_SECONDS.default;
	}
	return Math.min(TOLERANCE_SECONDS.max, Math.max(TOLERANCE_SECONDS.min, value));
}
