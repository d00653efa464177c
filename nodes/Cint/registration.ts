import { randomUUID } from 'crypto';
import type { IHookFunctions, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';
import { z } from 'zod';

import { callApi, readReply, unexpectedReply, type ProviderApi } from '../shared/api';
import { loadEventOptions } from '../shared/event-options';
import type { ProviderRegistration } from '../shared/registration';
import type { SealKey } from '../shared/sealed';
import { cintApi } from './auth';
import { CINT_EVENTS } from './events';

/** What the trigger remembers between publish and unpublish (node static data). */
export interface CintState {
	webhookUrl: string;
	webhookId: string;
	/** Returned by Cint only when the webhook is created or its secret regenerated. */
	secret: string;
	/** When this trigger registered (or took over) the webhook: the delivery history is read from then. */
	registeredAt: string;
}

type CintApi = ProviderApi & { accountPath: string };

const webhookSchema = z
	.object({
		id: z.union([z.string().min(1), z.number()]).transform(String),
		url: z.string(),
		// The API reference says `events`; an example in Cint's guide shows `event`.
		events: z.array(z.string()).optional(),
		event: z.array(z.string()).optional(),
	})
	.passthrough()
	.transform(({ events, event, ...webhook }) => ({ ...webhook, events: events ?? event ?? [] }));
type Webhook = z.infer<typeof webhookSchema>;

const pageSchema = z
	.object({ webhooks: z.array(webhookSchema), has_more: z.boolean().optional() })
	.passthrough();
const secretSchema = z.object({ secret: z.string().min(1) }).passthrough();
const createdSchema = z.intersection(webhookSchema, secretSchema);

const eventTypesSchema = z.object({ events: z.array(z.string()) }).passthrough();

/** The event names Cint lists for the account (`webhooks-events`); new ones can be selected at once. */
export async function listEventTypes(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return loadEventOptions(this, 'Cint', CINT_EVENTS, async () => {
		const api = await cintApi(this);
		const step = 'list webhook event types';
		const reply = await callApi(this, api, step, {
			method: 'GET',
			path: `${api.accountPath}/webhooks-events`,
		});
		return readReply(this, api, step, reply, eventTypesSchema).events.map((value) => ({ value }));
	});
}

/** Cint answers pages of at most 100; a guard stops a provider that never says "no more". */
const MAX_PAGES = 500;

async function webhooksFor(
	ctx: IHookFunctions,
	api: CintApi,
	webhookUrl: string,
): Promise<Webhook[]> {
	const step = 'list webhooks';
	const found: Webhook[] = [];
	let startAfter: string | undefined;
	for (let page = 0; page < MAX_PAGES; page++) {
		const reply = await callApi(ctx, api, step, {
			method: 'GET',
			path: `${api.accountPath}/webhooks`,
			qs: { page_size: 100, ...(startAfter ? { start_after: startAfter } : {}) },
		});
		const { webhooks, has_more } = readReply(ctx, api, step, reply, pageSchema);
		found.push(...webhooks.filter((webhook) => webhook.url === webhookUrl));
		const last = webhooks[webhooks.length - 1]?.id;
		if (!has_more || !last || last === startAfter) return found;
		startAfter = last;
	}
	return found;
}

/** GET for the ETag, then the write with If-Match; a 412 (changed meanwhile) is retried once. */
async function withEtag(
	ctx: IHookFunctions,
	api: CintApi,
	step: string,
	webhookId: string,
	write: (etag: string) => Promise<unknown>,
): Promise<'done' | 'gone'> {
	const path = `${api.accountPath}/webhooks/${encodeURIComponent(webhookId)}`;
	for (let attempt = 1; attempt <= 2; attempt++) {
		const current = await callApi(ctx, api, step, { method: 'GET', path, accept: [200, 404] });
		if (current.statusCode === 404) return 'gone';
		const etag = current.headers.etag;
		if (typeof etag !== 'string') {
			throw unexpectedReply(
				ctx,
				api,
				step,
				current,
				'The webhook was returned without an ETag header.',
			);
		}
		const written = (await write(etag)) as { statusCode: number };
		if (written.statusCode !== 412) return written.statusCode === 404 ? 'gone' : 'done';
	}
	throw unexpectedReply(
		ctx,
		api,
		step,
		{ statusCode: 412, headers: {}, body: null },
		'The webhook kept changing while it was being updated.',
	);
}

function updateEvents(ctx: IHookFunctions, api: CintApi, webhookId: string, events: string[]) {
	const step = 'update the webhook events';
	return withEtag(ctx, api, step, webhookId, (etag) =>
		callApi(ctx, api, step, {
			method: 'PUT',
			path: `${api.accountPath}/webhooks/${encodeURIComponent(webhookId)}`,
			headers: { 'If-Match': etag, 'Idempotency-Key': randomUUID() },
			body: { events },
			accept: [200, 204, 404, 412],
		}),
	);
}

function deleteWebhook(ctx: IHookFunctions, api: CintApi, webhookId: string) {
	const step = 'delete the webhook';
	return withEtag(ctx, api, step, webhookId, (etag) =>
		callApi(ctx, api, step, {
			method: 'DELETE',
			path: `${api.accountPath}/webhooks/${encodeURIComponent(webhookId)}`,
			headers: { 'If-Match': etag },
			accept: [200, 204, 404, 412],
		}),
	);
}

async function regenerateSecret(
	ctx: IHookFunctions,
	api: CintApi,
	webhookId: string,
): Promise<string> {
	const step = 'regenerate the webhook secret';
	const reply = await callApi(ctx, api, step, {
		method: 'POST',
		path: `${api.accountPath}/webhooks/${encodeURIComponent(webhookId)}/regenerate-secret`,
		// Required by API version 2024-12-02 (the credential may name an older version), harmless later.
		headers: { 'Idempotency-Key': randomUUID() },
	});
	return readReply(ctx, api, step, reply, secretSchema).secret;
}

const selectedEvents = (ctx: IHookFunctions) =>
	[...(ctx.getNodeParameter('events', []) as string[])].sort();

const sameEvents = (a: string[], b: string[]) =>
	a.length === b.length && [...a].sort().every((event, i) => event === b[i]);

/**
 * One Cint webhook per URL, carrying every selected event. Cint returns its secret only when the
 * webhook is created or the secret regenerated.
 */
/** The webhook secret is stored sealed with the credential's client secret. */
export const CINT_SEAL: SealKey = { credential: 'cintApi', field: 'clientSecret' };

export const cintRegistration: ProviderRegistration<CintState, CintApi> = {
	api: cintApi,
	sealed: { fields: ['secret'], key: CINT_SEAL },

	/**
	 * Finds this URL's webhook (all pages) and repairs it in place: events brought in line with the
	 * node (PUT with If-Match), a secret the node does not hold regenerated, duplicates removed.
	 */
	async repair(ctx, api, webhookUrl, stored) {
		const events = selectedEvents(ctx);
		const [webhook, ...duplicates] = await webhooksFor(ctx, api, webhookUrl);
		if (!webhook) return 'register';
		for (const duplicate of duplicates) await deleteWebhook(ctx, api, duplicate.id);
		if (!sameEvents(webhook.events, events)) {
			if ((await updateEvents(ctx, api, webhook.id, events)) === 'gone') return 'register';
		}
		if (stored.secret && stored.webhookId === webhook.id && stored.webhookUrl === webhookUrl) {
			// A registration stored by an older version gets its time now.
			return stored.registeredAt
				? 'keep'
				: { store: { ...(stored as CintState), registeredAt: new Date().toISOString() } };
		}
		return {
			store: {
				webhookUrl,
				webhookId: webhook.id,
				secret: await regenerateSecret(ctx, api, webhook.id),
				registeredAt: new Date().toISOString(),
			},
		};
	},

	/** One webhook carrying every selected event; a webhook whose secret did not arrive is removed again. */
	async register(ctx, api, webhookUrl, created) {
		const step = 'create the webhook';
		const reply = await callApi(ctx, api, step, {
			method: 'POST',
			path: `${api.accountPath}/webhooks`,
			headers: { 'Idempotency-Key': randomUUID() },
			body: { url: webhookUrl, events: selectedEvents(ctx) },
		});
		const id = (reply.body as { id?: unknown } | null)?.id;
		if (typeof id === 'string' || typeof id === 'number')
			created(`webhook ${id}`, () => deleteWebhook(ctx, api, String(id)));
		const webhook = readReply(ctx, api, step, reply, createdSchema);
		return {
			webhookUrl,
			webhookId: webhook.id,
			secret: webhook.secret,
			registeredAt: new Date().toISOString(),
		};
	},

	storedIds: (stored) => (stored.webhookId ? [stored.webhookId] : []),

	registeredIds: async (ctx, api, webhookUrl) =>
		(await webhooksFor(ctx, api, webhookUrl)).map((webhook) => webhook.id),

	remove: deleteWebhook,

	/** Cint's events-history since the registration: deliveries that never arrived. */
	async deliveryHealth(ctx, api, stored) {
		if (!stored.webhookId || !stored.registeredAt) return undefined;
		const counts = await failedSince(ctx, api, stored.webhookId, stored.registeredAt);
		const failed = FAILED_STATUSES.filter((status) => counts[status] > 0);
		if (!failed.length) return undefined;
		const total = failed.reduce((sum, status) => sum + counts[status], 0);
		const list = failed.map((status) => `${counts[status]} ${status}`).join(', ');
		return {
			failed: total,
			message: `Cint reports deliveries to this trigger that did not arrive since ${stored.registeredAt}: ${list}. Check that n8n is reachable from Cint; a Cint Missed Events node in this workflow runs the events Cint gave up on.`,
		};
	},
};

/** Delivery statuses of Cint's events-history that mean an event did not arrive (undelivered ones are retried). */
const FAILED_STATUSES = ['undelivered', 'bounced', 'expired'] as const;
type FailureCounts = Record<(typeof FAILED_STATUSES)[number], number>;

/** Pages of the events history read on a publish: it pages as Cint's webhook list does (`has_more`, `start_after`). */
const HISTORY_PAGE_SIZE = 100;
const MAX_HISTORY_PAGES = 20;

/** The failed deliveries of Cint's events history since the registration, every page of it (bounded). */
async function failedSince(
	ctx: IHookFunctions,
	api: CintApi,
	webhookId: string,
	since: string,
): Promise<FailureCounts> {
	const counts: FailureCounts = { undelivered: 0, bounced: 0, expired: 0 };
	let startAfter: string | undefined;
	for (let page = 0; page < MAX_HISTORY_PAGES; page++) {
		const reply = await callApi(ctx, api, 'read the delivery history', {
			method: 'GET',
			path: `${api.accountPath}/webhooks/${encodeURIComponent(webhookId)}/events-history`,
			qs: {
				start_time: since,
				page_size: HISTORY_PAGE_SIZE,
				...(startAfter !== undefined ? { start_after: startAfter } : {}),
			},
		});
		const entries = countFailures(reply.body, counts);
		const more = (reply.body as { has_more?: unknown } | undefined)?.has_more === true;
		const last = entries[entries.length - 1] as { id?: unknown } | undefined;
		if (!more || typeof last?.id !== 'string' || last.id === startAfter) break;
		startAfter = last.id;
	}
	return counts;
}

/**
 * Adds one page's failed statuses to `counts` and returns its entries. The reply's shape is not
 * documented beyond the statuses, so every list in it is read and each entry's `status` (or
 * `delivery_status`).
 */
function countFailures(body: unknown, counts: FailureCounts): unknown[] {
	const lists = Array.isArray(body)
		? [body]
		: body && typeof body === 'object'
			? Object.values(body).filter(Array.isArray)
			: [];
	for (const entry of lists.flat()) {
		if (!entry || typeof entry !== 'object') continue;
		const { status, delivery_status } = entry as { status?: unknown; delivery_status?: unknown };
		const text = String(status ?? delivery_status ?? '').toLowerCase();
		if (text === 'undelivered' || text === 'bounced' || text === 'expired') counts[text]++;
	}
	return lists.flat();
}
