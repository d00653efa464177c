/**
 * Which fields of a provider's payload leave no trace in an item. Every leaf of the payload (a
 * value, or an empty object or list) must appear in the item under its own name — as sent or
 * camelCased — or under a name the coverage rules allow, with the same value or an equivalent one:
 * a number and its digits, two writings of one instant (ISO text, unix seconds, milliseconds), or
 * what a rule's `equivalent` accepts. A null or empty leaf needs only its name in the item.
 */
export interface CoverageRules {
	/** Payload paths (`a.b`, list items as `[]`) left out on purpose, each with its reason. */
	transport?: Record<string, string>;
	/** Payload field name → other names the item may give it. */
	aliases?: Record<string, string[]>;
	/** Equivalences no rule above covers, each named by the payload path it applies to. */
	equivalent?: Record<string, (value: unknown, item: Record<string, unknown>) => boolean>;
}

interface Leaf {
	path: string;
	/** The field name: the key, or the list's key for a list item. */
	name: string;
	value: unknown;
}

function leavesOf(value: unknown, path: string, name: string, into: Leaf[]): Leaf[] {
	if (Array.isArray(value)) {
		if (value.length === 0) into.push({ path, name, value });
		value.forEach((item, index) => leavesOf(item, `${path}[${index}]`, name, into));
	} else if (typeof value === 'object' && value !== null) {
		const keys = Object.keys(value);
		if (keys.length === 0) into.push({ path, name, value });
		for (const key of keys)
			leavesOf((value as Record<string, unknown>)[key], path ? `${path}.${key}` : key, key, into);
	} else into.push({ path, name, value });
	return into;
}

/** Every key of a value, at every depth. */
function keysOf(value: unknown, into: Set<string>): Set<string> {
	if (typeof value !== 'object' || value === null) return into;
	if (!Array.isArray(value)) for (const key of Object.keys(value)) into.add(key);
	for (const child of Object.values(value)) keysOf(child, into);
	return into;
}

const camelCase = (name: string) =>
	name.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
const genericPath = (path: string) => path.replace(/\[\d+\]/g, '[]');
const isEmpty = (value: unknown) =>
	value === null || (typeof value === 'object' && Object.keys(value as object).length === 0);

/** The instant a value names, in milliseconds, or undefined. */
function instantOf(value: unknown, name: string): number | undefined {
	if (typeof value === 'number') {
		if (/_ms$/.test(name) || value > 1e12) return value;
		if (/time|date|_at$/.test(name)) return value * 1000;
		return undefined;
	}
	if (typeof value !== 'string' || !/^\d{4}-\d\d-\d\d[T ]\d\d:\d\d/.test(value)) return undefined;
	// Sub-millisecond digits (Screeb writes nanoseconds) say nothing an item can hold.
	const time = Date.parse(value.replace(' ', 'T').replace(/(\.\d{3})\d+/, '$1'));
	return Number.isNaN(time) ? undefined : time;
}

function sameValue(sent: unknown, shown: unknown, name: string): boolean {
	if (sent === shown) return true;
	if (typeof sent !== 'object' && typeof shown !== 'object' && String(sent) === String(shown))
		return true;
	const instant = instantOf(sent, name);
	return instant !== undefined && instant === instantOf(shown, 'time');
}

/** The payload paths whose information appears nowhere in the item, in payload order. */
export function missingFields(
	payload: unknown,
	item: Record<string, unknown>,
	rules: CoverageRules = {},
): string[] {
	const shown = leavesOf(item, '', '', []);
	const shownNames = keysOf(item, new Set());
	const missing: string[] = [];
	for (const leaf of leavesOf(payload, '', '', [])) {
		const path = genericPath(leaf.path);
		if (rules.transport?.[path] !== undefined) continue;
		const equivalent = rules.equivalent?.[path];
		if (equivalent?.(leaf.value, item)) continue;
		const names = new Set([leaf.name, camelCase(leaf.name), ...(rules.aliases?.[leaf.name] ?? [])]);
		const found = isEmpty(leaf.value)
			? [...names].some((name) => shownNames.has(name))
			: shown.some(
					(candidate) =>
						names.has(candidate.name) && sameValue(leaf.value, candidate.value, leaf.name),
				);
		if (!found) missing.push(leaf.path);
	}
	return missing;
}
