import { randomUUID } from 'crypto';
import type { IHookFunctions } from 'n8n-workflow';
import { z } from 'zod';

import { asNodeError, callApi, readReply, unexpectedReply, type ProviderApi } from '../shared/api';
import { clearState, nodeState, ownedState, saveState } from '../shared/state';
import { cintApi } from './auth';

/** What the trigger remembers between publish and unpublish (node static data). */
export interface CintState {
	webhookUrl: string;
	webhookId: string;
	/** Returned by Cint only when the webhook is created or its secret regenerated. */
	secret: string;
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

const pageSchema = z.object({ webhooks: z.array(webhookSchema), has_more: z.boolean().optional() }).passthrough();
const secretSchema = z.object({ secret: z.string().min(1) }).passthrough();
const createdSchema = z.intersection(webhookSchema, secretSchema);

/** Cint answers pages of at most 100; a guard stops a provider that never says "no more". */
const MAX_PAGES = 500;

async function webhooksFor(ctx: IHookFunctions, api: CintApi, webhookUrl: string): Promise<Webhook[]> {
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
			throw unexpectedReply(ctx, api, step, current, 'The webhook was returned without an ETag header.');
		}
		const written = (await write(etag)) as { statusCode: number };
		if (written.statusCode !== 412) return written.statusCode === 404 ? 'gone' : 'done';
	}
	throw unexpectedReply(ctx, api, step, { statusCode: 412, headers: {}, body: null }, 'The webhook kept changing while it was being updated.');
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

async function regenerateSecret(ctx: IHookFunctions, api: CintApi, webhookId: string): Promise<string> {
	const step = 'regenerate the webhook secret';
	const reply = await callApi(ctx, api, step, {
		method: 'POST',
		path: `${api.accountPath}/webhooks/${encodeURIComponent(webhookId)}/regenerate-secret`,
		// Required by API version 2024-12-02 (the credential may name an older version), harmless later.
		headers: { 'Idempotency-Key': randomUUID() },
	});
	return readReply(ctx, api, step, reply, secretSchema).secret;
}

function selection(ctx: IHookFunctions) {
	return {
		webhookUrl: ctx.getNodeWebhookUrl('default') as string,
		events: [...(ctx.getNodeParameter('events', []) as string[])].sort(),
	};
}

const sameEvents = (a: string[], b: string[]) => a.length === b.length && [...a].sort().every((event, i) => event === b[i]);

/**
 * Finds this URL's webhook at Cint (all pages). When it exists it is repaired in place: events
 * brought in line with the node (PUT with If-Match), a missing secret regenerated and stored,
 * duplicates removed. False only when there is no webhook for this URL.
 */
export async function cintCheckExists(this: IHookFunctions): Promise<boolean> {
	const { webhookUrl, events } = selection(this);
	const api = await cintApi(this);
	const [webhook, ...duplicates] = await webhooksFor(this, api, webhookUrl);
	if (!webhook) return false;
	for (const duplicate of duplicates) await deleteWebhook(this, api, duplicate.id);
	if (!sameEvents(webhook.events, events)) {
		if ((await updateEvents(this, api, webhook.id, events)) === 'gone') return false;
	}
	const state = nodeState<CintState>(this);
	if (!state.secret || state.webhookId !== webhook.id || state.webhookUrl !== webhookUrl) {
		const secret = await regenerateSecret(this, api, webhook.id);
		saveState<CintState>(this, { webhookUrl, webhookId: webhook.id, secret });
	}
	return true;
}

/** One webhook carrying every selected event; its id and the secret from the 201 are stored. */
export async function cintCreate(this: IHookFunctions): Promise<boolean> {
	const { webhookUrl, events } = selection(this);
	const api = await cintApi(this);
	const step = 'create the webhook';
	const reply = await callApi(this, api, step, {
		method: 'POST',
		path: `${api.accountPath}/webhooks`,
		headers: { 'Idempotency-Key': randomUUID() },
		body: { url: webhookUrl, events },
	});
	try {
		const created = readReply(this, api, step, reply, createdSchema);
		saveState<CintState>(this, { webhookUrl, webhookId: created.id, secret: created.secret });
		return true;
	} catch (error) {
		// A webhook whose secret we did not get can never be verified: remove it again.
		const id = (reply.body as { id?: unknown } | null)?.id;
		if (typeof id === 'string' || typeof id === 'number') {
			await deleteWebhook(this, api, String(id)).catch((cleanupError: Error) =>
				this.logger.warn(`Cint Trigger could not remove webhook ${id} after a failed publish: ${cleanupError.message}`),
			);
		}
		throw asNodeError(this, error);
	}
}

/** Deletes the stored webhook and any other for this URL (404 counts as gone), then forgets it. */
export async function cintDelete(this: IHookFunctions): Promise<boolean> {
	const { webhookUrl } = selection(this);
	const state = ownedState<CintState>(this, webhookUrl);
	const api = await cintApi(this);
	const ids = new Set((await webhooksFor(this, api, webhookUrl)).map((webhook) => webhook.id));
	if (state?.webhookId) ids.add(state.webhookId);
	for (const id of ids) await deleteWebhook(this, api, id);
	if (state) clearState(this);
	return true;
}
