import type {
	IDataObject,
	IHookFunctions,
	ILoadOptionsFunctions,
	INodePropertyOptions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	callApi,
	tokenApi,
	unexpectedReply,
	type ApiContext,
	type ApiReply,
	type ProviderApi,
} from '../shared/api';
import { isObject } from '../shared/json';
import type { ProviderRegistration } from '../shared/registration';
import { hashToken, isHashed, newToken, TOKEN_SHAPE, tokenMatches } from './token';
import { POLTIO_BASE_URL } from '../../credentials/endpoints';

/** What the trigger remembers between publish and unpublish (node static data). */
export interface PoltioState {
	webhookUrl: string;
	hookId: string;
	/** The SHA-256 of the random value in the registered URL (token.ts); deliveries must carry the value. */
	token: string;
	/** Where the token travels; absent means `query`. */
	tokenIn?: TokenPlacement;
}

/**
 * `query`: the default webhook URL with `?token=…`. `path`: the node's second webhook, whose last
 * path segment is the token, for a Poltio that keeps hook URLs without their query string.
 */
export type TokenPlacement = 'query' | 'path';

/** The node's webhook that takes the token as its last path segment (PoltioTrigger.node.ts); n8n's types name a node's second webhook `setup`. */
export const TOKEN_IN_PATH_WEBHOOK = 'setup';

const ACCOUNT_WIDE_LIMIT = 2;
const MAX_PAGES = 100;

/** Poltio's API; no error may show a URL token, which the trigger does not keep: they are redacted by their shape. */
export async function poltioApi(ctx: ApiContext): Promise<ProviderApi> {
	const api = await tokenApi(ctx, {
		displayName: 'Poltio',
		credentialType: 'poltioApi',
		endpoint: POLTIO_BASE_URL,
	});
	api.secretPatterns = [TOKEN_SHAPE];
	return api;
}

/** The token a hook URL carries, in the query string or as its last path segment. */
function tokenIn(url: string, placement: TokenPlacement): string | undefined {
	try {
		const parsed = new URL(url);
		return (
			(placement === 'path'
				? decodeURIComponent(parsed.pathname.split('/').pop() ?? '')
				: parsed.searchParams.get('token')) || undefined
		);
	} catch {
		return undefined;
	}
}

type Json = Record<string, unknown>;

/** Poltio's reply shapes are not documented: accept a bare list or one wrapped in data/items/hooks. */
function listIn(body: unknown): Json[] {
	for (const candidate of [
		body,
		...(isObject(body) ? [body.data, body.items, body.hooks, body.contents] : []),
	]) {
		if (Array.isArray(candidate)) return candidate.filter(isObject);
		if (isObject(candidate) && Array.isArray(candidate.data))
			return candidate.data.filter(isObject);
	}
	return [];
}

/** A single object, bare or wrapped in data/hook. */
function objectIn(body: unknown): Json | undefined {
	if (!isObject(body)) return undefined;
	for (const candidate of [body.data, body.hook, body]) {
		if (isObject(candidate) && (candidate.id !== undefined || candidate.url !== undefined))
			return candidate;
	}
	return undefined;
}

const idOf = (hook: Json | undefined) =>
	typeof hook?.id === 'number' || (typeof hook?.id === 'string' && hook.id)
		? String(hook.id)
		: undefined;

export async function listContents(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const api = await poltioApi(this);
	const reply = await callApi(this, api, 'list contents', {
		method: 'GET',
		path: '/platform/content',
	});
	return listIn(reply.body)
		.map((content) => {
			const value = content.public_id ?? content.id;
			const title = String(content.title ?? content.name ?? value);
			const type = content.type ?? content.content_type;
			return { name: type ? `${title} (${type})` : title, value: String(value) };
		})
		.filter((option) => option.value !== 'undefined');
}

/** The two URLs a hook of this node may have; `path` ends in `/:token`. */
function webhookUrls(ctx: IHookFunctions): { query: string; path: string } {
	return {
		query: ctx.getNodeWebhookUrl('default') as string,
		path: ctx.getNodeWebhookUrl(TOKEN_IN_PATH_WEBHOOK) as string,
	};
}

function tokenUrl(
	urls: { query: string; path: string },
	token: string,
	tokenIn: TokenPlacement,
): string {
	return tokenIn === 'path' ? urls.path.replace(/:token$/, token) : `${urls.query}?token=${token}`;
}

/** The hook Poltio should have for this node: URL with token, scope and delivery settings. */
function desiredHook(ctx: IHookFunctions, url: string): IDataObject {
	const scope = ctx.getNodeParameter('scope', 'content') as string;
	const events = ctx.getNodeParameter('events', []) as string[];
	const settings = ctx.getNodeParameter('deliverySettings', {}) as {
		delay?: number;
		sendAnswers?: boolean;
		sendLeads?: boolean;
		sendIncomplete?: boolean;
		incompleteDelay?: number;
	};
	const delay = settings.delay ?? 10;
	const incompleteDelay = settings.incompleteDelay ?? 60;
	const sendIncomplete = settings.sendIncomplete === true || events.includes('session.incomplete');
	if (sendIncomplete && (incompleteDelay < 60 || incompleteDelay < delay)) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Incomplete Delay must be at least 60 seconds and at least the Delay (${delay} s); it is ${incompleteDelay} s`,
		);
	}
	const workflow = ctx.getWorkflow();
	const hook: IDataObject = {
		url,
		name: `n8n: ${workflow.name ?? workflow.id ?? 'workflow'}`.slice(0, 190),
		is_active: true,
		account_wide: scope === 'account',
		delay,
		send_answers: settings.sendAnswers ?? true,
		send_leads: settings.sendLeads ?? true,
		incomplete_send: sendIncomplete,
	};
	// Poltio checks incomplete_delay against delay (≥ 60 and ≥ delay): sent only when it applies.
	if (sendIncomplete) hook.incomplete_delay = incompleteDelay;
	if (scope !== 'account') hook.public_id = String(ctx.getNodeParameter('contentId'));
	return hook;
}

/** Whether Poltio's copy of the hook differs from what the node wants (fields it does not echo are ignored). */
function differs(remote: Json, desired: IDataObject): boolean {
	return Object.entries(desired).some(([key, value]) => {
		if (!(key in remote) || key === 'name') return false;
		const current = remote[key];
		if (typeof value === 'boolean') return Boolean(current) !== value;
		return String(current ?? '') !== String(value ?? '');
	});
}

async function listHooks(ctx: IHookFunctions, api: ProviderApi): Promise<Json[]> {
	const hooks: Json[] = [];
	const perPage = 100;
	for (let page = 1; page <= MAX_PAGES; page++) {
		const reply = await callApi(ctx, api, 'list webhooks', {
			method: 'GET',
			path: '/platform/hooks/web',
			qs: { page, per_page: perPage },
		});
		const items = listIn(reply.body);
		hooks.push(...items);
		if (items.length < perPage) break;
	}
	return hooks;
}

/** Whether a hook at Poltio was registered by this node, with the token in either place. */
const belongsTo = (hook: Json, urls: { query: string; path: string }) =>
	typeof hook.url === 'string' &&
	(hook.url.startsWith(`${urls.query}?token=`) ||
		hook.url.startsWith(urls.path.replace(/:token$/, '')));

async function deleteHook(ctx: IHookFunctions, api: ProviderApi, hookId: string) {
	await callApi(ctx, api, 'delete the webhook', {
		method: 'DELETE',
		path: `/platform/hooks/web/${encodeURIComponent(hookId)}`,
		accept: [200, 202, 204, 404],
	});
}

/**
 * One Poltio hook per node, its URL carrying a random token. In place when the stored hook still
 * exists at Poltio; settings that changed in the node (delay, answers, leads, incomplete, scope)
 * are updated in place with PUT.
 */
export const poltioRegistration: ProviderRegistration<PoltioState> = {
	api: poltioApi,

	/**
	 * The token is read back from the hook's URL at Poltio (only its hash is stored) and must match;
	 * a token stored by an older version in the clear is replaced by its hash.
	 */
	async repair(ctx, api, webhookUrl, stored) {
		if (!stored.hookId || !stored.token || stored.webhookUrl !== webhookUrl) return 'register';
		const path = `/platform/hooks/web/${encodeURIComponent(stored.hookId)}`;
		const current = await callApi(ctx, api, 'read the webhook', {
			method: 'GET',
			path,
			accept: [200, 404],
		});
		const remote = objectIn(current.body);
		if (current.statusCode === 404 || !remote) return 'register';
		const placement = stored.tokenIn ?? 'query';
		const token = typeof remote.url === 'string' ? tokenIn(remote.url, placement) : undefined;
		if (!token || !tokenMatches(stored.token, token)) return 'register';
		const desired = desiredHook(ctx, tokenUrl(webhookUrls(ctx), token, placement));
		if (differs(remote, desired)) {
			const updated = await callApi(ctx, api, 'update the webhook', {
				method: 'PUT',
				path,
				body: desired,
				accept: [200, 201, 204, 404],
			});
			if (updated.statusCode === 404) return 'register';
		}
		return isHashed(stored.token)
			? 'keep'
			: { store: { ...(stored as PoltioState), token: hashToken(token) } };
	},

	/**
	 * Registers the hook with a fresh random token in its URL. Hooks left behind for this URL (an
	 * earlier token) are removed first; the account-wide limit is checked before asking Poltio.
	 *
	 * The new hook is read back: a Poltio that dropped the URL's query string would turn every
	 * delivery into a 401 while the workflow looks published. Such a hook is replaced by one with the
	 * token as a path segment; if Poltio does not keep that either, nothing is left and the publish fails.
	 */
	async register(ctx, api, webhookUrl, created) {
		const urls = webhookUrls(ctx);
		const token = newToken();
		const desired = desiredHook(ctx, tokenUrl(urls, token, 'query'));
		api.secrets.push(token);
		const hooks = await listHooks(ctx, api);
		for (const stale of hooks.filter((hook) => belongsTo(hook, urls))) {
			const staleId = idOf(stale);
			if (staleId) await deleteHook(ctx, api, staleId);
		}
		if (desired.account_wide) {
			const accountWide = hooks.filter((hook) => hook.account_wide && !belongsTo(hook, urls));
			if (accountWide.length >= ACCOUNT_WIDE_LIMIT) {
				throw new NodeOperationError(
					ctx.getNode(),
					`Poltio allows at most ${ACCOUNT_WIDE_LIMIT} account-wide webhooks and this account already has ${accountWide.length} (${accountWide.map((hook) => hook.name ?? hook.id).join(', ')})`,
					{
						description: 'Remove one in Poltio (Platform › Webhooks), or set Scope to One Content.',
					},
				);
			}
		}
		const lost: string[] = [];
		for (const tokenIn of ['query', 'path'] as const) {
			desired.url = tokenUrl(urls, token, tokenIn);
			const reply = await callApi(ctx, api, 'create the webhook', {
				method: 'POST',
				path: '/platform/hooks/web',
				body: desired,
			});
			const hookId =
				idOf(objectIn(reply.body)) ?? (await findHookId(ctx, api, String(desired.url), reply));
			created(`hook ${hookId}`, () => deleteHook(ctx, api, hookId));
			const stored = await storedUrl(ctx, api, hookId);
			if (stored === undefined || stored === desired.url)
				return {
					webhookUrl,
					hookId,
					token: hashToken(token),
					...(tokenIn === 'path' ? { tokenIn } : {}),
				};
			// Removed before the next try: Poltio counts account-wide hooks.
			await deleteHook(ctx, api, hookId);
			lost.push(stored.split(token).join('…'));
		}
		throw new NodeOperationError(
			ctx.getNode(),
			'Poltio stored the webhook URL without its token, so deliveries could not be verified; the webhook was removed again',
			{
				description: `Poltio kept ${lost.map((url) => `"${url}"`).join(' and ')} (the token in the query string, then as a path segment). Please report this, with your Poltio plan, to the package maintainers.`,
			},
		);
	},

	storedIds: (stored) => (stored.hookId ? [stored.hookId] : []),

	async registeredIds(ctx, api) {
		const urls = webhookUrls(ctx);
		return (await listHooks(ctx, api))
			.filter((hook) => belongsTo(hook, urls))
			.flatMap((hook) => idOf(hook) ?? []);
	},

	remove: deleteHook,
};

/** The URL Poltio keeps for a hook, as it reads back (undefined when the reply does not say). */
async function storedUrl(
	ctx: IHookFunctions,
	api: ProviderApi,
	hookId: string,
): Promise<string | undefined> {
	const path = `/platform/hooks/web/${encodeURIComponent(hookId)}`;
	const stored = await callApi(ctx, api, 'read the new webhook back', {
		method: 'GET',
		path,
		accept: [200, 404],
	});
	const url = objectIn(stored.body)?.url;
	return typeof url === 'string' ? url : undefined;
}

/** When the create reply carries no id, the new hook is found by its (unique, tokenised) URL. */
async function findHookId(
	ctx: IHookFunctions,
	api: ProviderApi,
	url: string,
	reply: ApiReply,
): Promise<string> {
	const hookId = idOf((await listHooks(ctx, api)).find((hook) => hook.url === url));
	if (hookId) return hookId;
	throw unexpectedReply(
		ctx,
		api,
		'create the webhook',
		reply,
		'Poltio did not return the new webhook’s id and it is not in the webhook list.',
	);
}
