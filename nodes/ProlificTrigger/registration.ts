import type { IHookFunctions, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';
import { z } from 'zod';

import {
	asNodeError,
	callApi,
	credentialSecrets,
	readReply,
	unexpectedReply,
	type ApiContext,
	type ProviderApi,
} from '../shared/api';
import { clearState, nodeState, ownedState, saveState } from '../shared/state';

/** What the trigger remembers between publish and unpublish (node static data). */
export interface ProlificState {
	webhookUrl: string;
	workspaceId: string;
	/** The workspace's signing secret, reused from Prolific (never rotated by us). */
	secret: string;
	/** Subscription id per event type. */
	subscriptionIds: Record<string, string>;
}

const DEFAULT_BASE_URL = 'https://api.prolific.com';

const id = z.union([z.string().min(1), z.number()]).transform(String);

const subscriptionSchema = z
	.object({
		id,
		event_type: z.string(),
		target_url: z.string(),
		is_enabled: z.boolean().optional(),
	})
	.passthrough();
type Subscription = z.infer<typeof subscriptionSchema>;

const resultsOf = <T extends z.ZodTypeAny>(item: T) =>
	z.object({ results: z.array(item) }).passthrough();

/**
 * Prolific documents the created subscription's reply as `results`, "list of all subscriptions";
 * its CLI reads a bare object. Both are accepted, and ours is picked by event type and target URL.
 */
const createdSubscriptionSchema = z.union([
	subscriptionSchema.transform((subscription) => [subscription]),
	resultsOf(subscriptionSchema).transform((reply) => reply.results),
]);

/** One page of a subscription list; `next` (Django REST style) says whether more follow. */
const subscriptionPageSchema = resultsOf(subscriptionSchema).extend({ next: z.string().nullish() });
const PAGE_LIMIT = 200;
const MAX_PAGES = 100;

const secretSchema = z.object({ id: id.optional(), value: z.string().min(1) }).passthrough();

export async function prolificApi(ctx: ApiContext): Promise<ProviderApi> {
	const credentials = await ctx.getCredentials<{ baseUrl?: string; apiToken?: string }>('prolificApi');
	const baseUrl = (credentials.baseUrl || DEFAULT_BASE_URL).replace(/\/+$/, '');
	return {
		displayName: 'Prolific',
		credentialType: 'prolificApi',
		baseUrl,
		secrets: credentialSecrets(credentials, ['apiToken'], baseUrl),
	};
}

export async function listWorkspaces(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const api = await prolificApi(this);
	const step = 'list workspaces';
	const reply = await callApi(this, api, step, { method: 'GET', path: '/api/v1/workspaces/' });
	const workspace = z
		.object({ id, title: z.string().nullish(), name: z.string().nullish() })
		.passthrough();
	const { results } = readReply(this, api, step, reply, resultsOf(workspace));
	return results.map((item) => ({ name: item.title || item.name || item.id, value: item.id }));
}

/** The subscriptions of a workspace that deliver to this URL, enabled and disabled ones alike. */
async function subscriptionsFor(
	ctx: IHookFunctions,
	api: ProviderApi,
	workspaceId: string,
	webhookUrl: string,
): Promise<Subscription[]> {
	const step = 'list webhook subscriptions';
	const found: Subscription[] = [];
	for (const isEnabled of [true, false]) {
		for (let page = 0, offset = 0; page < MAX_PAGES; page++) {
			const reply = await callApi(ctx, api, step, {
				method: 'GET',
				path: '/api/v1/hooks/subscriptions/',
				qs: { workspace_id: workspaceId, is_enabled: isEnabled, limit: PAGE_LIMIT, offset },
			});
			const { results, next } = readReply(ctx, api, step, reply, subscriptionPageSchema);
			for (const subscription of results) {
				if (subscription.target_url !== webhookUrl) continue;
				found.push({ ...subscription, is_enabled: subscription.is_enabled ?? isEnabled });
			}
			offset += results.length;
			const more = next !== undefined ? Boolean(next) : results.length >= PAGE_LIMIT;
			if (!more || results.length === 0) break;
		}
	}
	return found;
}

export async function workspaceSecret(
	ctx: ApiContext,
	api: ProviderApi,
	workspaceId: string,
): Promise<string | undefined> {
	const step = 'read the workspace webhook secret';
	const reply = await callApi(ctx, api, step, {
		method: 'GET',
		path: '/api/v1/hooks/secrets/',
		qs: { workspace_id: workspaceId },
	});
	return readReply(ctx, api, step, reply, resultsOf(secretSchema)).results[0]?.value;
}

async function createWorkspaceSecret(
	ctx: IHookFunctions,
	api: ProviderApi,
	workspaceId: string,
): Promise<string> {
	const step = 'create the workspace webhook secret';
	const reply = await callApi(ctx, api, step, {
		method: 'POST',
		path: '/api/v1/hooks/secrets/',
		body: { workspace_id: workspaceId },
	});
	return readReply(ctx, api, step, reply, secretSchema).value;
}

/** Creates a subscription and confirms it with the one-time X-Hook-Secret; returns its id. */
async function subscribe(
	ctx: IHookFunctions,
	api: ProviderApi,
	workspaceId: string,
	eventType: string,
	webhookUrl: string,
	created: string[],
): Promise<string> {
	const step = `subscribe to ${eventType}`;
	const reply = await callApi(ctx, api, step, {
		method: 'POST',
		path: '/api/v1/hooks/subscriptions/',
		body: { event_type: eventType, target_url: webhookUrl, workspace_id: workspaceId },
	});
	const listed = readReply(ctx, api, step, reply, createdSubscriptionSchema);
	const subscription = listed.find((item) => item.event_type === eventType && item.target_url === webhookUrl);
	if (!subscription) {
		throw unexpectedReply(ctx, api, step, reply, `The reply lists no ${eventType} subscription for this webhook URL.`);
	}
	created.push(subscription.id);
	const hookSecret = reply.headers['x-hook-secret'];
	if (typeof hookSecret !== 'string' || !hookSecret) {
		throw unexpectedReply(ctx, api, step, reply, 'The reply has no X-Hook-Secret header to confirm it with.');
	}
	await callApi(ctx, api, `confirm the ${eventType} subscription`, {
		method: 'POST',
		path: `/api/v1/hooks/subscriptions/${encodeURIComponent(subscription.id)}/`,
		body: { secret: hookSecret },
	});
	return subscription.id;
}

async function unsubscribe(ctx: IHookFunctions, api: ProviderApi, subscriptionId: string) {
	await callApi(ctx, api, 'delete a webhook subscription', {
		method: 'DELETE',
		path: `/api/v1/hooks/subscriptions/${encodeURIComponent(subscriptionId)}/`,
		accept: [200, 202, 204, 404],
	});
}

function selection(ctx: IHookFunctions) {
	return {
		webhookUrl: ctx.getNodeWebhookUrl('default') as string,
		workspaceId: String(ctx.getNodeParameter('workspaceId')),
		events: ctx.getNodeParameter('events', []) as string[],
	};
}

/**
 * True only when the stored registration matches this URL and workspace, the workspace secret is
 * still the stored one, and exactly the selected events have an enabled subscription here.
 */
export async function prolificCheckExists(this: IHookFunctions): Promise<boolean> {
	const { webhookUrl, workspaceId, events } = selection(this);
	const state = nodeState<ProlificState>(this);
	if (!state.secret || state.webhookUrl !== webhookUrl || state.workspaceId !== workspaceId) {
		return false;
	}
	const api = await prolificApi(this);
	if ((await workspaceSecret(this, api, workspaceId)) !== state.secret) return false;
	const subscriptions = await subscriptionsFor(this, api, workspaceId, webhookUrl);
	const enabled = subscriptions.filter((subscription) => subscription.is_enabled);
	return (
		subscriptions.length === events.length &&
		events.every((event) => enabled.some((subscription) => subscription.event_type === event))
	);
}

/**
 * Brings Prolific in line with the node: reuses the workspace secret (creating one only when there
 * is none), reuses or re-enables existing subscriptions for this URL, subscribes the missing events
 * and removes subscriptions for events no longer selected. On failure, what this call created is
 * deleted again before the error is raised, so n8n's publish retries never pile up subscriptions.
 */
export async function prolificCreate(this: IHookFunctions): Promise<boolean> {
	const { webhookUrl, workspaceId, events } = selection(this);
	const api = await prolificApi(this);
	const created: string[] = [];
	try {
		const secret =
			(await workspaceSecret(this, api, workspaceId)) ??
			(await createWorkspaceSecret(this, api, workspaceId));
		const existing = await subscriptionsFor(this, api, workspaceId, webhookUrl);
		const subscriptionIds: Record<string, string> = {};
		for (const event of events) {
			const matches = existing.filter((subscription) => subscription.event_type === event);
			const keep = matches.find((subscription) => subscription.is_enabled) ?? matches[0];
			if (!keep) {
				subscriptionIds[event] = await subscribe(this, api, workspaceId, event, webhookUrl, created);
				continue;
			}
			if (!keep.is_enabled) {
				await callApi(this, api, `re-enable the ${event} subscription`, {
					method: 'PATCH',
					path: `/api/v1/hooks/subscriptions/${encodeURIComponent(keep.id)}/`,
					body: { is_enabled: true },
				});
			}
			subscriptionIds[event] = keep.id;
		}
		const kept = new Set(Object.values(subscriptionIds));
		for (const subscription of existing) {
			if (!kept.has(subscription.id)) await unsubscribe(this, api, subscription.id);
		}
		saveState<ProlificState>(this, { webhookUrl, workspaceId, secret, subscriptionIds });
		return true;
	} catch (error) {
		for (const subscriptionId of created) {
			await unsubscribe(this, api, subscriptionId).catch((cleanupError: Error) =>
				this.logger.warn(
					`Prolific Trigger could not remove subscription ${subscriptionId} after a failed publish: ${cleanupError.message}`,
				),
			);
		}
		throw asNodeError(this, error);
	}
}

/** Deletes every subscription stored for, or found at, this URL (404 counts as gone). */
export async function prolificDelete(this: IHookFunctions): Promise<boolean> {
	const webhookUrl = this.getNodeWebhookUrl('default') as string;
	const state = ownedState<ProlificState>(this, webhookUrl);
	const ids = new Set(Object.values(state?.subscriptionIds ?? {}));
	const workspaceId = state?.workspaceId || String(this.getNodeParameter('workspaceId', ''));
	const api = await prolificApi(this);
	if (workspaceId) {
		for (const subscription of await subscriptionsFor(this, api, workspaceId, webhookUrl)) {
			ids.add(subscription.id);
		}
	}
	for (const subscriptionId of ids) await unsubscribe(this, api, subscriptionId);
	if (state) clearState(this);
	return true;
}
