import type { Logger } from 'n8n-workflow';

/**
 * Warnings that a flood of requests could repeat (refused deliveries, a misconfigured credential):
 * at most one line per key and minute, and the next line says how many were held back meanwhile.
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
	const held = entry?.held ?? 0;
	logger.warn(held ? `${message} (${held} more like it in the last minute)` : message);
}
