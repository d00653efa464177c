import { digestMatches, hmacSha256 } from '../shared/verify';

export const SIGNATURE_HEADER = 'x-prolific-request-signature';
export const TIMESTAMP_HEADER = 'x-prolific-request-timestamp';

/**
 * The largest body for which the Python re-serialised form is tried as a second candidate.
 * Prolific's documented bodies are a few hundred bytes; the bound keeps a forged delivery at one
 * HMAC over its bytes plus, for small bodies only, one more over at most this many.
 */
export const PYTHON_FORM_MAX_BYTES = 64 * 1024;

/**
 * Prolific signs `timestamp + body` (no separator) with HMAC-SHA256 and sends it base64-encoded.
 * Returns the digest that matched, or undefined. The raw bytes are checked first. Prolific's
 * documented verification sample re-serialises the parsed body with Python's `json.dumps`, and
 * which bytes Prolific signs is not confirmed (providers.md), so for small bodies that form is the
 * second and last candidate — only when it differs from the raw bytes. JSON.stringify never is.
 */
export function prolificSignatureMatch(
	secret: string,
	timestamp: string,
	rawBody: Buffer,
	signature: string,
): Buffer | undefined {
	const raw = hmacSha256(secret, timestamp, rawBody);
	if (digestMatches(raw, signature, 'base64')) return raw;
	if (rawBody.length > PYTHON_FORM_MAX_BYTES) return undefined;
	let pythonForm: string;
	try {
		pythonForm = pythonJsonDumps(JSON.parse(rawBody.toString('utf8')));
	} catch {
		return undefined; // not JSON, or nested too deeply to re-serialise
	}
	if (rawBody.equals(Buffer.from(pythonForm, 'utf8'))) return undefined; // same bytes, already checked
	const python = hmacSha256(secret, timestamp, pythonForm);
	return digestMatches(python, signature, 'base64') ? python : undefined;
}

/** Python's `json.dumps(value)` with its defaults: ", " and ": " separators, ASCII-only output. */
export function pythonJsonDumps(value: unknown): string {
	if (value === null) return 'null';
	if (typeof value === 'string') {
		return JSON.stringify(value).replace(
			/[\u007f-\uffff]/g,
			(char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
		);
	}
	if (typeof value === 'number') {
		// Python writes exponents with at least two digits (1e-07, not 1e-7).
		return String(value).replace(/e([+-])(\d)$/, 'e$10$2');
	}
	if (typeof value === 'boolean') return value ? 'true' : 'false';
	if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`;
	const entries = Object.entries(value as Record<string, unknown>);
	return `{${entries.map(([key, item]) => `${pythonJsonDumps(key)}: ${pythonJsonDumps(item)}`).join(', ')}}`;
}
