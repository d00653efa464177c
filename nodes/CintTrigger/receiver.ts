import type { IWebhookFunctions } from 'n8n-workflow';

import { timestampTolerance } from '../shared/properties';
import { nodeState } from '../shared/state';
import type { Delivery, Verification, WebhookReceiver } from '../shared/types';
import { accept, checkTimestamp, refuse, singleHeader } from '../shared/verify';
import { cintEventName, cintEventSchema, shapeCintEvent, type CintEvent } from './events';
import type { CintState } from './registration';
import { cintSignatureMatches, parseCintSignature, SIGNATURE_HEADER } from './signature';

function verifyCint(ctx: IWebhookFunctions, delivery: Delivery): Verification {
	const { secret } = nodeState<CintState>(ctx);
	if (!secret) return refuse('the trigger has no signing secret yet: publish the workflow again');
	const header = singleHeader(delivery, SIGNATURE_HEADER);
	if ('refusal' in header) return header.refusal;
	const parsed = parseCintSignature(header.value);
	if (!parsed) return refuse(`malformed ${SIGNATURE_HEADER} header`);
	const tolerance = timestampTolerance(ctx.getNodeParameter('options', {}) as object);
	const stale = checkTimestamp(parsed.timestamp, delivery, tolerance);
	if (stale) return stale;
	return cintSignatureMatches(secret, parsed.timestamp, delivery.rawBody, parsed.signatures)
		? accept()
		: refuse('signature does not match');
}

export const cintReceiver: WebhookReceiver<CintEvent> = {
	provider: 'cint',
	displayName: 'Cint',
	secretHeaders: [SIGNATURE_HEADER],
	verify: verifyCint,
	schema: cintEventSchema,
	eventName: (event) => cintEventName(event.type),
	shape: shapeCintEvent,
};
