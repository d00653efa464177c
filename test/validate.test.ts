/**
 * Payload validation (nodes/shared/validate.ts) against zod itself, on whichever zod this run
 * resolves (the unit suite runs once with zod 3, once with zod 4): every provider sample passes,
 * and over generated mutations the validator agrees with zod's safeParse on the verdict, on the
 * data, and on the error it reports.
 */
import fc from 'fast-check';
import { z } from 'zod';

import { validatorOf } from '../nodes/shared/validate';
import { PROVIDERS } from '../scripts/lib/providers';
import { fixture } from './helpers/fixtures';

/** Each provider's receiver, as the registry takes it from the node code. */
const schemas = PROVIDERS.map(
	({ provider, receiver, fixtures }) =>
		[provider, receiver.schema, fixtures, receiver.prepare] as const,
);

/** Replaces the value at a random path of a JSON tree. */
function mutate(value: unknown, steps: number[], replacement: unknown): unknown {
	if (steps.length === 0 || value === null || typeof value !== 'object') return replacement;
	const keys = Object.keys(value as object);
	if (keys.length === 0) return replacement;
	const key = keys[steps[0] % keys.length];
	const copy = (Array.isArray(value) ? [...value] : { ...value }) as Record<string, unknown>;
	copy[key] = mutate(copy[key], steps.slice(1), replacement);
	return copy;
}

describe.each(schemas)('%s schema', (provider, schema, samples, prepare) => {
	const validate = validatorOf(schema, prepare);
	const zodVerdict = (value: unknown) => schema.safeParse(prepare ? prepare(value) : value);

	it('accepts every sample and hands on the sample itself', () => {
		for (const name of samples) {
			const sample = JSON.parse(fixture(provider, name));
			const result = validate(sample);
			expect(result.success).toBe(true);
			if (!prepare) expect(result.success && result.data).toBe(sample);
		}
	});

	it('agrees with zod on the verdict, the data and the reported error', () => {
		fc.assert(
			fc.property(
				fc.nat({ max: samples.length - 1 }),
				fc.array(fc.nat(), { maxLength: 5 }),
				fc.oneof(
					fc.jsonValue({ maxDepth: 3 }),
					fc.constant(undefined),
					fc.constant(null),
					fc.constant([]),
				),
				(index, steps, replacement) => {
					const value = mutate(JSON.parse(fixture(provider, samples[index])), steps, replacement);
					const ours = validate(value);
					const zods = zodVerdict(value);
					expect(ours.success).toBe(zods.success);
					// zod's copy leaves out keys named __proto__; ours keeps them (compared elsewhere).
					if (
						ours.success &&
						zods.success &&
						!JSON.stringify(value ?? null).includes('"__proto__"')
					)
						expect(ours.data).toEqual(zods.data);
					if (!ours.success && !zods.success) expect(ours.error.issues).toEqual(zods.error.issues);
				},
			),
			{ numRuns: 1000 },
		);
	});
});

it('keeps keys named like prototype members, which zod’s own copy leaves out', () => {
	const schema = z.object({ metadata: z.record(z.string(), z.unknown()) }).passthrough();
	const body = JSON.parse(
		'{"metadata":{"__proto__":{"polluted":true},"constructor":1},"__proto__":2}',
	);
	const result = validatorOf(schema)(body);
	expect(result.success).toBe(true);
	const data = (result.success ? result.data : {}) as { metadata: object };
	expect(Object.getOwnPropertyDescriptor(data, '__proto__')?.value).toBe(2);
	expect(Object.getOwnPropertyDescriptor(data.metadata, '__proto__')?.value).toEqual({
		polluted: true,
	});
	expect(Object.getPrototypeOf(data.metadata)).toBe(Object.prototype);
	expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
});

it('reports zod’s error for a value that does not fit', () => {
	const schema = z.object({ n: z.number().int(), s: z.string().email() }).passthrough();
	const result = validatorOf(schema)({ n: 1.5, s: 'x' });
	expect(result.success).toBe(false);
	if (result.success) return;
	// The codes are zod's own, and differ between versions (zod 4 says invalid_format, zod 3 invalid_string).
	expect(result.error.issues.map((issue) => issue.path.join('.'))).toEqual(['n', 's']);
	expect(result.error.issues.map((issue) => issue.code)).toEqual(
		schema.safeParse({ n: 1.5, s: 'x' }).error?.issues.map((issue) => issue.code),
	);
	expect(result.error.issues[0].code).toBe('invalid_type');
});
