import { timingSafeEqual } from 'crypto';

import { hmacSha256 } from '../shared/verify';

export const SIGNATURE_HEADER = 'x-prolific-request-signature';
export const TIMESTAMP_HEADER = 'x-prolific-request-timestamp';

/**
 * The largest body for which the Python `json.dumps` form is tried as a second candidate.
 * Prolific's documented bodies are a few hundred bytes; the bound keeps a forged delivery at one
 * HMAC over its bytes plus, for small bodies only, one linear pass and one more HMAC.
 */
export const PYTHON_FORM_MAX_BYTES = 16 * 1024;

/**
 * Prolific signs `timestamp + body` (no separator) with HMAC-SHA256 and sends it base64-encoded.
 * Returns the digest that matched (with the Python form, when that is what matched), or undefined. The raw bytes are checked first. Prolific's
 * documented verification sample re-serialises the parsed body with Python's `json.dumps`, and
 * which bytes Prolific signs is not confirmed (providers.md), so for small bodies that form is the
 * second and last candidate — only when it differs from the raw bytes. It is made by one pass over
 * the bytes (pythonJsonForm), never by parsing the body. JSON.stringify's form never is a candidate.
 */
export function prolificSignatureMatch(
	secret: string,
	timestamp: string,
	rawBody: Buffer,
	signature: string,
): { digest: Buffer; signedBody?: Buffer } | undefined {
	const provided = Buffer.from(signature, 'base64'); // decoded once for both candidates (the caller checked its form)
	if (provided.length !== 32) return undefined;
	const raw = hmacSha256(secret, timestamp, rawBody);
	if (timingSafeEqual(raw, provided)) return { digest: raw };
	if (rawBody.length > PYTHON_FORM_MAX_BYTES) return undefined;
	const pythonForm = pythonJsonForm(rawBody);
	if (!pythonForm) return undefined; // already in that form (checked above), or not JSON text
	const python = hmacSha256(secret, timestamp, pythonForm);
	// The form that matched is copied out of the reused buffer: the retry memory digests it.
	return timingSafeEqual(python, provided)
		? { digest: python, signedBody: Buffer.from(pythonForm) }
		: undefined;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
/** Python's short escapes, by code point; other control characters become \u00xx. */
const SHORT_ESCAPES: Record<number, string> = {
	0x22: '\\"',
	0x5c: '\\\\',
	0x0a: '\\n',
	0x0d: '\\r',
	0x09: '\\t',
	0x08: '\\b',
	0x0c: '\\f',
};
const HEX = '0123456789abcdef';
/** Bytes copied as they are: in a string, printable ASCII but `"` and `\`; outside, all but whitespace, `,`, `:` and `"`. */
const PLAIN_IN_STRING = new Uint8Array(256).map((_, byte) =>
	byte >= 0x20 && byte < 0x7f && byte !== QUOTE && byte !== BACKSLASH ? 1 : 0,
);
const PLAIN_OUTSIDE = new Uint8Array(256).map((_, byte) =>
	byte > 0x20 && byte !== 0x2c && byte !== 0x3a && byte !== QUOTE ? 1 : 0,
);
/** Where the run of plain bytes from `start` ends: a small function of its own, which V8 compiles to a tight loop. */
function plainRunEnd(bytes: Uint8Array, start: number, plain: Uint8Array): number {
	const length = bytes.length;
	let end = start;
	while (end < length && plain[bytes[end]] === 1) end++;
	return end;
}
const isWhitespace = (byte: number | undefined) =>
	byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;

/** Reused output of pythonJsonForm: a fresh buffer per forged delivery would cost more than the pass. */
let scratch = Buffer.alloc(0);

/**
 * The bytes Python's `json.dumps(json.loads(body))` writes with its defaults — ", " and ": "
 * between items, every character outside printable ASCII as a lower-case \uXXXX escape (UTF-16
 * pairs above U+FFFF), `\/` and escaped printable characters written plain — made in one pass over
 * the JSON text without building any object. Numbers and key order are kept as they are. Returns
 * undefined when nothing changes or the bytes are not well-formed JSON text of that kind; the bytes
 * returned are valid until the next call (they are hashed right away).
 */
export function pythonJsonForm(body: Buffer): Buffer | undefined {
	// Every byte becomes at most 3 (a UTF-8 sequence as \uXXXX, a separator plus its space).
	if (scratch.length < body.length * 3 + 16)
		scratch = Buffer.allocUnsafe(Math.max(body.length * 3 + 16, 4096));
	const out = scratch;
	let at = 0;
	let changed = false;
	const put = (byte: number) => (out[at++] = byte);
	const putEscape = (code: number) => {
		const short = SHORT_ESCAPES[code];
		if (short !== undefined) {
			at += out.write(short, at, 'latin1');
		} else if (code >= 0x20 && code < 0x7f) {
			put(code);
		} else {
			put(BACKSLASH);
			put(0x75); // u
			for (let shift = 12; shift >= 0; shift -= 4) put(HEX.charCodeAt((code >> shift) & 0xf));
		}
	};
	let inString = false;
	for (let i = 0; i < body.length; i++) {
		// Runs of bytes that stay as they are (most of a body) are copied at once.
		const end = plainRunEnd(body, i, inString ? PLAIN_IN_STRING : PLAIN_OUTSIDE);
		if (end > i) {
			if (end - i > 64) at += body.copy(out, at, i, end);
			else for (let k = i; k < end; k++) out[at++] = body[k]; // cheaper than a native call for short runs
			i = end - 1;
			continue;
		}
		const byte = body[i];
		if (!inString) {
			if (isWhitespace(byte)) {
				changed = true; // whitespace between tokens: Python writes only its own separators
				continue;
			}
			put(byte);
			if (byte === 0x2c || byte === 0x3a) {
				put(0x20);
				// Unchanged only where the raw bytes have exactly this one space after it.
				if (body[i + 1] === 0x20 && !isWhitespace(body[i + 2])) i++;
				else changed = true;
			} else if (byte === QUOTE) {
				inString = true;
			}
			continue;
		}
		if (byte === QUOTE) {
			put(byte);
			inString = false;
		} else if (byte === BACKSLASH) {
			const next = body[i + 1];
			if (next === 0x75) {
				const hex = body.toString('latin1', i + 2, i + 6);
				if (!/^[0-9a-fA-F]{4}$/.test(hex)) return undefined;
				const code = parseInt(hex, 16);
				const before = at;
				putEscape(code);
				if (out.toString('latin1', before, at) !== body.toString('latin1', i, i + 6))
					changed = true;
				i += 5;
			} else if (next === 0x2f) {
				put(0x2f); // \/ is written /
				changed = true;
				i++;
			} else if (
				next === QUOTE ||
				next === BACKSLASH ||
				next === 0x62 ||
				next === 0x66 ||
				next === 0x6e ||
				next === 0x72 ||
				next === 0x74
			) {
				put(byte);
				put(next);
				i++;
			} else {
				return undefined;
			}
		} else if (byte < 0x20) {
			return undefined; // a raw control character is not JSON
		} else if (byte < 0x7f) {
			put(byte);
		} else {
			// A UTF-8 sequence (or DEL): its code point as Python escapes it.
			const length = byte === 0x7f ? 1 : byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 0;
			if (length === 0 || i + length > body.length) return undefined;
			let code = length === 1 ? byte : byte & (0xff >> (length + 1));
			for (let k = 1; k < length; k++) {
				const continuation = body[i + k];
				if ((continuation & 0xc0) !== 0x80) return undefined;
				code = (code << 6) | (continuation & 0x3f);
			}
			if (code > 0xffff) {
				const offset = code - 0x10000;
				putEscape(0xd800 + (offset >> 10));
				putEscape(0xdc00 + (offset & 0x3ff));
			} else {
				putEscape(code);
			}
			changed = true;
			i += length - 1;
		}
	}
	return changed && !inString ? out.subarray(0, at) : undefined;
}
