import type { ZodError, ZodType, ZodTypeDef } from 'zod';

/**
 * Payload validation with zod as the schema language, made cheap on the hot path.
 *
 * zod's safeParse builds a new object tree and an issue context for every delivery, which costs
 * more than the HMAC and JSON.parse of a small body. Deliveries are almost always valid, so each
 * schema is compiled once into a plain predicate over the parsed JSON; when it accepts, the parsed
 * value itself is the result (schemas here pass unknown fields through, so nothing is lost). When
 * it rejects — or the schema uses something the compiler does not know — zod's own safeParse
 * decides and explains. The predicate is only ever stricter than zod, never looser: a test checks
 * both on generated input.
 */
export type Validated<T> = { success: true; data: T } | { success: false; error: ZodError };

type Check = (value: unknown) => boolean;
type Schema = { _def: Def };
/** The parts of zod 3's schema definitions the compiler reads (stable across zod 3 releases). */
interface Def {
	typeName?: string;
	checks?: Array<{ kind: string; value?: number }>;
	innerType?: Schema;
	options?: Schema[];
	type?: Schema;
	valueType?: Schema;
	keyType?: Schema;
	unknownKeys?: string;
	shape?: () => Record<string, Schema>;
	schema?: Schema;
	value?: unknown;
	values?: unknown[];
	minLength?: unknown;
	maxLength?: unknown;
	exactLength?: unknown;
	effect?: {
		type: string;
		refinement?: (value: unknown, ctx: unknown) => unknown;
		transform?: (value: unknown, ctx: unknown) => unknown;
	};
}

const UNSUPPORTED = Symbol('unsupported');

function compile(schema: Schema): Check | typeof UNSUPPORTED {
	const def = schema._def;
	switch (def.typeName) {
		case 'ZodString': {
			const checks = def.checks ?? [];
			if (checks.some((check) => check.kind !== 'min' && check.kind !== 'max')) return UNSUPPORTED;
			const min = checks.find((check) => check.kind === 'min')?.value ?? 0;
			const max = checks.find((check) => check.kind === 'max')?.value ?? Infinity;
			return (value) => typeof value === 'string' && value.length >= min && value.length <= max;
		}
		case 'ZodNumber':
			return def.checks?.length ? UNSUPPORTED : (value) => typeof value === 'number' && Number.isFinite(value);
		case 'ZodBoolean':
			return (value) => typeof value === 'boolean';
		case 'ZodUnknown':
		case 'ZodAny':
			return () => true;
		case 'ZodLiteral':
			return (value) => value === def.value;
		case 'ZodEnum':
			return (value) => (def.values ?? []).includes(value);
		case 'ZodOptional': {
			const inner = compile(def.innerType!);
			return inner === UNSUPPORTED ? UNSUPPORTED : (value) => value === undefined || inner(value);
		}
		case 'ZodNullable': {
			const inner = compile(def.innerType!);
			return inner === UNSUPPORTED ? UNSUPPORTED : (value) => value === null || inner(value);
		}
		case 'ZodUnion': {
			const options = (def.options ?? []).map((option) => compile(option));
			if (options.includes(UNSUPPORTED)) return UNSUPPORTED;
			return (value) => (options as Check[]).some((option) => option(value));
		}
		case 'ZodArray': {
			if (def.minLength || def.maxLength || def.exactLength) return UNSUPPORTED;
			const item = compile(def.type!);
			return item === UNSUPPORTED ? UNSUPPORTED : (value) => Array.isArray(value) && value.every(item);
		}
		case 'ZodRecord': {
			const item = compile(def.valueType!);
			if (item === UNSUPPORTED || def.keyType?._def.typeName !== 'ZodString' || def.keyType._def.checks?.length) return UNSUPPORTED;
			return (value) => isPlainObject(value) && Object.values(value).every(item);
		}
		case 'ZodObject': {
			// Only objects that keep unknown keys: then zod's output equals the input.
			if (def.unknownKeys !== 'passthrough') return UNSUPPORTED;
			const entries = Object.entries(def.shape!()).map(([key, field]) => [key, compile(field)] as const);
			if (entries.some(([, check]) => check === UNSUPPORTED)) return UNSUPPORTED;
			return (value) => isPlainObject(value) && entries.every(([key, check]) => (check as Check)(value[key]));
		}
		case 'ZodEffects': {
			// Refinements are pure predicates; transforms change the value, so only zod may run them.
			const refinement = def.effect?.type === 'refinement' ? def.effect.refinement : undefined;
			const inner = refinement ? compile(def.schema!) : UNSUPPORTED;
			if (!refinement || inner === UNSUPPORTED) return UNSUPPORTED;
			return (value) => {
				if (!inner(value)) return false;
				let issues = 0;
				const result = refinement(value, { addIssue: () => issues++, path: [] });
				return issues === 0 && result !== false && !(result instanceof Promise);
			};
		}
		default:
			return UNSUPPORTED;
	}
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

function rootPreprocess(def: Def): ((value: unknown) => unknown) | undefined {
	const transform = def.typeName === 'ZodEffects' && def.effect?.type === 'preprocess' ? def.effect.transform : undefined;
	if (!transform) return undefined;
	return (value) => transform(value, { addIssue: () => undefined, path: [] });
}

/** A root `z.preprocess` (e.g. upgrading an older payload version) and the fast predicate after it. */
function compileParts(schema: ZodType<unknown, ZodTypeDef, unknown>) {
	const def = (schema as unknown as Schema)._def;
	const preprocess = rootPreprocess(def);
	const check = compile(preprocess ? def.schema! : { _def: def });
	return { preprocess, check: check === UNSUPPORTED ? undefined : check };
}

/** The fast predicate for a schema, or undefined when it uses something the compiler does not know. */
export function compileCheck(schema: ZodType<unknown, ZodTypeDef, unknown>): ((value: unknown) => boolean) | undefined {
	const { preprocess, check } = compileParts(schema);
	if (!check) return undefined;
	return preprocess ? (value) => check(preprocess(value)) : check;
}

/** Compiles a schema once; use the returned function for every delivery. */
export function compileValidator<T>(schema: ZodType<T, ZodTypeDef, unknown>): (value: unknown) => Validated<T> {
	const { preprocess, check } = compileParts(schema);
	return (value) => {
		if (check) {
			const input = preprocess ? preprocess(value) : value;
			if (check(input)) return { success: true, data: input as T };
		}
		return schema.safeParse(value) as Validated<T>;
	};
}
