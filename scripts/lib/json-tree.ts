import type { IDataObject } from 'n8n-workflow';

/** A JSON object of a sample, a delivery or a reply that tests and scripts read and change without a schema. */
export type JsonObject = IDataObject;

const isJsonObject = (value: unknown): value is JsonObject =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

/** The object at a path of a JSON tree; missing (or non-object) steps are replaced by empty objects. */
export function objectAt(tree: JsonObject, ...path: string[]): JsonObject {
	let current = tree;
	for (const key of path) {
		const next = current[key];
		current = isJsonObject(next) ? next : (current[key] = {});
	}
	return current;
}

/** A shallow copy of an object without the named keys. */
export function without<T extends object, K extends keyof T>(
	object: T,
	keys: readonly K[],
): Omit<T, K> {
	const copy = { ...object };
	for (const key of keys) delete copy[key];
	return copy;
}

/** The container holding the last step of a dotted path ("answers.0.answer": list indexes as numbers). */
function parentOf(tree: JsonObject, path: string): [Record<string, unknown>, string] {
	const steps = path.split('.');
	const last = steps.pop() as string;
	let current: unknown = tree;
	for (const step of steps) current = (current as Record<string, unknown>)[step];
	if (typeof current !== 'object' || current === null)
		throw new Error(`${path}: no object or list holds ${last}`);
	return [current as Record<string, unknown>, last];
}

/** Sets the value at a dotted path of a JSON tree (every step but the last must exist). */
export function setAt(tree: JsonObject, path: string, value: unknown): void {
	const [parent, key] = parentOf(tree, path);
	parent[key] = value;
}

/** Removes the value at a dotted path of a JSON tree. */
export function deleteAt(tree: JsonObject, path: string): void {
	const [parent, key] = parentOf(tree, path);
	delete parent[key];
}

/** Every string in a JSON value, keys included. */
export function stringsIn(value: unknown): string[] {
	if (typeof value === 'string') return [value];
	if (Array.isArray(value)) return value.flatMap(stringsIn);
	if (value && typeof value === 'object')
		return Object.entries(value).flatMap(([key, item]) => [key, ...stringsIn(item)]);
	return [];
}

/** A JSON text as Python's `json.dumps` writes it by default: ", " and ": " between items, every character outside printable ASCII escaped (numbers as JavaScript writes them). */
export function pythonJsonDumps(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`;
	if (value !== null && typeof value === 'object')
		return `{${Object.entries(value)
			.map(([key, item]) => `${asciiJson(key)}: ${pythonJsonDumps(item)}`)
			.join(', ')}}`;
	return typeof value === 'string' ? asciiJson(value) : JSON.stringify(value);
}

const asciiJson = (text: string) =>
	JSON.stringify(text).replace(
		/[\u007f-\uffff]/g,
		(char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
	);
