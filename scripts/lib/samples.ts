/**
 * Realistic sample deliveries per provider and event (the test fixtures), signed exactly as the
 * provider signs them. Used by `npm run send`, the demo and the end-to-end suite.
 */
import { randomUUID } from 'crypto';
import { readFileSync } from 'fs';
import path from 'path';

import {
	cintSignatureHeader,
	nowSeconds,
	prolificSignature,
	screebSignature,
} from './provider-signing';

const FIXTURES = path.resolve(__dirname, '..', '..', 'test', 'fixtures');

/** provider → event → fixture file (without .json) */
export const SAMPLES: Record<string, Record<string, string>> = {
	prolific: {
		'submission.status.change': 'submission.status.change',
		'study.status.change': 'study.status.change',
		'study.progress.change': 'study.progress.change',
		'study.has_high_return_rate': 'study.has_high_return_rate',
	},
	cint: {
		'session-updated': 'session-updated',
		'target-group-updated': 'target-group-updated',
		'quota-fill-registered': 'quota-fill-registered',
	},
	screeb: {
		'response.displayed': 'response.displayed',
		'response.answered': 'response.answered-2.0.0',
		'response.ended': 'response.ended',
	},
	refiner: {
		'Completed Survey': 'completed-survey',
		'Saw Survey': 'saw-survey',
		'Dismissed Survey': 'dismissed-survey',
	},
	poltio: {
		'session.completed': 'session-completed',
		'session.incomplete': 'session-incomplete',
	},
};

export function sampleBody(provider: string, event: string): string {
	const name = SAMPLES[provider]?.[event];
	if (!name) {
		const known = Object.entries(SAMPLES).map(([p, events]) => `${p}: ${Object.keys(events).join(', ')}`);
		throw new Error(`no sample for ${provider} ${event}; known samples:\n  ${known.join('\n  ')}`);
	}
	return readFileSync(path.join(FIXTURES, provider, `${name}.json`), 'utf8');
}

export interface SignedDelivery {
	url: string;
	body: string;
	headers: Record<string, string>;
}

/**
 * Signs a body as the provider does. Prolific, Cint and Screeb sign with the secret (Prolific and
 * Cint at `timestamp`, now by default; a provider's retry is signed again at its own time);
 * Refiner's token is sent as a Bearer header; Poltio's token goes into the URL (as the trigger
 * registers it).
 */
export function signDelivery(
	provider: string,
	url: string,
	body: string,
	secret: string,
	eventId: string = randomUUID(),
	timestamp: string = nowSeconds(),
): SignedDelivery {
	const headers: Record<string, string> = { 'content-type': 'application/json' };
	switch (provider) {
		case 'prolific':
			headers['x-prolific-request-signature'] = prolificSignature(secret, timestamp, body);
			headers['x-prolific-request-timestamp'] = timestamp;
			headers['x-event-id'] = eventId;
			headers['x-timestamp'] = new Date().toISOString();
			break;
		case 'cint':
			headers['cint-signature'] = cintSignatureHeader(secret, timestamp, body);
			break;
		case 'screeb':
			headers['x-screeb-hmac-digest'] = 'HMAC-SHA256-BASE64';
			headers['x-screeb-hmac-signature-body'] = screebSignature(secret, body);
			break;
		case 'refiner':
			headers.authorization = `Bearer ${secret}`;
			break;
		case 'poltio':
			if (!/[?&]token=/.test(url)) url = `${url}${url.includes('?') ? '&' : '?'}token=${encodeURIComponent(secret)}`;
			break;
		default:
			throw new Error(`unknown provider ${provider}`);
	}
	return { url, body, headers };
}

export async function send(delivery: SignedDelivery): Promise<{ status: number; body: string }> {
	const response = await fetch(delivery.url, { method: 'POST', headers: delivery.headers, body: delivery.body });
	return { status: response.status, body: await response.text() };
}
