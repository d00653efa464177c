import type { Logger } from 'n8n-workflow';

/**
 * Warnings that a flood of requests could repeat (refused deliveries, a misconfigured credential):
 * at most one line per key and minute, each ending with how many times it happened since the
 * previous line for that key (itself included).
 */
const WINDOW_MS = 60_000;
const MAX_KEYS = 10_000;
const lastLine = new Map<string, { at: number; held: number }>();

export function warnRateLimited(logger: Logger, key: string, message: string, nowMs = Date.now()): void {
	const entry = lastLine.get(key);
	if (entry && nowMs - entry.at < WINDOW_MS) {
		entry.held++;
		return;
	}
	if (!entry && lastLine.size >= MAX_KEYS) lastLine.delete(lastLine.keys().next().value as string);
	lastLine.set(key, { at: nowMs, held: 0 });
	const count = (entry?.held ?? 0) + 1;
	logger.warn(`${message} (count since the previous line: ${count})`);
}
