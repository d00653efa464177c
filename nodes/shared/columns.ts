import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { hasOwn, isObject, itemKey, setOwn } from './json';
import { toIsoTime } from './time';

export const answersAsColumnsProperty: INodeProperties = {
	displayName: 'Answers as Columns',
	name: 'answersAsColumns',
	type: 'boolean',
	default: false,
	displayOptions: { show: { simple: [true] } },
	description:
		'Whether to output each response as one flat row: the package’s fields, the survey and the respondent (the same columns on every survey trigger), hidden fields, the response, then one column per question named by its title, ready for Google Sheets, Airtable or a CSV file',
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
	/**
	 * Type version 2: a column whose name is taken and whose value is the same as that column's is
	 * left out (a hidden field `email` beside the respondent's), instead of becoming "email (2)".
	 */
	sameValueOnce?: boolean;
}

/**
 * What every survey trigger's row has first, under the same names (type version 2): the survey,
 * the respondent, the response and its time as `toISOString` writes it. A provider without one of
 * them leaves the cell empty, so that rows of several providers share their columns.
 */
export interface CommonColumns {
	surveyId: unknown;
	surveyName: unknown;
	respondentId: unknown;
	email: unknown;
	name: unknown;
	responseId: unknown;
	respondedAt: unknown;
}

/** A row of type version 2: the common columns first, then what only this provider has. */
export function sharedRow(
	common: CommonColumns,
	rest: {
		identifiers?: Array<[string, unknown]>;
		hiddenFields?: IDataObject;
		response?: Array<[string, unknown]>;
		answers: ResponseColumns['answers'];
	},
): ResponseColumns {
	return {
		identifiers: [
			['surveyId', common.surveyId],
			['surveyName', common.surveyName],
			['respondentId', common.respondentId],
			['email', common.email],
			['name', common.name],
			...(rest.identifiers ?? []),
		],
		hiddenFields: rest.hiddenFields,
		response: [
			['responseId', common.responseId],
			['respondedAt', toIsoTime(common.respondedAt)],
			...(rest.response ?? []),
		],
		answers: rest.answers.map(({ question, value }) => ({ question, value: numberText(value) })),
		sameValueOnce: true,
	};
}

/**
 * An answer sent as text that is exactly a number as JavaScript writes it ("4", "9.5", "-1") becomes
 * that number: Refiner and Poltio send ratings, NPS and scales as text. "007", "1e3" or "4 stars"
 * stay text, as do numbers too long to keep every digit.
 */
export function numberText(value: unknown): unknown {
	if (typeof value !== 'string' || value.length > 15 || !/^-?\d/.test(value)) return value;
	const number = Number(value);
	return Number.isFinite(number) && String(number) === value ? number : value;
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
		if (columns.sameValueOnce && hasOwn(row, base) && row[base] === cellValue(value)) return;
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
