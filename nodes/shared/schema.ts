import { z, type ZodIssue, type ZodType, type ZodTypeDef } from 'zod';

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

/** Misfitting items a list may hold before it is given up on as a whole (listOf). */
export const MAX_LIST_MISFITS = 100;

/**
 * A list whose items are validated one at a time. `z.array` materialises an issue for every item
 * that does not fit before anything can stop it: a verified body of numbers where objects are
 * expected is an issue per two bytes, enough to exhaust n8n's memory. Here the first
 * MAX_LIST_MISFITS items that do not fit are reported as zod reports them (the tolerant reader
 * leaves them out); past that, nothing more is validated and one issue names the whole list (left
 * out of the shaped item; the untouched body still carries it).
 */
export function listOf<T>(
	item: ZodType<T, ZodTypeDef, unknown>,
): ZodType<T[], ZodTypeDef, unknown> {
	// A list no longer than the bound cannot hold more misfits than that: one parse of it all.
	const short = z.array(item);
	return z.any().superRefine((value: unknown, issues) => {
		if (!Array.isArray(value)) {
			issues.addIssue({
				code: 'invalid_type',
				expected: 'array',
				received: value === null ? 'null' : typeof value,
			} as never);
			return;
		}
		if (value.length <= MAX_LIST_MISFITS) {
			const result = short.safeParse(value);
			if (!result.success) for (const issue of result.error.issues) issues.addIssue(issue as never);
			return;
		}
		const found: ZodIssue[] = [];
		let misfits = 0;
		for (let index = 0; index < value.length; index++) {
			const result = item.safeParse(value[index]);
			if (result.success) continue;
			if (++misfits > MAX_LIST_MISFITS) {
				issues.addIssue({
					code: 'custom',
					message: `more than ${MAX_LIST_MISFITS} of its ${value.length} items do not fit`,
				});
				return;
			}
			for (const issue of result.error.issues)
				found.push({ ...issue, path: [index, ...issue.path] });
		}
		for (const issue of found) issues.addIssue(issue as never);
	}) as ZodType<T[], ZodTypeDef, unknown>;
}
