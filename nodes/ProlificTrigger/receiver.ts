import type { IWebhookFunctions } from 'n8n-workflow';

import { timestampTolerance } from '../shared/properties';
import { nodeState } from '../shared/state';
import type { Delivery, Verification, WebhookReceiver } from '../shared/types';
import { accept, checkTimestamp, refuse, singleHeader } from '../shared/verify';
import { prolificEventSchema, shapeProlificEvent, type ProlificEvent } from './events';
import type { ProlificState } from './registration';
import { prolificSignatureMatches, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './signature';

function verifyProlific(ctx: IWebhookFunctions, delivery: Delivery): Verification {
	const { secret } = nodeState<ProlificState>(ctx);
	if (!secret) return refuse('the trigger has no signing secret yet: publish the workflow again');
	const signature = singleHeader(delivery, SIGNATURE_HEADER);
	if ('refusal' in signature) return signature.refusal;
	const timestamp = singleHeader(delivery, TIMESTAMP_HEADER);
	if ('refusal' in timestamp) return timestamp.refusal;
	const tolerance = timestampTolerance(ctx.getNodeParameter('options', {}) as object);
	const stale = checkTimestamp(timestamp.value, delivery, tolerance);
	if (stale) return stale;
	return prolificSignatureMatches(secret, timestamp.value, delivery.rawBody, signature.value)
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
