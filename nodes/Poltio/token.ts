import { createHash, randomBytes, timingSafeEqual } from 'crypto';

/**
 * Poltio's URL token. The trigger registers its webhook URL with a random token and keeps only the
 * token's SHA-256 (`sha256:<hex>`) in static data, which whoever may read the workflow can read: a
 * hash lets it check a delivery's token, not write one. Static data of an older version holds the
 * token itself, which is checked the same way until the next publish replaces it.
 */
const HASHED = 'sha256:';

/** 32 random bytes, base64url: 43 characters. */
export const newToken = () => randomBytes(32).toString('base64url');

/** The same shape, for redacting tokens from error text without knowing them. */
export const TOKEN_SHAPE = /[A-Za-z0-9_-]{43}/g;

const digestOf = (token: string) => createHash('sha256').update(token, 'utf8').digest();

export const hashToken = (token: string) => `${HASHED}${digestOf(token).toString('hex')}`;

export const isHashed = (stored: string) => stored.startsWith(HASHED);

/**
 * The token that matched each stored hash in this process, so that the deliveries after the first
 * are checked without hashing (bounded; the oldest go first).
 */
const MAX_KNOWN = 1_000;
const known = new Map<string, Buffer>();

/**
 * Whether a received token is the stored one, in constant time: against the token that matched
 * before when the lengths agree (every token is 43 characters, so a length says nothing), else as
 * SHA-256 digests.
 */
export function tokenMatches(stored: string, received: string): boolean {
	const before = known.get(stored);
	if (before !== undefined && received.length === before.length) {
		const candidate = Buffer.from(received, 'utf8');
		if (candidate.length === before.length && timingSafeEqual(candidate, before)) return true;
	}
	const expected = isHashed(stored)
		? Buffer.from(stored.slice(HASHED.length), 'hex')
		: digestOf(stored);
	const digest = digestOf(received);
	if (expected.length !== digest.length || !timingSafeEqual(expected, digest)) return false;
	if (known.size >= MAX_KNOWN) known.delete(known.keys().next().value as string);
	known.set(stored, Buffer.from(received, 'utf8'));
	return true;
}
