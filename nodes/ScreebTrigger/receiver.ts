import type { IWebhookFunctions } from 'n8n-workflow';

import type { Delivery, Verification, WebhookReceiver } from '../shared/types';
import { accept, digestMatches, hmacSha256, isDigestText, refuse, singleHeader } from '../shared/verify';
import { screebEventSchema, shapeScreebEvent, type ScreebEvent } from './events';

const BODY_SIGNATURE_HEADER = 'x-screeb-hmac-signature-body';
const URL_SIGNATURE_HEADER = 'x-screeb-hmac-signature-url';
const DIGEST_HEADER = 'x-screeb-hmac-digest';

/**
 * Screeb signs the raw body: base64(HMAC-SHA256(workspace secret, body)). What the URL signature
 * covers is not documented, so it is not checked (and never shown). Screeb signs no send time, so
 * a captured delivery cannot be told from a resend (README, Security).
 */
async function verifyScreeb(ctx: IWebhookFunctions, delivery: Delivery): Promise<Verification> {
	const { secret } = await ctx.getCredentials<{ secret?: string }>('screebWebhookApi');
	if (!secret) return refuse('the Screeb credential has no secret');
	const digest = delivery.headers[DIGEST_HEADER];
	if (digest !== undefined && digest !== 'HMAC-SHA256-BASE64') return refuse(`unsupported ${DIGEST_HEADER}`);
	const signature = singleHeader(delivery, BODY_SIGNATURE_HEADER);
	if ('refusal' in signature) return signature.refusal;
	if (!isDigestText(signature.value, 'base64')) return refuse(`malformed ${BODY_SIGNATURE_HEADER} header`);
	return digestMatches(hmacSha256(secret, delivery.rawBody), signature.value, 'base64')
		? accept(undefined, undefined, [secret])
		: refuse('signature does not match');
}

export const screebReceiver: WebhookReceiver<ScreebEvent> = {
	provider: 'screeb',
	displayName: 'Screeb',
	secretHeaders: [BODY_SIGNATURE_HEADER, URL_SIGNATURE_HEADER],
	verify: verifyScreeb,
	schema: screebEventSchema,
	eventName: (event) => event.event_type,
	shape: shapeScreebEvent,
};
