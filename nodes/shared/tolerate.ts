import type { ZodIssue } from 'zod';

import { hasOwn } from './json';
import { printable } from './log';
import type { Validated } from './validate';

/**
 * The tolerant reader. A verified delivery came from the provider, and for these providers a 4xx
 * loses it, so a JSON object that does not fit its schema is brought as close as it goes instead of
 * being refused:
 * - the encodings providers commonly use for the same thing are normalised silently: `[]` for an
 *   empty object (PHP/Laravel), numbers and numeric strings for each other, `"true"`/`1` for a
 *   boolean, and null for an absent optional field;
 * - whatever still does not fit is left out, and a warning names it.
 * Works on zod's public issue list (`code`, `expected`, `path`), and words the warnings itself, so
 * that they read the same in zod 3 and 4.
 */
export interface Tolerated<T> {
	/** The value after fix-ups, valid for the schema; undefined when it could not be made to fit. */
	data: T | undefined;
	/** What was left out or could not be read, one line per problem (never a value from the body). */
	warnings: string[];
}

const MAX_PASSES = 12;
/** Warnings an item carries at most; the rest are counted in one last line. */
export const MAX_WARNINGS = 100;
type Container = Record<string, unknown> | unknown[];

/**
 * Linear in the body: each pass validates once and fixes every issue it reported; list items are
 * only marked for removal while a pass runs (so no pending path shifts) and every list that lost
 * some is compacted once at the end of the pass. Passes are few and bounded (MAX_PASSES).
 */
export function tolerate<T>(
	received: Record<string, unknown>,
	validate: (value: unknown) => Validated<T>,
	/** The validation of `received` already made (it failed), so the first pass need not repeat it. */
	firstResult?: Validated<T>,
): Tolerated<T> {
	// Fix-ups work on copies made as they go (copy-on-write): the body as received stays untouched
	// for the item, and is never parsed or copied whole a second time.
	const owned = new WeakSet<object>();
	const value = { ...received };
	owned.add(value);
	const warnings: string[] = [];
	let unlisted = 0;
	const warn = (text: string) =>
		warnings.length < MAX_WARNINGS ? warnings.push(text) : unlisted++;
	const done = (data: T | undefined): Tolerated<T> => {
		if (unlisted) warnings.push(`(body): ${unlisted} more problems not listed`);
		return { data, warnings };
	};
	for (let pass = 0; pass < MAX_PASSES; pass++) {
		const result = pass === 0 && firstResult ? firstResult : validate(value);
		if (result.success) return done(result.data);
		let changed = false;
		const shortened = new Set<unknown[]>();
		// What each issue found, read before any fix-up of this pass changes the value.
		const foundAt = new Map(
			result.error.issues.map((issue) => [issue, valueAt(value, issue.path)]),
		);
		for (const issue of result.error.issues) {
			const found = foundAt.get(issue);
			const outcome =
				fix(value, issue, shortened, owned) ??
				removeEnclosingListItem(value, issue, shortened, owned);
			if (outcome === 'stuck') continue;
			changed = true;
			if (outcome === 'normalised') continue;
			const where = outcome.removed.length < issue.path.length ? ` at ${pathText(issue.path)}` : '';
			warn(`${pathText(outcome.removed)}: ${issueText(issue, found)}${where} (left out)`);
		}
		for (const list of shortened) compact(list);
		if (!changed) {
			for (const issue of result.error.issues)
				warn(`${pathText(issue.path)}: ${issueText(issue, foundAt.get(issue))}`);
			return done(undefined);
		}
	}
	warn('(body): too many problems to read it');
	return done(undefined);
}

/** Stands for a list item removed during a pass; compact() takes them out. */
const REMOVED = Symbol('removed');

function compact(list: unknown[]): void {
	let kept = 0;
	for (const item of list) if (item !== REMOVED) list[kept++] = item;
	list.length = kept;
}

type Outcome = 'normalised' | { removed: ReadonlyArray<PropertyKey> } | 'stuck';

/** Normalises or removes the value an issue names; undefined when there is no value there. */
function fix(
	root: Record<string, unknown>,
	issue: ZodIssue,
	shortened: Set<unknown[]>,
	owned: WeakSet<object>,
): Outcome | undefined {
	if (issue.path.length === 0) return 'stuck';
	const parent = writableAt(root, issue.path.slice(0, -1), owned);
	const key = issue.path[issue.path.length - 1];
	if (!parent) return 'stuck';
	const current = childOf(parent, key);
	if (current === undefined) return undefined;
	if (current === REMOVED) return 'normalised'; // its list item went with another issue of this pass
	const expected = (issue as { expected?: unknown }).expected;
	const normalised = issue.code === 'invalid_type' ? normalise(current, expected) : NOTHING;
	if (normalised !== NOTHING) {
		set(parent, key, normalised);
		return 'normalised';
	}
	if (current === null) {
		remove(parent, key, shortened); // null for an absent optional field
		return 'normalised';
	}
	remove(parent, key, shortened);
	return { removed: issue.path };
}

/**
 * A required field is missing: the list item that holds it (e.g. one answer, one change) is left
 * out, the rest of the list kept. Stuck when no list encloses it.
 */
function removeEnclosingListItem(
	root: Record<string, unknown>,
	issue: ZodIssue,
	shortened: Set<unknown[]>,
	owned: WeakSet<object>,
): Outcome {
	for (let index = issue.path.length - 1; index > 0; index--) {
		if (typeof issue.path[index] !== 'number') continue;
		if (!Array.isArray(containerAt(root, issue.path.slice(0, index)))) continue;
		const list = writableAt(root, issue.path.slice(0, index), owned) as unknown[];
		if (list[Number(issue.path[index])] === REMOVED) return 'normalised'; // another issue of this item removed it
		remove(list, issue.path[index], shortened);
		return { removed: issue.path.slice(0, index + 1) };
	}
	return 'stuck';
}

const NOTHING = Symbol('nothing');

/** The same value in the encoding the schema expects, or NOTHING when it is not a common encoding. */
function normalise(value: unknown, expected: unknown): unknown {
	if (
		(expected === 'object' || expected === 'record') &&
		Array.isArray(value) &&
		value.length === 0
	)
		return {};
	if (expected === 'number' && typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim()))
		return Number(value);
	if (expected === 'string' && typeof value === 'number' && Number.isFinite(value))
		return String(value);
	if (expected === 'boolean') {
		if (value === 'true' || value === 1 || value === '1') return true;
		if (value === 'false' || value === 0 || value === '0') return false;
	}
	return NOTHING;
}

function containerAt(
	root: Record<string, unknown>,
	path: ReadonlyArray<PropertyKey>,
): Container | undefined {
	let current: unknown = root;
	for (const key of path) {
		if (Array.isArray(current)) current = current[Number(key)];
		else if (current && typeof current === 'object' && hasOwn(current, String(key)))
			current = (current as Record<string, unknown>)[String(key)];
		else return undefined;
	}
	return current && typeof current === 'object' ? (current as Container) : undefined;
}

/**
 * The container at `path`, made writable: every container on the way that is still the received
 * one is replaced by a shallow copy (once), so that fix-ups never touch the body as received.
 */
function writableAt(
	root: Record<string, unknown>,
	path: ReadonlyArray<PropertyKey>,
	owned: WeakSet<object>,
): Container | undefined {
	let current: Container = root;
	for (const key of path) {
		const child = childOf(current, key);
		if (!child || typeof child !== 'object') return undefined;
		let writable = child as Container;
		if (!owned.has(writable)) {
			writable = Array.isArray(writable) ? writable.slice() : { ...writable };
			owned.add(writable);
			set(current, key, writable);
		}
		current = writable;
	}
	return current;
}

function set(parent: Container, key: PropertyKey, value: unknown): void {
	if (Array.isArray(parent)) parent[Number(key)] = value;
	else
		Object.defineProperty(parent, String(key), {
			value,
			enumerable: true,
			writable: true,
			configurable: true,
		});
}

function remove(parent: Container, key: PropertyKey, shortened: Set<unknown[]>): void {
	if (Array.isArray(parent)) {
		parent[Number(key)] = REMOVED;
		shortened.add(parent);
	} else {
		delete parent[String(key)];
	}
}

/**
 * An issue in zod 3's words, whichever zod reported it: the type found where another was expected
 * ("Required" where nothing was), a string that is too short; other issues carry the message the
 * schema gave them (custom checks) or zod's own ("Invalid input").
 */
function issueText(issue: ZodIssue, found: unknown): string {
	const details = issue as {
		expected?: unknown;
		minimum?: unknown;
		type?: unknown;
		origin?: unknown;
	};
	if (issue.code === 'invalid_type') {
		if (found === undefined) return 'Required';
		const expected = details.expected === 'record' ? 'object' : String(details.expected);
		return `Expected ${expected}, received ${jsonType(found)}`;
	}
	if (issue.code === 'too_small' && (details.type === 'string' || details.origin === 'string')) {
		return `String must contain at least ${String(details.minimum)} character(s)`;
	}
	return issue.message;
}

function jsonType(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'array';
	if (typeof value === 'number' && Number.isNaN(value)) return 'nan';
	return typeof value;
}

function valueAt(root: Record<string, unknown>, path: ReadonlyArray<PropertyKey>): unknown {
	if (path.length === 0) return root;
	const parent = containerAt(root, path.slice(0, -1));
	return parent ? childOf(parent, path[path.length - 1]) : undefined;
}

/** An own element or property of a container (never one inherited from a prototype). */
function childOf(parent: Container, key: PropertyKey): unknown {
	if (Array.isArray(parent)) return parent[Number(key)];
	return hasOwn(parent, String(key)) ? parent[String(key)] : undefined;
}

/** A path as warnings name it; its keys come from the body, so each is escaped and cut. */
const pathText = (path: ReadonlyArray<PropertyKey>) =>
	path.length ? path.map((key) => printable(String(key))).join('.') : '(body)';
