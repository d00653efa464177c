import type {
	IHookFunctions,
	ILoadOptionsFunctions,
	INodeListSearchResult,
	INodePropertyOptions,
} from 'n8n-workflow';
import { z } from 'zod';

import {
	callApi,
	readReply,
	tokenApi,
	unexpectedReply,
	type ApiContext,
	type ProviderApi,
} from '../shared/api';
import { loadEventOptions } from '../shared/event-options';
import { listPages } from '../shared/pages';
import { printable } from '../shared/log';
import type { ProviderRegistration, Rollback } from '../shared/registration';
import type { SealKey } from '../shared/sealed';
import { PROLIFIC_EVENTS, workspaceParameter } from './events';
import { PROLIFIC_BASE_URL } from '../../credentials/endpoints';

/** What the trigger remembers between publish and unpublish (node static data). */
export interface ProlificState {
	webhookUrl: string;
	workspaceId: string;
	/** The workspace's signing secret, reused from Prolific (never rotated by us). */
	secret: string;
	/** Subscription id per event type. */
	subscriptionIds: Record<string, string>;
}

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

/** Lists paged with `limit`/`offset`, as Prolific's CLI reads them (listPages follows `next` links too). */
const OFFSET_PAGED = { paging: 'offset', pageSize: 100, maxPages: 100 } as const;

const secretSchema = z.object({ id: id.optional(), value: z.string().min(1) }).passthrough();

export const prolificApi = (ctx: ApiContext) =>
	tokenApi(ctx, {
		displayName: 'Prolific',
		credentialType: 'prolificApi',
		endpoint: PROLIFIC_BASE_URL,
	});

/** The Workspace parameter's list: every workspace (filtered by what the user types), with its ID. */
export async function searchWorkspaces(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const wanted = (filter ?? '').toLowerCase();
	const workspaces = await listWorkspaces.call(this);
	return {
		results: workspaces
			.filter((workspace) =>
				`${workspace.name} ${String(workspace.value)}`.toLowerCase().includes(wanted),
			)
			.map((workspace) => ({ name: workspace.name, value: String(workspace.value) })),
	};
}

export async function listWorkspaces(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const api = await prolificApi(this);
	const workspace = z
		.object({ id, title: z.string().nullish(), name: z.string().nullish() })
		.passthrough();
	// Without `limit` Prolific answers 20: every page is read.
	const workspaces = await listPages(this, api, 'list workspaces', {
		...OFFSET_PAGED,
		path: '/api/v1/workspaces/',
		item: workspace,
	});
	return workspaces.map((item) => ({ name: item.title || item.name || item.id, value: item.id }));
}

const eventTypeSchema = z
	.object({ event_type: z.string(), description: z.string().nullish() })
	.passthrough();

/** The event types Prolific lists (its API is the authority; the package knows four payloads). */
export async function listEventTypes(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return loadEventOptions(this, 'Prolific', PROLIFIC_EVENTS, async () => {
		const api = await prolificApi(this);
		// No paging documented: one call, and any next link the answer gives.
		const types = await listPages(this, api, 'list event types', {
			path: '/api/v1/hooks/event-types/',
			item: eventTypeSchema,
			paging: 'none',
			pageSize: 100,
			maxPages: 20,
		});
		return types.map((type) => ({ value: type.event_type, description: type.description }));
	});
}

/** The subscriptions of a workspace that deliver to this URL, enabled and disabled ones alike. */
async function subscriptionsFor(
	ctx: IHookFunctions,
	api: ProviderApi,
	workspaceId: string,
	webhookUrl: string,
): Promise<Subscription[]> {
	const found: Subscription[] = [];
	// Prolific hides disabled subscriptions unless asked for them.
	for (const isEnabled of [true, false]) {
		const listed = await listPages(ctx, api, 'list webhook subscriptions', {
			...OFFSET_PAGED,
			path: '/api/v1/hooks/subscriptions/',
			qs: { workspace_id: workspaceId, is_enabled: isEnabled },
			item: subscriptionSchema,
		});
		for (const subscription of listed)
			if (subscription.target_url === webhookUrl)
				found.push({ ...subscription, is_enabled: subscription.is_enabled ?? isEnabled });
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
	created: Rollback,
): Promise<string> {
	const step = `subscribe to ${printable(eventType)}`;
	const reply = await callApi(ctx, api, step, {
		method: 'POST',
		path: '/api/v1/hooks/subscriptions/',
		body: { event_type: eventType, target_url: webhookUrl, workspace_id: workspaceId },
	});
	const listed = readReply(ctx, api, step, reply, createdSubscriptionSchema);
	const subscription = listed.find(
		(item) => item.event_type === eventType && item.target_url === webhookUrl,
	);
	if (!subscription) {
		throw unexpectedReply(
			ctx,
			api,
			step,
			reply,
			`The reply lists no ${printable(eventType)} subscription for this webhook URL.`,
		);
	}
	created(`subscription ${subscription.id}`, () => unsubscribe(ctx, api, subscription.id));
	const hookSecret = reply.headers['x-hook-secret'];
	if (typeof hookSecret !== 'string' || !hookSecret) {
		throw unexpectedReply(
			ctx,
			api,
			step,
			reply,
			'The reply has no X-Hook-Secret header to confirm it with.',
		);
	}
	await callApi(ctx, api, `confirm the ${printable(eventType)} subscription`, {
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

/** A page of Prolific's delivery log: the total of the filtered log in `meta.count`, as Prolific's own CLI reads it. */
const deliveryLogSchema = z
	.object({
		meta: z.object({ count: z.number().int().nonnegative().optional() }).passthrough().optional(),
		results: z.array(z.object({ status: z.unknown().optional() }).passthrough()),
	})
	.passthrough();

/** Pages read when a log carries no total: then FAILED entries are counted one by one. */
const LOG_PAGE_LIMIT = 100;
const MAX_LOG_PAGES = 10;

/**
 * How many deliveries of a subscription Prolific reports FAILED: the log filtered on
 * `status=FAILED` (the filter Prolific documents) carries its total in `meta.count`; without one,
 * the FAILED entries of up to ten pages are counted.
 */
async function failedDeliveries(
	ctx: IHookFunctions,
	api: ProviderApi,
	subscriptionId: string,
): Promise<number> {
	const step = 'read the delivery log';
	let counted = 0;
	for (let page = 0; page < MAX_LOG_PAGES; page++) {
		const reply = await callApi(ctx, api, step, {
			method: 'GET',
			path: `/api/v1/hooks/subscriptions/${encodeURIComponent(subscriptionId)}/events/`,
			qs: { status: 'FAILED', limit: LOG_PAGE_LIMIT, offset: page * LOG_PAGE_LIMIT },
		});
		const log = readReply(ctx, api, step, reply, deliveryLogSchema);
		if (log.meta?.count !== undefined) return log.meta.count;
		counted += log.results.filter((entry) => entry.status === 'FAILED').length;
		if (log.results.length < LOG_PAGE_LIMIT) break;
	}
	return counted;
}

const selectedEvents = (ctx: IHookFunctions) => ctx.getNodeParameter('events', []) as string[];
const selectedWorkspace = (ctx: IHookFunctions) => workspaceParameter(ctx);

/**
 * Prolific keeps one signing secret per workspace and one subscription per event type and URL.
 * In place only when the stored registration matches this URL and workspace, the workspace secret
 * is still the stored one, and exactly the selected events have an enabled subscription here;
 * otherwise `register` reuses what it can.
 */
/** The workspace secret is stored sealed with the credential's API token. */
export const PROLIFIC_SEAL: SealKey = { credential: 'prolificApi', field: 'apiToken' };

export const prolificRegistration: ProviderRegistration<ProlificState> = {
	api: prolificApi,
	// Prolific's subscription reference: `target_url` must be a public https URL.
	httpsOnly: true,
	sealed: { fields: ['secret'], key: PROLIFIC_SEAL },

	async repair(ctx, api, webhookUrl, stored) {
		const workspaceId = selectedWorkspace(ctx);
		const events = selectedEvents(ctx);
		if (!stored.secret || stored.webhookUrl !== webhookUrl || stored.workspaceId !== workspaceId)
			return 'register';
		if ((await workspaceSecret(ctx, api, workspaceId)) !== stored.secret) return 'register';
		const subscriptions = await subscriptionsFor(ctx, api, workspaceId, webhookUrl);
		const enabled = subscriptions.filter((subscription) => subscription.is_enabled);
		const inPlace =
			subscriptions.length === events.length &&
			events.every((event) => enabled.some((subscription) => subscription.event_type === event));
		return inPlace ? 'keep' : 'register';
	},

	/**
	 * Reuses the workspace secret (creating one only when there is none), reuses or re-enables
	 * existing subscriptions for this URL, subscribes the missing events and removes subscriptions
	 * for events no longer selected.
	 */
	async register(ctx, api, webhookUrl, created) {
		const workspaceId = selectedWorkspace(ctx);
		const secret =
			(await workspaceSecret(ctx, api, workspaceId)) ??
			(await createWorkspaceSecret(ctx, api, workspaceId));
		const existing = await subscriptionsFor(ctx, api, workspaceId, webhookUrl);
		const subscriptionIds: Record<string, string> = {};
		for (const event of selectedEvents(ctx)) {
			const matches = existing.filter((subscription) => subscription.event_type === event);
			const keep = matches.find((subscription) => subscription.is_enabled) ?? matches[0];
			if (!keep) {
				subscriptionIds[event] = await subscribe(ctx, api, workspaceId, event, webhookUrl, created);
				continue;
			}
			if (!keep.is_enabled) {
				await callApi(ctx, api, `re-enable the ${printable(event)} subscription`, {
					method: 'PATCH',
					path: `/api/v1/hooks/subscriptions/${encodeURIComponent(keep.id)}/`,
					body: { is_enabled: true },
				});
			}
			subscriptionIds[event] = keep.id;
		}
		const kept = new Set(Object.values(subscriptionIds));
		for (const subscription of existing) {
			if (!kept.has(subscription.id)) await unsubscribe(ctx, api, subscription.id);
		}
		return { webhookUrl, workspaceId, secret, subscriptionIds };
	},

	storedIds: (stored) => Object.values(stored.subscriptionIds ?? {}),

	async registeredIds(ctx, api, webhookUrl, stored) {
		const workspaceId = stored?.workspaceId || workspaceParameter(ctx);
		if (!workspaceId) return [];
		return (await subscriptionsFor(ctx, api, workspaceId, webhookUrl)).map(
			(subscription) => subscription.id,
		);
	},

	remove: unsubscribe,

	/** Prolific's delivery log: failed deliveries per subscription (it disables one that keeps failing; publishing enables it again). */
	async deliveryHealth(ctx, api, stored) {
		const failed: string[] = [];
		let total = 0;
		for (const [event, subscriptionId] of Object.entries(stored.subscriptionIds ?? {})) {
			const count = await failedDeliveries(ctx, api, subscriptionId);
			if (count > 0) failed.push(`${event}: ${count}`);
			total += count;
		}
		if (!total) return undefined;
		const message = `Prolific reports ${total} FAILED deliveries to this trigger (${failed.join(', ')}). Prolific retries a delivery for 24 h and disables a subscription that keeps failing (publishing enables it again); check that n8n is reachable from Prolific; a Prolific Missed Events node in this workflow runs the events Prolific gave up on.`;
		return { failed: total, message };
	},
};
