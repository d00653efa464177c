import type { Logger } from 'n8n-workflow';

/**
 * Warnings that a flood of requests could repeat (refused deliveries, a misconfigured credential):
 * at most one line per key and minute, each ending with how many times it happened since the
 * previous line for that key (itself included).
 */
const WINDOW_MS = 60_000;
const MAX_KEYS = 10_000;
const lastLine = new Map<string, { at: number; held: number }>();

export function warnRateLimited(
	logger: Logger,
	key: string,
	message: string | (() => string),
	nowMs = Date.now(),
): void {
	logRateLimited(logger, 'warn', key, message, nowMs);
}

/** The same limit at another level (an unexpected fault is an error line, an ignored event an info line). */
export function logRateLimited(
	logger: Logger,
	level: 'error' | 'warn' | 'info',
	key: string,
	message: string | (() => string),
	nowMs = Date.now(),
): void {
	const entry = lastLine.get(key);
	if (entry && nowMs - entry.at < WINDOW_MS) {
		entry.held++;
		return;
	}
	if (!entry && lastLine.size >= MAX_KEYS) lastLine.delete(lastLine.keys().next().value as string);
	lastLine.set(key, { at: nowMs, held: 0 });
	const count = (entry?.held ?? 0) + 1;
	logger[level](
		`${typeof message === 'function' ? message() : message} (count since the previous line: ${count})`,
	);
}

/** Characters that would break a log line or disguise it: controls, line and paragraph separators, bidi and zero-width marks, lone surrogate halves. */
const isUnprintable = (code: number) =>
	code < 0x20 ||
	(code >= 0x7f && code <= 0x9f) ||
	(code >= 0x200b && code <= 0x200f) ||
	(code >= 0x2028 && code <= 0x202e) ||
	(code >= 0x2060 && code <= 0x206f) ||
	code === 0xfeff ||
	(code >= 0xd800 && code <= 0xdfff);

/**
 * A string taken from a request (an event name, a key of the body, an error about it) as it may
 * appear in a log line or a test item: cut to `max` characters (with "…") before anything else, so
 * its cost does not grow with its length, and every character that could break or disguise the
 * line written as \uXXXX.
 */
export function printable(text: string, max = 100): string {
	let out = '';
	const end = Math.min(text.length, max);
	for (let i = 0; i < end; i++) {
		const code = text.charCodeAt(i);
		out += isUnprintable(code) ? `\\u${code.toString(16).padStart(4, '0')}` : text[i];
	}
	return text.length > max ? `${out}…` : out;
}
