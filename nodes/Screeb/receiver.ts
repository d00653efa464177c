import { createHmac, timingSafeEqual } from 'crypto';

import type { Delivery, Verification, WebhookReceiver } from '../shared/types';
import { accept, isRefusal, refuse, singleHeader } from '../shared/verify';
import {
	SCREEB_EVENTS,
	screebEventSchema,
	shapeScreebEvent,
	screebColumns,
	upgradeLegacyPayload,
	type ScreebEvent,
} from './events';

const BODY_SIGNATURE_HEADER = 'x-screeb-hmac-signature-body';
const URL_SIGNATURE_HEADER = 'x-screeb-hmac-signature-url';
const DIGEST_HEADER = 'x-screeb-hmac-digest';

/**
 * The base64 text of a 32-byte (SHA-256) or 64-byte digest. Screeb's header says
 * HMAC-SHA256-BASE64, but the body signature in Screeb's own documentation decodes to 64 bytes, so a
 * 64-byte signature is checked as HMAC-SHA512 — decided by its length, still one HMAC per request.
 */
const DIGESTS = [
	{ algorithm: 'sha256', text: /^[A-Za-z0-9+/]{43}=$/, bytes: 32 },
	{ algorithm: 'sha512', text: /^[A-Za-z0-9+/]{86}==$/, bytes: 64 },
] as const;

/**
 * Screeb signs the raw body: base64(HMAC(workspace secret, body)). What the URL signature covers is
 * not documented, so it is not checked (and never shown). Screeb signs no send time, so a captured
 * delivery cannot be told from a resend (README, Security).
 */
export function verifyScreeb(delivery: Delivery, secret: string): Verification {
	const digest = delivery.headers[DIGEST_HEADER];
	if (digest !== undefined && digest !== 'HMAC-SHA256-BASE64')
		return refuse('malformed', `unsupported ${DIGEST_HEADER}`);
	const signature = singleHeader(delivery, BODY_SIGNATURE_HEADER);
	if (isRefusal(signature)) return signature;
	const scheme = DIGESTS.find((candidate) => candidate.text.test(signature));
	if (!scheme) {
		const length = Buffer.from(signature, 'base64').length;
		return refuse(
			'malformed',
			`malformed ${BODY_SIGNATURE_HEADER} header: ${length} bytes, expected 32 (HMAC-SHA256) or 64 (HMAC-SHA512)`,
		);
	}
	const expected = createHmac(scheme.algorithm, secret).update(delivery.rawBody).digest();
	const provided = Buffer.from(signature, 'base64');
	return provided.length === scheme.bytes && timingSafeEqual(provided, expected)
		? accept({ secrets: [secret] })
		: refuse('mismatch', 'signature does not match');
}

export const screebReceiver: WebhookReceiver<ScreebEvent> = {
	provider: 'screeb',
	displayName: 'Screeb',
	secretHeaders: [BODY_SIGNATURE_HEADER, URL_SIGNATURE_HEADER],
	mismatchHelp:
		"The signature does not match the secret in credential '{credential}'. Copy the webhook secret again from Screeb › Integrations › Webhook.",
	secret: {
		credential: 'screebWebhookApi',
		field: 'secret',
		missing: refuse('setup', 'the Screeb credential has no secret', {
			help: 'Paste the webhook secret from Screeb › Integrations › Webhook into the credential.',
		}),
		// Screeb does not document its secret's length: a short one is used, and the log says so.
		shortWarning:
			'the webhook secret of its credential is shorter than 16 characters, so a forger could guess it: check that it was copied whole from Screeb › Integrations › Webhook',
	},
	verify: verifyScreeb,
	schema: screebEventSchema,
	prepare: upgradeLegacyPayload,
	events: SCREEB_EVENTS,
	eventName: (event) => event.event_type ?? undefined,
	// Screeb keeps `event_id` on its resends (one after 60 s on a 4xx/5xx, several with growing
	// delays on a 429); a day is kept.
	eventId: (event) => event.event_id ?? undefined,
	retries: { horizonSeconds: 24 * 3600 },
	shape: shapeScreebEvent,
	columns: screebColumns,
};
