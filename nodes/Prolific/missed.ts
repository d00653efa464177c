import type { IPollFunctions } from 'n8n-workflow';

import { z } from 'zod';

import { callApi, readReply, type ProviderApi } from '../shared/api';
import type { MissedEventSource } from '../shared/catch-up';
import type { PublishedRegistration } from '../shared/published';
import { prolificReceiver } from './receiver';
import { prolificApi } from './registration';

/**
 * The field of a delivery log entry that names its event. Prolific does not document that it is
 * the `X-Event-ID` header its deliveries carry (the trigger's `eventId`); this node assumes it is,
 * so that `eventId` is the key the trigger and this node share (docs/catch-up.md).
 */
export const LOG_EVENT_ID_FIELD = 'id';

const logEntrySchema = z
	.object({
		[LOG_EVENT_ID_FIELD]: z.union([z.string().min(1), z.number()]).transform(String),
		status: z.unknown().optional(),
		datetime_created: z.string().nullish(),
		datetime_updated: z.string().nullish(),
		payload: z.unknown().optional(),
	})
	.passthrough();
const logPageSchema = z
	.object({
		results: z.array(logEntrySchema),
		_links: z
			.object({ next: z.object({ href: z.string().nullish() }).passthrough().nullish() })
			.passthrough()
			.nullish(),
	})
	.passthrough();
const subscriptionSchema = z
	.object({ id: z.unknown(), event_type: z.string().nullish(), is_enabled: z.boolean().nullish() })
	.passthrough();

const subscriptionPath = (id: string) => `/api/v1/hooks/subscriptions/${encodeURIComponent(id)}/`;

/**
 * Prolific's log of a subscription, FAILED entries only (its one documented filter), offset-paged.
 * Prolific documents neither an order nor a time filter: each pass reads the log from its start,
 * the offset is the cursor within a pass, and the memory of emitted ids skips what a pass sees again.
 */
const failedPage: MissedEventSource['page'] = async (
	ctx,
	api,
	_registration,
	id,
	cursor,
	limit,
) => {
	const step = 'read the delivery log';
	const offset = Number(cursor ?? 0) || 0;
	const reply = await callApi(ctx, api, step, {
		method: 'GET',
		path: `${subscriptionPath(id)}events/`,
		qs: { status: 'FAILED', limit, offset },
	});
	const page = readReply(ctx, api, step, reply, logPageSchema);
	const entries = page.results
		.filter((entry) => entry.status === 'FAILED')
		.map((entry) => ({
			id: entry[LOG_EVENT_ID_FIELD],
			failedAt: entry.datetime_updated ?? entry.datetime_created ?? undefined,
			payload: entry.payload,
		}));
	const more = page.results.length >= limit || !!page._links?.next?.href;
	return more ? { entries, cursor: String(offset + page.results.length), more } : { entries, more };
};

/** A subscription Prolific disabled after repeated failures is enabled again (Prolific hides it from lists). */
async function enableDisabled(
	ctx: IPollFunctions,
	api: ProviderApi,
	registration: PublishedRegistration,
): Promise<string[]> {
	const notices: string[] = [];
	for (const id of registration.ids) {
		const step = 'read a subscription';
		const reply = await callApi(ctx, api, step, { method: 'GET', path: subscriptionPath(id) });
		const subscription = readReply(ctx, api, step, reply, subscriptionSchema);
		if (subscription.is_enabled !== false) continue;
		await callApi(ctx, api, 'enable a subscription', {
			method: 'PATCH',
			path: subscriptionPath(id),
			body: { is_enabled: true },
		});
		notices.push(
			`Prolific had disabled the subscription of "${registration.node}" to ${subscription.event_type ?? 'its event'} after deliveries kept failing; it is enabled again. The events Prolific gave up on come out of this node.`,
		);
	}
	return notices;
}

export const prolificMissedEvents: MissedEventSource = {
	receiver: prolificReceiver as MissedEventSource['receiver'],
	api: prolificApi,
	upkeep: enableDisabled,
	page: failedPage,
	headersOf: (entry) => ({ 'x-event-id': entry.id }),
};
