import type { IWebhookFunctions } from 'n8n-workflow';

import type { Delivery, Verification, WebhookReceiver } from '../shared/types';
import { acceptSigned, checkTimestamp, refuse, singleHeader, storedSecret } from '../shared/verify';
import { CINT_EVENTS, cintEventName, cintEventSchema, shapeCintEvent, type CintEvent } from './events';
import { cintSignatureMatch, parseCintSignature, SIGNATURE_HEADER } from './signature';

function verifyCint(ctx: IWebhookFunctions, delivery: Delivery): Verification {
	const stored = storedSecret(ctx);
	if ('refusal' in stored) return stored.refusal;
	const header = singleHeader(delivery, SIGNATURE_HEADER);
	if ('refusal' in header) return header.refusal;
	const parsed = parseCintSignature(header.value);
	if (!parsed) return refuse('malformed', `malformed ${SIGNATURE_HEADER} header`);
	const stale = checkTimestamp(parsed.timestamp, delivery);
	if (stale) return stale;
	const digest = cintSignatureMatch(stored.secret, parsed.timestamp, delivery.rawBody, parsed.signatures);
	return digest ? acceptSigned(stored.secret, digest, parsed.timestamp) : refuse('mismatch', 'signature does not match');
}

export const cintReceiver: WebhookReceiver<CintEvent> = {
	provider: 'cint',
	displayName: 'Cint',
	secretHeaders: [SIGNATURE_HEADER],
	mismatchHelp:
		'The signature does not match the secret this trigger registered with Cint. If the webhook was changed in Cint or by another tool, publish the workflow again; otherwise the request was not sent by Cint.',
	verify: verifyCint,
	schema: cintEventSchema,
	events: CINT_EVENTS.map((event) => String(event.value)),
	// A type Cint may add later is readable, so it is not "all events"; only a missing type is.
	eventName: (event) => (typeof event.type === 'string' ? (cintEventName(event.type) ?? event.type) : undefined),
	shape: shapeCintEvent,
};
