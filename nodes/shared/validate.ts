import type { ZodError, ZodType, ZodTypeDef } from 'zod';

/**
 * Payload validation through zod's public API only (`safeParse`), so that it gives the same results
 * on the zod 3.25 that n8n 1.x and 2.x ship and on zod 4, whichever the host resolves.
 *
 * The event handed on is the checked value itself, not zod's copy: payload schemas pass unknown
 * keys through and transform nothing, and zod's copy would leave out keys named `__proto__`, which
 * a survey author may type. A provider's `prepare` step (Screeb upgrades older payload versions)
 * runs first.
 */
export type Validated<T> = { success: true; data: T } | { success: false; error: ZodError };

export type Validator<T> = (value: unknown) => Validated<T>;

export function validatorOf<T>(
	schema: ZodType<T, ZodTypeDef, unknown>,
	prepare?: (body: unknown) => unknown,
): Validator<T> {
	return (value) => {
		const input = prepare ? prepare(value) : value;
		const result = schema.safeParse(input);
		return result.success
			? { success: true, data: input as T }
			: { success: false, error: result.error };
	};
}
