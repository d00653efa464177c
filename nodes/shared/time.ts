/**
 * A provider time value as ISO 8601: unix seconds or milliseconds (number or digits) and date strings
 * are converted; anything else is returned unchanged, and a missing value is null.
 */
export function toIsoTime(value: unknown): string | null {
	if (value === undefined || value === null || value === '') return null;
	const numeric = typeof value === 'number' ? value : /^\d+(\.\d+)?$/.test(String(value)) ? Number(value) : NaN;
	const date = Number.isFinite(numeric)
		? new Date(numeric > 1e12 ? numeric : numeric * 1000)
		: new Date(String(value).replace(' ', 'T'));
	return Number.isNaN(date.getTime()) ? String(value) : date.toISOString();
}
