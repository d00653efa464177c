import { timingSafeEqual } from 'crypto';

import { hmacSha256, isDigestText } from '../shared/verify';

export const SIGNATURE_HEADER = 'cint-signature';

/**
 * `t=<unix seconds>,v1=<hex>[,v1=<hex>…]`. Only `t` and `v1` matter: elements of other names (a
 * future scheme's `v0=…==`) are ignored, and so are `v1` values that are not a SHA-256 hex digest.
 * Undefined when there is no single `t` or no usable `v1`.
 */
/** The form Cint sends: one `t` and one `v1`, read without splitting (every refusal pays for this). */
const USUAL_FORM = /^t=(\d{1,12}),v1=([0-9a-fA-F]{64})$/;

export function parseCintSignature(
	header: string,
): { timestamp: string; signatures: Buffer[] } | undefined {
	const usual = USUAL_FORM.exec(header);
	if (usual) return { timestamp: usual[1], signatures: [Buffer.from(usual[2], 'hex')] };
	let timestamp: string | undefined;
	const signatures: Buffer[] = [];
	for (const part of header.split(',')) {
		const equals = part.indexOf('=');
		const key = part.slice(0, equals).trim();
		const value = part.slice(equals + 1).trim();
		if (key === 't') {
			if (timestamp !== undefined) return undefined;
			timestamp = value;
		} else if (key === 'v1' && isDigestText(value, 'hex')) {
			signatures.push(Buffer.from(value, 'hex'));
		}
	}
	return timestamp && signatures.length ? { timestamp, signatures } : undefined;
}

/**
 * Cint signs `<t>.<raw body>` with HMAC-SHA256, keyed with the webhook secret exactly as Cint
 * returned it (not base64-decoded), hex-encoded. Any one matching `v1` is enough (secret rotation).
 * Returns the digest when one matched.
 */
export function cintSignatureMatch(
	secret: string,
	timestamp: string,
	rawBody: Buffer,
	signatures: Buffer[],
): Buffer | undefined {
	const expected = hmacSha256(secret, `${timestamp}.`, rawBody);
	let matched = false;
	for (const signature of signatures) matched = timingSafeEqual(expected, signature) || matched;
	return matched ? expected : undefined;
}
