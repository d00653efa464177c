import { digestMatches, hmacSha256 } from '../shared/verify';

export const SIGNATURE_HEADER = 'x-prolific-request-signature';
export const TIMESTAMP_HEADER = 'x-prolific-request-timestamp';

/**
 * Prolific signs `timestamp + body` (no separator) with HMAC-SHA256 and sends it base64-encoded.
 * The raw bytes are checked first. Prolific's own sample re-serialises the body with Python's
 * `json.dumps`, so that form is accepted as a second candidate; JSON.stringify never is.
 */
export function prolificSignatureMatches(
	secret: string,
	timestamp: string,
	rawBody: Buffer,
	signature: string,
): boolean {
	const sign = (body: string | Buffer) => hmacSha256(secret, timestamp, body);
	if (digestMatches(sign(rawBody), signature, 'base64')) return true;
	try {
		return digestMatches(sign(pythonJsonDumps(JSON.parse(rawBody.toString('utf8')))), signature, 'base64');
	} catch {
		// Not JSON, or nested too deeply to re-serialise: no second candidate.
		return false;
	}
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
