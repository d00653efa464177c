import { z } from 'zod';

/** Building blocks every provider's payload schema uses, with one meaning per name. */

/** A text field that may be absent or null. */
export const nullableText = z.string().nullish();

/**
 * A JSON object of any keys (metadata, attributes, answers keyed by field). Written with a key type,
 * as zod 4 requires; the same meaning in zod 3.
 */
export const jsonMap = z.record(z.string(), z.unknown());
