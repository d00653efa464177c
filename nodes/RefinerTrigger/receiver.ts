import type { IWebhookFunctions } from 'n8n-workflow';

import type { Delivery, Verification, WebhookReceiver } from '../shared/types';
import { accept, hmacSha256, refuse, safeEqual } from '../shared/verify';
import { refinerEventSchema, shapeRefinerEvent, type RefinerEvent } from './events';

/**
 * Refiner documents an optional secret token but not how it is sent, so every plausible form is
 * accepted, each compared in constant time: the token (or "Bearer <token>") as a header value,
 * `?token=` in the URL, or HMAC-SHA256(token, raw body) in a header as hex, base64 or "sha256=<hex>".
 * The form that matched is recorded in the item (never the token), to learn Refiner's real scheme.
 */
export function matchRefinerToken(token: string, delivery: Delivery): Verification {
	const hmac = hmacSha256(token, delivery.rawBody);
	const hex = hmac.toString('hex');
	const candidates: Array<[string, string]> = [
		['header token', token],
		['bearer token', `Bearer ${token}`],
		['hmac-sha256 hex', hex],
		['hmac-sha256 hex', `sha256=${hex}`],
		['hmac-sha256 base64', hmac.toString('base64')],
	];
	for (const [header, raw] of Object.entries(delivery.headers)) {
		for (const value of Array.isArray(raw) ? raw : [raw]) {
			if (typeof value !== 'string') continue;
			const normalised = value.trim().replace(/^bearer /i, 'Bearer ');
			const match = candidates.find(([, expected]) => safeEqual(expected, normalised));
			if (match) return accept({ method: match[0], header }, [header]);
		}
	}
	const query = delivery.query.token;
	if (typeof query === 'string' && safeEqual(token, query)) return accept({ method: 'query token' });
	return refuse('secret token missing or wrong');
}

async function verifyRefiner(ctx: IWebhookFunctions, delivery: Delivery): Promise<Verification> {
	if (ctx.getNodeParameter('verification', 'token') === 'none') return accept({ method: 'none' });
	const { secretToken } = await ctx.getCredentials<{ secretToken?: string }>('refinerWebhookApi');
	if (!secretToken) return refuse('the Refiner credential has no secret token');
	return matchRefinerToken(secretToken, delivery);
}

export const refinerReceiver: WebhookReceiver<RefinerEvent> = {
	provider: 'refiner',
	displayName: 'Refiner',
	secretHeaders: [],
	verify: verifyRefiner,
	schema: refinerEventSchema,
	eventName: (event) => event.triggered_event ?? undefined,
	shape: shapeRefinerEvent,
};
