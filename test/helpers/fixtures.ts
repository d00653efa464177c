/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- Node-side code (tests, emulators, scripts), never loaded by n8n */
import { readFileSync } from 'fs';
import path from 'path';

import { providerEntry } from '../../scripts/lib/providers';

/** A provider fixture's exact bytes (test/fixtures/<provider>/<name>.json). */
export function fixture(provider: string, name: string): string {
	return readFileSync(
		path.join(__dirname, '..', 'fixtures', provider, `${name}.json`),
		'utf8',
	).trim();
}

/** The fixture of a provider's main event (the registry's `event`), as exact bytes. */
export function mainSample(provider: string): string {
	const entry = providerEntry(provider);
	return fixture(provider, entry.samples[entry.event]);
}

/** Date-only fake timers: real HTTP keeps working while the clock is pinned. */
export function pinClock(epochMs: number) {
	jest.useFakeTimers({
		now: epochMs,
		doNotFake: [
			'nextTick',
			'setImmediate',
			'clearImmediate',
			'setTimeout',
			'clearTimeout',
			'setInterval',
			'clearInterval',
			'queueMicrotask',
			'hrtime',
			'performance',
		],
	});
}
