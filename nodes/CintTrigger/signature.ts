import { digestMatches, hmacSha256 } from '../shared/verify';

export const SIGNATURE_HEADER = 'cint-signature';

/** `t=<unix seconds>,v1=<hex>[,v1=<hex>…]`; undefined when the header is not of that form. */
export function parseCintSignature(header: string): { timestamp: string; signatures: string[] } | undefined {
	let timestamp: string | undefined;
	const signatures: string[] = [];
	for (const part of header.split(',')) {
		const equals = part.indexOf('=');
		const key = part.slice(0, equals).trim();
		const value = part.slice(equals + 1).trim();
		if (equals < 1 || !value || value.includes('=')) return undefined;
		if (key === 't') {
			if (timestamp !== undefined) return undefined;
			timestamp = value;
		} else if (key === 'v1') {
			signatures.push(value);
		}
	}
	return timestamp !== undefined && signatures.length ? { timestamp, signatures } : undefined;
}

/**
 * Cint signs `<t>.<raw body>` with HMAC-SHA256, keyed with the webhook secret exactly as Cint
 * returned it (not base64-decoded), hex-encoded. Any one matching `v1` is enough (secret rotation).
 */
export function cintSignatureMatches(secret: string, timestamp: string, rawBody: Buffer, signatures: string[]): boolean {
	const expected = hmacSha256(secret, `${timestamp}.`, rawBody);
	let matched = false;
	for (const signature of signatures) matched = digestMatches(expected, signature, 'hex') || matched;
	return matched;
}
