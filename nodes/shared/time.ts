/** An ISO 8601 string exactly as `Date.prototype.toISOString` writes it. */
const CANONICAL_ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/**
 * A provider time value as ISO 8601: unix seconds or milliseconds (number or digits) and date strings
 * are converted; anything else is returned unchanged, and a missing value is null.
 */
export function toIsoTime(value: unknown): string | null {
	if (value === undefined || value === null || value === '') return null;
	if (typeof value === 'string' && CANONICAL_ISO.test(value)) return value; // already what we would produce
	const numeric =
		typeof value === 'number' ? value : /^\d+(\.\d+)?$/.test(String(value)) ? Number(value) : NaN;
	const date = Number.isFinite(numeric)
		? new Date(numeric > 1e12 ? numeric : numeric * 1000)
		: new Date(String(value).replace(' ', 'T'));
	return Number.isNaN(date.getTime()) ? String(value) : date.toISOString();
}
