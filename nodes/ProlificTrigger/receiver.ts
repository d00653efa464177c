import type { IWebhookFunctions } from 'n8n-workflow';

import type { Delivery, Verification, WebhookReceiver } from '../shared/types';
import { acceptSigned, checkTimestamp, isDigestText, refuse, singleHeader, storedSecret } from '../shared/verify';
import { PROLIFIC_EVENTS, prolificEventSchema, shapeProlificEvent, type ProlificEvent } from './events';
import { prolificSignatureMatch, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './signature';

function verifyProlific(ctx: IWebhookFunctions, delivery: Delivery): Verification {
	const stored = storedSecret(ctx);
	if ('refusal' in stored) return stored.refusal;
	const signature = singleHeader(delivery, SIGNATURE_HEADER);
	if ('refusal' in signature) return signature.refusal;
	if (!isDigestText(signature.value, 'base64')) return refuse(`malformed ${SIGNATURE_HEADER} header`);
	const timestamp = singleHeader(delivery, TIMESTAMP_HEADER);
	if ('refusal' in timestamp) return timestamp.refusal;
	const stale = checkTimestamp(timestamp.value, delivery);
	if (stale) return stale;
	const digest = prolificSignatureMatch(stored.secret, timestamp.value, delivery.rawBody, signature.value);
	return digest ? acceptSigned(stored.secret, digest, timestamp.value) : refuse('signature does not match');
}

export const prolificReceiver: WebhookReceiver<ProlificEvent> = {
	provider: 'prolific',
	displayName: 'Prolific',
	secretHeaders: [SIGNATURE_HEADER],
	verify: verifyProlific,
	schema: prolificEventSchema,
	events: PROLIFIC_EVENTS.map((event) => String(event.value)),
	eventName: (event) => event.event_type ?? undefined,
	shape: shapeProlificEvent,
};
