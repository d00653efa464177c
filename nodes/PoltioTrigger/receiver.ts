import type { IWebhookFunctions } from 'n8n-workflow';

import type { Delivery, Verification, WebhookReceiver } from '../shared/types';
import { accept, refuse, safeEqual } from '../shared/verify';
import { POLTIO_EVENTS, poltioEventName, poltioEventSchema, shapePoltioEvent, type PoltioEvent } from './events';
import type { PoltioState } from './registration';

/**
 * Poltio signs nothing: the trigger registers its URL with a random token and checks it here, in
 * time independent of the body. Poltio sends no signed time either, so a captured delivery can be
 * replayed (README, Security).
 */
function verifyPoltio(ctx: IWebhookFunctions, delivery: Delivery): Verification {
	const { token } = ctx.getWorkflowStaticData('node') as Partial<PoltioState>;
	if (!token) return refuse('the trigger has no token yet: publish the workflow again');
	const received = delivery.query.token;
	if (typeof received !== 'string' || received === '') return refuse('missing token');
	return safeEqual(token, received) ? accept(undefined, undefined, [token]) : refuse('token does not match');
}

export const poltioReceiver: WebhookReceiver<PoltioEvent> = {
	provider: 'poltio',
	displayName: 'Poltio',
	secretHeaders: [],
	verify: verifyPoltio,
	schema: poltioEventSchema,
	events: POLTIO_EVENTS.map((event) => String(event.value)),
	eventName: poltioEventName,
	shape: shapePoltioEvent,
};
