/**
 * The compiled fast path of payload validation (nodes/shared/validate.ts) against zod itself:
 * it accepts every provider sample (so deliveries take the fast path) and never accepts anything
 * zod would reject, over generated mutations of the samples and arbitrary JSON.
 */
import fc from 'fast-check';
import type { ZodType, ZodTypeDef } from 'zod';
import { z } from 'zod';

import { cintEventSchema } from '../nodes/CintTrigger/events';
import { poltioEventSchema } from '../nodes/PoltioTrigger/events';
import { prolificEventSchema } from '../nodes/ProlificTrigger/events';
import { refinerEventSchema } from '../nodes/RefinerTrigger/events';
import { screebEventSchema } from '../nodes/ScreebTrigger/events';
import { compileCheck, compileValidator } from '../nodes/shared/validate';
import { fixture } from './helpers/fixtures';

const schemas: Array<[string, ZodType<unknown, ZodTypeDef, unknown>, string[]]> = [
	['prolific', prolificEventSchema, ['submission.status.change', 'study.status.change', 'study.progress.change', 'study.has_high_return_rate']],
	['cint', cintEventSchema, ['session-updated', 'target-group-updated', 'quota-fill-registered']],
	['screeb', screebEventSchema, ['response.displayed', 'response.answered-2.0.0', 'response.answered-2.1.0', 'response.answered-1.3.0', 'response.ended']],
	['refiner', refinerEventSchema, ['completed-survey', 'saw-survey', 'dismissed-survey', 'contact-only']],
	['poltio', poltioEventSchema, ['session-completed', 'session-incomplete']],
];

/** Replaces the value at a random path of a JSON tree. */
function mutate(value: unknown, steps: number[], replacement: unknown): unknown {
	if (steps.length === 0 || value === null || typeof value !== 'object') return replacement;
	const keys = Object.keys(value as object);
	if (keys.length === 0) return replacement;
	const key = keys[steps[0] % keys.length];
	const copy: any = Array.isArray(value) ? [...value] : { ...value };
	copy[key] = mutate(copy[key], steps.slice(1), replacement);
	return copy;
}

describe.each(schemas)('%s schema', (provider, schema, samples) => {
	const check = compileCheck(schema)!;

	it('compiles to a fast predicate that accepts every sample', () => {
		expect(check).toBeDefined();
		for (const name of samples) expect(check(JSON.parse(fixture(provider, name)))).toBe(true);
	});

	it('never accepts what zod rejects, and agrees with zod on the result', () => {
		const validate = compileValidator(schema);
		fc.assert(
			fc.property(
				fc.nat({ max: samples.length - 1 }),
				fc.array(fc.nat(), { maxLength: 5 }),
				fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constant(undefined), fc.constant(null)),
				(index, steps, replacement) => {
					const value = mutate(JSON.parse(fixture(provider, samples[index])), steps, replacement);
					if (check(value)) expect(schema.safeParse(value).success).toBe(true);
					expect(validate(value).success).toBe(schema.safeParse(value).success);
				},
			),
			{ numRuns: 2000 },
		);
		fc.assert(
			fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
				if (check(value)) expect(schema.safeParse(value).success).toBe(true);
			}),
			{ numRuns: 1000 },
		);
	});
});

it('falls back to zod for what it does not compile, and reports zod’s error', () => {
	const schema = z.object({ n: z.number().int(), s: z.string().email() }).passthrough();
	expect(compileCheck(schema)).toBeUndefined();
	const validate = compileValidator(schema);
	expect(validate({ n: 1, s: 'a@b.co' }).success).toBe(true);
	const result = validate({ n: 1.5, s: 'x' });
	expect(result.success).toBe(false);
});
