import { z } from 'zod';

/** Building blocks every provider's payload schema uses, with one meaning per name. */

/** A text field that may be absent or null. */
export const nullableText = z.string().nullish();
