import type { IDataObject } from 'n8n-workflow';

/**
 * Keyed output built from strings a survey author or a provider chose (question titles, change
 * names, header names). Plain assignment would let `__proto__` swap the object's prototype and
 * `key in object` would see `constructor` or `toString` as already present; these helpers make every
 * key an own, enumerable property of an ordinary object and look only at own properties.
 */
export function hasOwn(object: object, key: string): boolean {
	return Object.prototype.hasOwnProperty.call(object, key);
}

/** A JSON object (not an array, not null). */
export const isObject = (value: unknown): value is Record<string, unknown> =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

/** Sets `object[key] = value` as an own, enumerable data property, whatever the key is. */
export function setOwn(object: IDataObject, key: string, value: IDataObject[string]): void {
	Object.defineProperty(object, key, {
		value,
		enumerable: true,
		writable: true,
		configurable: true,
	});
}

/** Sets the key only when the object does not have it yet (the first value of a repeated key wins). */
export function setOwnOnce(object: IDataObject, key: string, value: IDataObject[string]): void {
	if (!hasOwn(object, key)) setOwn(object, key, value);
}

/** The own value of `key` in a lookup table, never one inherited from Object.prototype. */
export function ownValue<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
	return hasOwn(table, key) ? table[key] : undefined;
}

/** A value for an item field: absent becomes null, so every documented field is present. */
export const orNull = (value: unknown) =>
	(value === undefined ? null : value) as IDataObject[string];

/**
 * A survey's answers as items show them: `answers` keyed by question title (a title that repeats
 * keeps its first answer there; a question without one is "question N") and `answerList`, every
 * answer in order with its question id and the provider's details.
 */
export function answerTable(
	questions: Array<{
		questionId: IDataObject[string];
		title: string | undefined;
		value: IDataObject[string];
		details: IDataObject;
	}>,
): { answers: IDataObject; answerList: IDataObject[] } {
	const answers: IDataObject = {};
	const answerList: IDataObject[] = [];
	for (const { questionId, title, value, details } of questions) {
		const question = title ?? `question ${answerList.length + 1}`;
		setOwnOnce(answers, question, value);
		answerList.push({ questionId, question, ...details });
	}
	return { answers, answerList };
}

/** The keys n8n's deepCopy drops (n8n-workflow `reservedCopyKeys`), followed by any underscores. */
const RESERVED_KEY = /^(?:__proto__|constructor|prototype)_*$/;

/**
 * A key as items carry it: n8n drops `__proto__`, `constructor` and `prototype` from every item it
 * copies, so such a key — and one that already ends in underscores after such a name — gets one
 * more `_` (`constructor` → `constructor_`, `constructor_` → `constructor__`): it survives n8n, and
 * two keys never become one.
 */
export const itemKey = (key: string): string => (RESERVED_KEY.test(key) ? `${key}_` : key);

/**
 * Renames, at every depth and in place, the keys n8n would drop (see itemKey), keeping the order of
 * the other keys. Iterative, so a deeply nested value cannot exhaust the stack; linear in size.
 */
export function keepReservedKeys(root: IDataObject): IDataObject {
	const pending: object[] = [root];
	while (pending.length) {
		const value = pending.pop() as object;
		if (Array.isArray(value)) {
			for (const element of value)
				if (typeof element === 'object' && element !== null) pending.push(element);
			continue;
		}
		const object = value as IDataObject;
		let reserved = false;
		// for…in over an item's plain objects (own keys only: their prototype has no enumerable ones); no key array on this path, which runs on every item.
		for (const key in object) {
			// Cheap first look (`_`, `c`, `p`) before the pattern.
			const first = key.charCodeAt(0);
			if ((first === 0x5f || first === 0x63 || first === 0x70) && RESERVED_KEY.test(key))
				reserved = true;
			const child = object[key];
			if (typeof child === 'object' && child !== null) pending.push(child);
		}
		if (!reserved) continue;
		const keys = Object.keys(object);
		const entries = keys.map((key) => [itemKey(key), object[key]] as const);
		for (const key of keys) delete object[key];
		for (const [key, item] of entries) setOwn(object, key, item);
	}
	return root;
}
