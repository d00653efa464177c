import type { Delivery, Verification, WebhookReceiver } from '../shared/types';
import {
	acceptSigned,
	checkTimestampWindow,
	isRefusal,
	readTimestamp,
	refuse,
	singleHeader,
} from '../shared/verify';
import { registeredSecret } from '../shared/secret';
import {
	CINT_EVENTS,
	cintEventName,
	cintEventSchema,
	shapeCintEvent,
	type CintEvent,
} from './events';
import { CINT_SEAL } from './registration';
import { cintSignatureMatch, parseCintSignature, SIGNATURE_HEADER } from './signature';

/** Cint's signature check, pure: one `v1` matching `<t>.<raw body>`, then `t` within the tolerance. */
export function verifyCint(delivery: Delivery, secret: string): Verification {
	const header = singleHeader(delivery, SIGNATURE_HEADER);
	if (isRefusal(header)) return header;
	const parsed = parseCintSignature(header);
	if (!parsed) return refuse('malformed', `malformed ${SIGNATURE_HEADER} header`);
	const timestamp = readTimestamp(parsed.timestamp);
	if (isRefusal(timestamp)) return timestamp;
	const digest = cintSignatureMatch(secret, parsed.timestamp, delivery.rawBody, parsed.signatures);
	if (!digest) return refuse('mismatch', 'signature does not match');
	const timely = checkTimestampWindow(timestamp, delivery);
	return isRefusal(timely) ? timely : acceptSigned(secret, digest, timely);
}

export const cintReceiver: WebhookReceiver<CintEvent> = {
	provider: 'cint',
	displayName: 'Cint',
	secretHeaders: [SIGNATURE_HEADER],
	mismatchHelp:
		'The signature does not match the secret this trigger registered with Cint. If the webhook was changed in Cint or by another tool, publish the workflow again (activate it on n8n 1.x); otherwise the request was not sent by Cint.',
	secret: registeredSecret(CINT_SEAL),
	verify: verifyCint,
	schema: cintEventSchema,
	events: CINT_EVENTS,
	// A type Cint may add later is readable, so it is not "all events"; only a missing type is.
	eventName: (event) => cintEventName(event.type),
	// The CloudEvents `id`: unique per event, so at-least-once receivers deduplicate on it. Cint's
	// retry schedule is not documented; a day is kept.
	eventId: (event) => event.id ?? undefined,
	retries: { horizonSeconds: 24 * 3600 },
	shape: shapeCintEvent,
};
