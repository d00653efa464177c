import { callApi, type ProviderApi } from '../shared/api';
import type { MissedEntry, MissedEventSource } from '../shared/catch-up';
import { isObject } from '../shared/json';
import { cintApi } from './auth';
import { cintReceiver } from './receiver';

/** Statuses of Cint's events history after which Cint delivers no more (`undelivered` is still retried). */
const FINAL = ['bounced', 'expired'];
/** Statuses that may still change: the cursor never passes them. */
const OPEN = ['pending', 'undelivered'];

/**
 * Cint's events history of the webhook since it was registered (`start_time`), paged with
 * `start_after` as Cint's other lists. Its entries' shape is not documented beyond the status, so
 * the event is read from `event`, `payload` or `data` (the CloudEvent Cint delivered, whose `id`
 * is the trigger's `eventId`). The cursor stops before the first entry Cint may still deliver.
 */
const historyPage: MissedEventSource['page'] = async (
	ctx,
	api,
	registration,
	id,
	cursor,
	limit,
) => {
	const accountPath = (api as ProviderApi & { accountPath: string }).accountPath;
	const since = String(registration.state.registeredAt ?? registration.publishedAt);
	const reply = await callApi(ctx, api, 'read the delivery history', {
		method: 'GET',
		path: `${accountPath}/webhooks/${encodeURIComponent(id)}/events-history`,
		qs: { start_time: since, page_size: limit, ...(cursor ? { start_after: cursor } : {}) },
	});
	const body = isObject(reply.body) ? (reply.body as Record<string, unknown>) : {};
	const list = (Object.values(body).find(Array.isArray) as unknown[] | undefined) ?? [];
	const entries: MissedEntry[] = [];
	let next = cursor;
	let open = false;
	for (const raw of list) {
		if (!isObject(raw)) continue;
		const entry = raw as Record<string, unknown>;
		const status = String(entry.status ?? entry.delivery_status ?? '').toLowerCase();
		if (OPEN.includes(status)) open = true;
		if (!open && typeof entry.id === 'string') next = entry.id;
		if (!FINAL.includes(status)) continue;
		const payload = entry.event ?? entry.payload ?? entry.data;
		const event = isObject(payload) ? (payload as Record<string, unknown>) : {};
		entries.push({
			id: typeof event.id === 'string' ? event.id : String(entry.id ?? ''),
			failedAt: String(entry.updated_at ?? entry.created_at ?? '') || undefined,
			payload,
		});
	}
	return { entries, cursor: next, more: body.has_more === true && !open };
};

export const cintMissedEvents: MissedEventSource = {
	receiver: cintReceiver as MissedEventSource['receiver'],
	api: cintApi,
	page: historyPage,
};
