import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { hasOwn, isObject, itemKey, setOwn } from './json';

export const answersAsColumnsProperty: INodeProperties = {
	displayName: 'Answers as Columns',
	name: 'answersAsColumns',
	type: 'boolean',
	default: false,
	displayOptions: { show: { simple: [true] } },
	description:
		'Whether to output each response as one flat row: the package’s fields, the respondent, hidden fields, then one column per question named by its title, ready for Google Sheets, Airtable or a CSV file',
};

/** One response as a provider lays it out for a spreadsheet row (see answersAsColumns). */
export interface ResponseColumns {
	/** The survey and the respondent: ids, e-mail, name. */
	identifiers: Array<[string, unknown]>;
	/** The survey author's own fields (hidden fields), keyed as the author named them. */
	hiddenFields?: IDataObject;
	/** The response: its id, when it was given, how it ended. */
	response: Array<[string, unknown]>;
	/** One entry per question, in order: its title (or the provider's identifier) and the answer. */
	answers: Array<{ question: string; value: unknown }>;
}

/** A value as a person writes it in a cell: text, number or boolean; chosen options joined by ", ". */
export function cellValue(value: unknown): string | number | boolean | null {
	if (value === undefined || value === null) return null;
	if (typeof value === 'string' || typeof value === 'boolean') return value;
	if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
	if (Array.isArray(value))
		return value
			.map(cellValue)
			.filter((part) => part !== null && part !== '')
			.join(', ');
	return JSON.stringify(value);
}

/**
 * The row: `fixed` first (the package's own fields, never overwritten), then identifiers, hidden
 * fields, the response's fields and one column per question. A column name already taken goes to
 * the next free "name (2)", "name (3)", …: two questions with one title, a question titled like an
 * identifier ("email"), a hidden field named like a package field. A name n8n would drop
 * (`constructor`, `__proto__`, `prototype`) gets a trailing `_` first, as everywhere in items.
 */
export function answersAsColumns(fixed: IDataObject, columns: ResponseColumns): IDataObject {
	const row: IDataObject = {};
	// The next suffix to try per name, so a title repeated n times costs n steps, not n².
	const nextSuffix = new Map<string, number>();
	const claim = (name: string, value: unknown) => {
		const base = itemKey(name);
		let key = base;
		let suffix = nextSuffix.get(base) ?? 2;
		while (hasOwn(row, key)) key = `${base} (${suffix++})`;
		nextSuffix.set(base, suffix);
		setOwn(row, key, cellValue(value));
	};
	for (const key of Object.keys(fixed)) claim(key, fixed[key]);
	for (const [key, value] of columns.identifiers) claim(key, value);
	const hidden = columns.hiddenFields ?? {};
	for (const key of Object.keys(hidden)) claim(key, hidden[key]);
	for (const [key, value] of columns.response) claim(key, value);
	columns.answers.forEach(({ question, value }, index) =>
		claim(question.trim() || `Question ${index + 1}`, value),
	);
	return row;
}

/** A shaped event's object field, or {} when the event could not be shaped (columns never throw). */
export const objectAt = (shaped: IDataObject, key: string): IDataObject =>
	isObject(shaped[key]) ? (shaped[key] as IDataObject) : {};

/** A shaped event's list of objects, or [] (see objectAt). */
export const listAt = (shaped: IDataObject, key: string): IDataObject[] =>
	Array.isArray(shaped[key]) ? ((shaped[key] as unknown[]).filter(isObject) as IDataObject[]) : [];
