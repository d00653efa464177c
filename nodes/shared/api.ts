import type {
	ICredentialsDecrypted,
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IPollFunctions,
	IWebhookFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';
import type { ZodType, ZodTypeDef } from 'zod';

import { hasOwn } from './json';
import { printable } from './log';

import { endpointOf, type Endpoint } from '../../credentials/endpoints';

export type ApiContext =
	| IExecuteFunctions
	| IHookFunctions
	| ILoadOptionsFunctions
	| IPollFunctions
	| IWebhookFunctions;

/** How a provider's management API is reached. */
export interface ProviderApi {
	/** Human name used in error messages, e.g. "Prolific". */
	displayName: string;
	/** n8n credential type whose `authenticate` block signs each call. */
	credentialType: string;
	/** Base URL without trailing slash. */
	baseUrl: string;
	/** Headers sent with every call (e.g. an API version). */
	headers?: IDataObject;
	/**
	 * Values that no error message may contain: API tokens, client secrets, a URL token the trigger
	 * registers, userinfo of the base URL. Providers echo requests in their error bodies.
	 */
	secrets: string[];
	/** Shapes of secrets the trigger does not keep (Poltio's URL tokens): whatever matches is redacted too. */
	secretPatterns?: RegExp[];
	/** Credential data to use instead of the stored one (e.g. a token renewed earlier). */
	credentialsOverride?: ICredentialsDecrypted;
	/**
	 * For token-based APIs: fetches fresh credential data after the provider refused the token with
	 * one of `expiredTokenStatuses`. The call is then repeated once with it. Works the same on n8n 1.x
	 * and 2.x (n8n's own refresh only reacts to 401).
	 */
	renewCredentials?: () => Promise<ICredentialsDecrypted>;
	expiredTokenStatuses?: number[];
}

export interface ApiCall {
	method: IHttpRequestMethods;
	path: string;
	qs?: IDataObject;
	body?: IDataObject;
	headers?: IDataObject;
	/** Statuses that count as success; 2xx when omitted. */
	accept?: number[];
	/**
	 * Sent once, never repeated (a call that is not idempotent, such as a payment): no retry on a
	 * network error, a timeout, 429 or 5xx.
	 */
	once?: boolean;
	/** A shorter wait than apiLimits.timeoutMs, for a call made while a provider waits for its answer. */
	timeoutMs?: number;
}

export interface ApiReply {
	statusCode: number;
	headers: IDataObject;
	body: unknown;
}

/** Bounds for every management call; adjustable for tests that inject slow or failing providers. */
export const apiLimits = {
	timeoutMs: 15_000,
	attempts: 3,
	maxRetryAfterMs: 10_000,
	backoffMs: 500,
};

const isRetryable = (status: number) => status === 429 || status >= 500;

/** Plain words for network error codes (n8n rewrites messages that contain the raw codes). */
const NETWORK_PHRASES: Record<string, string> = {
	ECONNREFUSED: 'connection refused',
	ECONNRESET: 'connection reset',
	EPIPE: 'connection reset',
	ECONNABORTED: 'timed out',
	ETIMEDOUT: 'timed out',
	ESOCKETTIMEDOUT: 'timed out',
	ENOTFOUND: 'host not found',
	EAI_AGAIN: 'host not found',
	EHOSTUNREACH: 'host unreachable',
	ENETUNREACH: 'network unreachable',
};

/**
 * The network error code of a connection that failed or timed out, or undefined. n8n's
 * `httpRequestWithAuthentication` wraps every failure in a NodeApiError: the code is then on the
 * wrapped cause (and copied to `httpCode`), so the whole cause chain is searched.
 */
function networkErrorCode(error: unknown): string | undefined {
	let current = error as { code?: unknown; httpCode?: unknown; cause?: unknown } | undefined;
	for (let depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
		for (const code of [current.code, current.httpCode]) {
			if (typeof code === 'string' && hasOwn(NETWORK_PHRASES, code)) return code;
		}
		current = current.cause as typeof current;
	}
	return undefined;
}

/** Text as it may be shown: every URL in it without userinfo. */
function displayUrl(text: string): string {
	return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^/@\s"'\\]*@/gi, '$1');
}

/**
 * Secrets of a credential for `ProviderApi.secrets`: the named fields' values, and the userinfo of
 * its base URL (as written and decoded).
 */
export function credentialSecrets(
	credentials: IDataObject,
	fields: string[],
	baseUrl: string,
): string[] {
	const secrets = fields
		.map((field) => credentials[field])
		.filter((value): value is string => typeof value === 'string');
	const userinfo = /^[a-z][a-z0-9+.-]*:\/\/([^/@]*)@/i.exec(baseUrl)?.[1];
	if (userinfo) {
		for (const part of [userinfo, ...userinfo.split(':')]) {
			secrets.push(part);
			try {
				secrets.push(decodeURIComponent(part));
			} catch {
				// a malformed escape: the part as written is hidden already
			}
		}
	}
	return secrets.filter((secret) => secret.length >= MIN_REDACTED_LENGTH);
}

/**
 * The API of a provider whose credential holds an API token (`apiToken`) and an optional base URL;
 * the credential type's `authenticate` block signs each call.
 */
export async function tokenApi(
	ctx: ApiContext,
	api: { displayName: string; credentialType: string; endpoint: Endpoint },
): Promise<ProviderApi> {
	const credentials = await ctx.getCredentials(api.credentialType);
	const baseUrl = endpointOf(credentials, api.endpoint);
	return {
		displayName: api.displayName,
		credentialType: api.credentialType,
		baseUrl,
		secrets: credentialSecrets(credentials, ['apiToken'], baseUrl),
	};
}

/** Secrets shorter than this are not searched for (they would blank out ordinary words). */
const MIN_REDACTED_LENGTH = 4;

/**
 * Text with every secret of the API replaced: the known ones (plain or percent-encoded, and the
 * current access token), and whatever follows an authorization scheme — n8n may have fetched a
 * token the trigger never saw (`preAuthentication`).
 */
function redact(api: ProviderApi, text: string): string {
	const accessToken = api.credentialsOverride?.data?.accessToken;
	const secrets = [...api.secrets, ...(typeof accessToken === 'string' ? [accessToken] : [])];
	let result = text;
	for (const secret of secrets) {
		if (secret.length < MIN_REDACTED_LENGTH) continue;
		for (const form of new Set([secret, encodeURIComponent(secret)]))
			result = result.split(form).join('[redacted]');
	}
	for (const pattern of api.secretPatterns ?? []) result = result.replace(pattern, '[redacted]');
	result = result.replace(/\b(Bearer|Token|Basic)(\s+)[^\s"'\\,;]+/gi, '$1$2[redacted]');
	return displayUrl(result);
}

/**
 * Calls a provider's management API with the node's credential. 429 and 5xx answers are retried a
 * bounded number of times (honouring Retry-After); anything else outside `accept` becomes a
 * NodeApiError that names the provider, the step and the provider's own message — never a secret.
 */
export async function callApi(
	ctx: ApiContext,
	api: ProviderApi,
	step: string,
	call: ApiCall,
): Promise<ApiReply> {
	const request: IHttpRequestOptions = {
		method: call.method,
		url: `${api.baseUrl}${call.path}`,
		qs: call.qs,
		body: call.body,
		headers: { accept: 'application/json', ...api.headers, ...call.headers },
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		disableFollowRedirect: true,
		timeout: Math.min(call.timeoutMs ?? Infinity, apiLimits.timeoutMs),
	};
	let renewed = false;
	const attempts = call.once ? 1 : apiLimits.attempts;
	for (let attempt = 1; ; attempt++) {
		let reply: ApiReply;
		try {
			reply = (await ctx.helpers.httpRequestWithAuthentication.call(
				ctx,
				api.credentialType,
				request,
				api.credentialsOverride ? { credentialsDecrypted: api.credentialsOverride } : undefined,
			)) as ApiReply;
		} catch (error) {
			const code = networkErrorCode(error);
			if (!code) throw credentialFailure(ctx, api, step, error);
			if (attempt < attempts) {
				await sleep(apiLimits.backoffMs * attempt);
				continue;
			}
			throw unreachableError(ctx, api, step, code);
		}
		const accepted = call.accept ?? [];
		const ok = accepted.length
			? accepted.includes(reply.statusCode)
			: reply.statusCode >= 200 && reply.statusCode < 300;
		if (ok) return reply;
		if (!renewed && api.renewCredentials && api.expiredTokenStatuses?.includes(reply.statusCode)) {
			renewed = true;
			try {
				api.credentialsOverride = await api.renewCredentials();
			} catch (error) {
				throw credentialFailure(ctx, api, step, error);
			}
			continue;
		}
		if (isRetryable(reply.statusCode) && attempt < attempts) {
			await sleep(retryDelay(reply, attempt));
			continue;
		}
		throw apiError(ctx, api, step, reply);
	}
}

/** Validates a reply body against a schema; a reply of another shape is a clear error, not a crash. */
export function readReply<T>(
	ctx: ApiContext,
	api: ProviderApi,
	step: string,
	reply: ApiReply,
	schema: ZodType<T, ZodTypeDef, unknown>,
): T {
	const result = schema.safeParse(reply.body);
	if (result.success) return result.data;
	const issue = result.error.issues[0];
	throw unexpectedReply(
		ctx,
		api,
		step,
		reply,
		`Field "${issue.path.join('.') || '(body)'}": ${issue.message}`,
	);
}

/** The error for a reply that arrived but cannot be used (wrong shape, a header missing). */
export function unexpectedReply(
	ctx: ApiContext,
	api: ProviderApi,
	step: string,
	reply: ApiReply,
	description: string,
): NodeApiError {
	return new NodeApiError(
		ctx.getNode(),
		{ message: 'unexpected reply' },
		{
			message: `${api.displayName}: could not ${step}: unexpected reply`,
			description: printable(redact(api, description), 300),
			httpCode: String(reply.statusCode),
		},
	);
}

function retryDelay(reply: ApiReply, attempt: number): number {
	const header = reply.headers['retry-after'];
	const seconds = Number(Array.isArray(header) ? header[0] : header);
	if (Number.isFinite(seconds) && seconds >= 0) {
		return Math.min(seconds * 1000, apiLimits.maxRetryAfterMs);
	}
	return apiLimits.backoffMs * 2 ** (attempt - 1);
}

/**
 * The provider's own explanation, from the usual JSON error shapes, not yet shortened: the caller
 * redacts secrets first, then shortens (a token cut in two would leave its first characters).
 * Bounded far beyond what is shown, so a huge body costs little.
 */
export function providerMessage(body: unknown): string {
	const pick = (value: unknown, depth = 0): string | undefined => {
		if (typeof value === 'string' && value.trim()) return value.trim();
		if (depth > 8) return undefined;
		if (Array.isArray(value)) return pick(value[0], depth + 1);
		if (value && typeof value === 'object') {
			const record = value as Record<string, unknown>;
			for (const key of ['detail', 'message', 'error_description', 'error', 'errors', 'title']) {
				const found = pick(record[key], depth + 1);
				if (found) return found;
			}
			// Field errors (Django REST style): the first field and what is wrong with it.
			for (const [key, field] of Object.entries(record).slice(0, 20)) {
				const found = typeof field === 'object' ? pick(field, depth + 1) : undefined;
				if (found) return `${key}: ${found}`;
			}
		}
		return undefined;
	};
	return (pick(body) ?? 'no details given').slice(0, PROVIDER_TEXT_BOUND);
}

const PROVIDER_TEXT_BOUND = 4096;
/** How much of a provider's message is shown (in n8n's log and the editor), escaped. */
export const PROVIDER_MESSAGE_SHOWN = 300;

function credentialName(ctx: ApiContext, api: ProviderApi): string {
	return ctx.getNode().credentials?.[api.credentialType]?.name ?? api.credentialType;
}

function apiError(ctx: ApiContext, api: ProviderApi, step: string, reply: ApiReply): NodeApiError {
	const status = reply.statusCode;
	const detail = printable(redact(api, providerMessage(reply.body)), PROVIDER_MESSAGE_SHOWN);
	const credentialRejected = status === 401 || status === 403 || (status >= 300 && status < 400);
	const message = credentialRejected
		? `${api.displayName} rejected the credential "${credentialName(ctx, api)}" while trying to ${step} (HTTP ${status})`
		: `${api.displayName}: could not ${step} (HTTP ${status})`;
	return new NodeApiError(ctx.getNode(), { message: detail } as JsonObject, {
		message,
		description: credentialRejected
			? `${detail}. Check the API token or client secret in the credential.`
			: detail,
		httpCode: String(status),
	});
}

/**
 * n8n could not authenticate the call at all (e.g. the token exchange was refused). Always a new
 * error: the one n8n raised keeps the failed request (with its authorization header) as its cause.
 */
function credentialFailure(
	ctx: ApiContext,
	api: ProviderApi,
	step: string,
	error: unknown,
): NodeApiError {
	const message = redact(api, error instanceof Error ? error.message : String(error));
	return new NodeApiError(ctx.getNode(), { message } as JsonObject, {
		message: `${api.displayName}: could not ${step}: ${message}`,
		description: `Check the credential "${credentialName(ctx, api)}".`,
	});
}

/** Only the network error's code is used: request objects can hold authorization headers. */
function unreachableError(
	ctx: ApiContext,
	api: ProviderApi,
	step: string,
	code: string,
): NodeApiError {
	const reason = NETWORK_PHRASES[code];
	return new NodeApiError(ctx.getNode(), { message: reason } as JsonObject, {
		message: `${api.displayName}: could not ${step}: no answer from ${redact(api, api.baseUrl)} (${reason})`,
		description: `${code}. Check the base URL in the credential and that n8n can reach it.`,
	});
}

/** Errors leave lifecycle methods as n8n errors; anything else is wrapped without its internals. */
export function asNodeError(ctx: ApiContext, error: unknown): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(
		ctx.getNode(),
		error instanceof Error ? error.message : String(error),
	);
}
