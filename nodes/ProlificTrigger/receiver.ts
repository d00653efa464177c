import type { IWebhookFunctions } from 'n8n-workflow';

import type { Delivery, Verification, WebhookReceiver } from '../shared/types';
import { accept, checkTimestamp, refuse, singleHeader, storedSecret } from '../shared/verify';
import { prolificEventSchema, shapeProlificEvent, type ProlificEvent } from './events';
import { prolificSignatureMatches, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './signature';

function verifyProlific(ctx: IWebhookFunctions, delivery: Delivery): Verification {
	const stored = storedSecret(ctx);
	if ('refusal' in stored) return stored.refusal;
	const signature = singleHeader(delivery, SIGNATURE_HEADER);
	if ('refusal' in signature) return signature.refusal;
	const timestamp = singleHeader(delivery, TIMESTAMP_HEADER);
	if ('refusal' in timestamp) return timestamp.refusal;
	const stale = checkTimestamp(timestamp.value, delivery);
	if (stale) return stale;
	return prolificSignatureMatches(stored.secret, timestamp.value, delivery.rawBody, signature.value)
		? accept()
		: refuse('signature does not match');
}

export const prolificReceiver: WebhookReceiver<ProlificEvent> = {
	provider: 'prolific',
	displayName: 'Prolific',
	secretHeaders: [SIGNATURE_HEADER],
	verify: verifyProlific,
	schema: prolificEventSchema,
	eventName: (event) => event.event_type,
	shape: shapeProlificEvent,
};
