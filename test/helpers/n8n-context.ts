/**
 * Small stand-ins for the contexts n8n hands a trigger node: IHookFunctions (webhook lifecycle),
 * ILoadOptionsFunctions and IWebhookFunctions. Parameters, static data and credentials are plain
 * objects; HTTP calls are real (see http-client.ts) and go only to emulators on 127.0.0.1.
 */
import { returnJsonArray } from 'n8n-core';
import { isResourceLocatorValue } from 'n8n-workflow';
import type {
	IAdditionalCredentialOptions,
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	IHookFunctions,
	IHttpRequestHelper,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IPollFunctions,
	INode,
	IWebhookFunctions,
} from 'n8n-workflow';

import { authenticateRequest } from './credentials';
import { httpRequest } from './http-client';

export interface LogLine {
	level: 'debug' | 'info' | 'warn' | 'error';
	message: string;
}

export interface Harness {
	/** Unique per harness: replay protection is kept per workflow and node, as in n8n. */
	workflowId: string;
	node: INode;
	parameters: IDataObject;
	staticData: IDataObject;
	/** The workflow's global static data (shared by its nodes). */
	globalStaticData: IDataObject;
	credentials: Record<string, ICredentialDataDecryptedObject>;
	credentialTypes: Record<string, ICredentialType>;
	webhookUrl: string;
	/** n8n's execution mode: `webhook` for the production URL, `manual` while the editor listens for a test event. */
	mode: 'webhook' | 'manual';
	logs: LogLine[];
	/** Every outgoing management call, as sent (after authentication). */
	requests: IHttpRequestOptions[];
	/** How often the node read its credential (getCredentials). */
	credentialReads: number;
}

let harnesses = 0;

export function createHarness(options: {
	nodeType: string;
	parameters: IDataObject;
	credentialTypes?: ICredentialType[];
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	webhookUrl?: string;
	staticData?: IDataObject;
	globalStaticData?: IDataObject;
	/** The node's type version: the current one unless a test says otherwise. */
	typeVersion?: number;
}): Harness {
	const credentialTypes = Object.fromEntries(
		(options.credentialTypes ?? []).map((type) => [type.name, type]),
	);
	return {
		workflowId: `wf-${++harnesses}`,
		node: {
			id: 'node-under-test',
			name: 'Trigger',
			type: options.nodeType,
			typeVersion: options.typeVersion ?? 2,
			position: [0, 0],
			parameters: options.parameters as INode['parameters'],
			credentials: Object.fromEntries(
				Object.keys(options.credentials ?? {}).map((type) => [
					type,
					{ id: '1', name: `My ${type}` },
				]),
			),
		},
		parameters: options.parameters,
		staticData: options.staticData ?? {},
		globalStaticData: options.globalStaticData ?? {},
		credentials: options.credentials ?? {},
		credentialTypes,
		webhookUrl: options.webhookUrl ?? 'https://n8n.example.test/webhook/4c0e2f5a/webhook',
		mode: 'webhook',
		logs: [],
		requests: [],
		credentialReads: 0,
	};
}

function logger(harness: Harness) {
	const log = (level: LogLine['level']) => (message: string) =>
		harness.logs.push({ level, message });
	return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

function getNodeParameter(harness: Harness) {
	return (name: string, fallback?: unknown, options?: { extractValue?: boolean }) => {
		const value = harness.parameters[name];
		// As n8n-core's extractValue: a resource locator's value; anything else (a plain ID saved
		// before the parameter was a resource locator) as it is.
		if (options?.extractValue && isResourceLocatorValue(value)) return value.value;
		if (value !== undefined) return value;
		if (fallback !== undefined) return fallback;
		throw new Error(`Could not get parameter "${name}"`);
	};
}

function getCredentials(harness: Harness) {
	return async (type: string) => {
		harness.credentialReads++;
		const data = harness.credentials[type];
		if (!data) throw new Error(`Node does not have any credentials of type "${type}" set`);
		return data;
	};
}

/**
 * n8n's httpRequestWithAuthentication for generic credentials: credential data from the node (or
 * `credentialsDecrypted` when given), `preAuthentication` when the expirable field is empty (the
 * fetched value is kept, as n8n stores it), then the `authenticate` block.
 */
async function requestWithCredential(
	harness: Harness,
	type: string,
	request: IHttpRequestOptions,
	additional?: IAdditionalCredentialOptions,
) {
	const credentialType = harness.credentialTypes[type];
	if (!credentialType) throw new Error(`Unknown credential type ${type}`);
	let data = additional?.credentialsDecrypted?.data ?? harness.credentials[type];
	const expirable = credentialType.properties.find((property) => property.typeOptions?.expirable);
	if (expirable && credentialType.preAuthentication && !data[expirable.name]) {
		const fetched = await credentialType.preAuthentication.call(
			{ helpers: { httpRequest } } as IHttpRequestHelper,
			data,
		);
		data = { ...data, ...fetched } as ICredentialDataDecryptedObject;
		if (!additional?.credentialsDecrypted) harness.credentials[type] = data;
	}
	const authenticated = await authenticateRequest(credentialType, data, request);
	harness.requests.push(authenticated);
	return httpRequest(authenticated);
}

/**
 * A node's webhook URLs: `webhookUrl` for `default`; beside it, `…/setup/:token` for a dynamic
 * `setup` webhook (Poltio's token as a path segment; real n8n's form is checked by the e2e suite).
 */
function nodeWebhookUrl(harness: Harness, name: string): string {
	return name === 'setup'
		? `${harness.webhookUrl.replace(/\/webhook$/, '')}/setup/:token`
		: harness.webhookUrl;
}

function baseContext(harness: Harness) {
	return {
		getNode: () => harness.node,
		getNodeParameter: getNodeParameter(harness),
		getCredentials: getCredentials(harness),
		getWorkflowStaticData: (type: string) =>
			type === 'global' ? harness.globalStaticData : harness.staticData,
		logger: logger(harness),
		helpers: {
			httpRequest,
			httpRequestWithAuthentication: (
				type: string,
				request: IHttpRequestOptions,
				additional?: IAdditionalCredentialOptions,
			) => requestWithCredential(harness, type, request, additional),
			returnJsonArray,
		},
	};
}

export function hookContext(harness: Harness): IHookFunctions {
	return {
		...baseContext(harness),
		getNodeWebhookUrl: (name: string) => nodeWebhookUrl(harness, name),
		getWebhookName: () => 'default',
		getWorkflow: () => ({ id: harness.workflowId, name: 'Survey follow-up', active: true }),
		getMode: () => 'trigger',
		getActivationMode: () => 'activate',
	} as unknown as IHookFunctions;
}

/**
 * A polling node's context as n8n gives it: `trigger` for a poll of a published workflow, `manual`
 * for the editor's Fetch Test Event; `budgetMs` stands for n8n 2.x's getPollBudgetMs (absent on 1.x).
 */
export function pollContext(
	harness: Harness,
	{ mode = 'trigger', budgetMs }: { mode?: 'trigger' | 'manual'; budgetMs?: number } = {},
): IPollFunctions {
	return {
		...baseContext(harness),
		getWorkflow: () => ({ id: harness.workflowId, name: 'Survey follow-up', active: true }),
		getMode: () => mode,
		getActivationMode: () => 'activate',
		...(budgetMs !== undefined ? { getPollBudgetMs: () => budgetMs } : {}),
	} as unknown as IPollFunctions;
}

export function loadOptionsContext(harness: Harness): ILoadOptionsFunctions {
	return baseContext(harness) as unknown as ILoadOptionsFunctions;
}

export interface IncomingDelivery {
	rawBody?: Buffer | string;
	headers: Record<string, string | string[] | undefined>;
	query?: IDataObject;
	/** Path parameters of a dynamic webhook, e.g. Poltio's `token`. */
	params?: IDataObject;
}

/** What the node wrote through getResponseObject(). */
export interface ResponseRecorder {
	statusCode?: number;
	body?: unknown;
	status(code: number): ResponseRecorder;
	json(body: unknown): ResponseRecorder;
	send(body: unknown): ResponseRecorder;
	end(body?: unknown): ResponseRecorder;
}

export function responseRecorder(): ResponseRecorder {
	const recorder: ResponseRecorder = {
		status(code) {
			recorder.statusCode = code;
			return recorder;
		},
		json(body) {
			recorder.statusCode ??= 200;
			recorder.body = body;
			return recorder;
		},
		send(body) {
			return recorder.json(body);
		},
		end(body) {
			return recorder.json(body);
		},
	};
	return recorder;
}

/**
 * The request as n8n hands it to a node: the body already read for a node of type version 1, and
 * from version 2 only for a content type n8n parses; otherwise unread, with n8n's reader beside it.
 */
function requestObject(harness: Harness, delivery: IncomingDelivery) {
	const contentType = String(delivery.headers['content-type'] ?? '').toLowerCase();
	const parsable =
		/^(application\/json|text\/plain|application\/x-www-form-urlencoded)/.test(contentType) ||
		/[/+]xml(;|$)/.test(contentType);
	if (harness.node.typeVersion === 1 || parsable)
		return { rawBody: delivery.rawBody, headers: delivery.headers };
	const request: {
		rawBody?: Buffer | string;
		headers: unknown;
		readRawBody: () => Promise<void>;
	} = {
		headers: delivery.headers,
		readRawBody: async () => {
			request.rawBody = delivery.rawBody;
		},
	};
	return request;
}

export function webhookContext(
	harness: Harness,
	delivery: IncomingDelivery,
	response: ResponseRecorder,
): IWebhookFunctions {
	return {
		...baseContext(harness),
		getRequestObject: () => requestObject(harness, delivery),
		getResponseObject: () => response,
		getHeaderData: () => delivery.headers,
		getQueryData: () => delivery.query ?? {},
		getParamsData: () => delivery.params ?? {},
		getBodyData: () => ({}),
		getNodeWebhookUrl: (name: string) => nodeWebhookUrl(harness, name),
		getWebhookName: () => 'default',
		getWorkflow: () => ({ id: harness.workflowId, name: 'Survey follow-up', active: true }),
		getMode: () => harness.mode,
	} as unknown as IWebhookFunctions;
}
