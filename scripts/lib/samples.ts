/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- Node-side code (tests, emulators, scripts), never loaded by n8n */
/**
 * Realistic sample deliveries per provider and event (the test fixtures), signed exactly as the
 * provider signs them. Used by `npm run send`, the demo and the end-to-end suite.
 */
import { readFileSync } from 'fs';
import path from 'path';

import { PROVIDERS, providerEntry, type SignedDelivery } from './providers';

export type { SignedDelivery } from './providers';

const FIXTURES = path.resolve(__dirname, '..', '..', 'test', 'fixtures');

/** provider → event → fixture file (without .json), from the provider registry. */
export const SAMPLES: Record<string, Record<string, string>> = Object.fromEntries(
	PROVIDERS.map((entry) => [entry.provider, entry.samples]),
);

export function sampleBody(provider: string, event: string): string {
	const name = SAMPLES[provider]?.[event];
	if (!name) {
		const known = Object.entries(SAMPLES).map(
			([p, events]) => `${p}: ${Object.keys(events).join(', ')}`,
		);
		throw new Error(`no sample for ${provider} ${event}; known samples:\n  ${known.join('\n  ')}`);
	}
	return readFileSync(path.join(FIXTURES, provider, `${name}.json`), 'utf8');
}

/** Signs a body as the provider does (scripts/lib/providers/); a provider's retry is signed again at its own time. */
export function signDelivery(
	provider: string,
	url: string,
	body: string,
	secret: string,
	eventId?: string,
	timestamp?: string,
): SignedDelivery {
	return providerEntry(provider).sign(url, body, secret, { eventId, timestamp });
}

export async function send(delivery: SignedDelivery): Promise<{ status: number; body: string }> {
	const response = await fetch(delivery.url, {
		method: 'POST',
		headers: delivery.headers,
		body: delivery.body,
	});
	return { status: response.status, body: await response.text() };
}

export { pythonJsonDumps } from './json-tree';
