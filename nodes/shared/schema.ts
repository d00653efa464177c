import { z } from 'zod';

/** Building blocks every provider's payload schema uses, with one meaning per name. */

/** A text field that may be absent or null. */
export const nullableText = z.string().nullish();

/**
 * A JSON object of any keys (metadata, attributes, answers keyed by field). Written with a key type,
 * as zod 4 requires; the same meaning in zod 3.
 */
export const jsonMap = z.record(z.string(), z.unknown());

/**
 * A string or a number (ids and counts that providers send either way). A check rather than
 * `z.union`: zod 3 builds an issue for every branch that does not match, on every delivery.
 */
export const textOrNumber = z.custom<string | number>(
	(value) => typeof value === 'string' || typeof value === 'number',
	'Expected a string or a number',
);
