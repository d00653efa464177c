/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-hardcoded-secrets -- Node-side code (tests, emulators, scripts), never loaded by n8n */
/**
 * A small client for n8n's editor REST API (the calls the editor itself makes), as verified on
 * 2.41 and 1.123: 2.x publishes asynchronously through /activate, 1.x activates with a PATCH.
 */
import { randomUUID } from 'crypto';

import type { JsonObject } from './json-tree';
import { N8N_MAJOR } from './runtime';

type ExecutionSummary = { id: string; status: string };
/** n8n's execution list: a page with a cursor (2.x and recent 1.x) or a bare list. */
type ExecutionPage =
	| ExecutionSummary[]
	| { results?: ExecutionSummary[]; count?: number; nextCursor?: string };

export interface Owner {
	email: string;
	password: string;
	firstName: string;
	lastName: string;
}

export const DEMO_OWNER: Owner = {
	email: 'owner@survey-triggers.test',
	password: 'Survey-Triggers-1',
	firstName: 'Survey',
	lastName: 'Triggers',
};

const stillGoing = (status: string) => status === 'new' || status === 'running';

/**
 * Each execution once. n8n lists running executions beside stored ones, so one that finishes while
 * it is listed can appear twice (running, then finished): the finished entry is kept.
 */
function onceEach(executions: ExecutionSummary[]): ExecutionSummary[] {
	const byId = new Map<string, ExecutionSummary>();
	for (const execution of executions) {
		const seen = byId.get(execution.id);
		if (!seen || (stillGoing(seen.status) && !stillGoing(execution.status)))
			byId.set(execution.id, execution);
	}
	return [...byId.values()];
}

export class N8nRest {
	private cookie = '';
	private readonly browserId = randomUUID();

	constructor(
		readonly url: string,
		readonly n8nMajor = N8N_MAJOR,
	) {}

	async call<T = JsonObject>(method: string, path: string, body?: unknown): Promise<T> {
		const response = await fetch(`${this.url}${path}`, {
			method,
			headers: {
				'content-type': 'application/json',
				'browser-id': this.browserId,
				...(this.cookie ? { cookie: this.cookie } : {}),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const setCookie = response.headers.get('set-cookie');
		const auth = setCookie && /n8n-auth=[^;]+/.exec(setCookie)?.[0];
		if (auth) this.cookie = auth;
		const text = await response.text();
		const parsed = text ? JSON.parse(text) : {};
		if (!response.ok)
			throw new Error(`${method} ${path} → ${response.status}: ${text.slice(0, 300)}`);
		return (parsed.data ?? parsed) as T;
	}

	/** Creates the owner account on a fresh instance (or logs in when it exists) and keeps the session. */
	/**
	 * Sets the owner up (once per instance) and logs in. Right after n8n reports ready, the owner
	 * setup may still be refused; both steps are then tried again for a few seconds.
	 */
	async signIn(owner: Owner = DEMO_OWNER): Promise<void> {
		for (let attempt = 1; ; attempt++) {
			try {
				await this.call('POST', '/rest/owner/setup', owner);
			} catch {
				// owner exists already, or n8n is not ready for it yet
			}
			const loggedIn = await this.call('POST', '/rest/login', {
				emailOrLdapLoginId: owner.email,
				password: owner.password,
			}).then(
				() => true,
				(error: Error) => (attempt >= 20 ? Promise.reject(error) : false),
			);
			if (loggedIn) return;
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
	}

	createCredential(
		name: string,
		type: string,
		data: Record<string, unknown>,
	): Promise<{ id: string }> {
		return this.call('POST', '/rest/credentials', { name, type, data });
	}

	createWorkflow(workflow: {
		name: string;
		nodes: unknown[];
		connections: Record<string, unknown>;
		settings?: Record<string, unknown>;
	}): Promise<{ id: string; versionId: string }> {
		const inactive = this.n8nMajor < 2 ? { active: false } : {};
		return this.call('POST', '/rest/workflows', {
			settings: { executionOrder: 'v1' },
			...inactive,
			...workflow,
		});
	}

	/** Turns a workflow on (1.x) or off, answering once n8n has registered or removed its webhooks. */
	private async setActive(workflowId: string, active: boolean): Promise<void> {
		const { versionId } = await this.call('GET', `/rest/workflows/${workflowId}`);
		await this.call('PATCH', `/rest/workflows/${workflowId}`, { active, versionId });
	}

	/** Publishes a workflow and waits until n8n reports it published (publishing is asynchronous in 2.x). */
	async publish(workflowId: string): Promise<void> {
		if (this.n8nMajor < 2) return this.setActive(workflowId, true);
		const { versionId } = await this.call('GET', `/rest/workflows/${workflowId}`);
		await this.call('POST', `/rest/workflows/${workflowId}/activate`, { versionId });
		const deadline = Date.now() + 60_000;
		while (Date.now() < deadline) {
			const status = await this.call(
				'GET',
				`/rest/workflows/${workflowId}/publication-status`,
			).catch(() => undefined);
			const state =
				typeof status === 'string' ? status : (status?.status ?? status?.publicationStatus);
			if (state === 'published') return;
			if (state === 'failed')
				throw new Error(`publishing workflow ${workflowId} failed: ${JSON.stringify(status)}`);
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
		throw new Error(`workflow ${workflowId} was not published within 60 s`);
	}

	unpublish(workflowId: string): Promise<unknown> {
		if (this.n8nMajor < 2) return this.setActive(workflowId, false);
		return this.call('POST', `/rest/workflows/${workflowId}/deactivate`);
	}

	/** "Listen for test event" on a trigger: n8n registers the test URL and waits for one delivery. */
	async listenForTestEvent(
		workflowId: string,
		nodeName: string,
	): Promise<{ waitingForWebhook?: boolean }> {
		const trigger = { triggerToStartFrom: { name: nodeName } };
		if (this.n8nMajor >= 2) return this.call('POST', `/rest/workflows/${workflowId}/run`, trigger);
		const workflowData = await this.call('GET', `/rest/workflows/${workflowId}`);
		return this.call('POST', `/rest/workflows/${workflowId}/run`, { workflowData, ...trigger });
	}

	/** All executions of a workflow (every page, following n8n's cursor), newest first. */
	async executions(workflowId: string): Promise<Array<{ id: string; status: string }>> {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const all: Array<{ id: string; status: string }> = [];
		let cursor = '';
		for (let page = 0; page < 1000; page++) {
			const reply = await this.call<ExecutionPage>(
				'GET',
				`/rest/executions?filter=${filter}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
			);
			all.push(...(Array.isArray(reply) ? reply : (reply.results ?? [])));
			if (Array.isArray(reply) || !reply.nextCursor) break;
			cursor = reply.nextCursor;
		}
		return onceEach(all);
	}

	/** How many executions a workflow has (n8n's own count). */
	async countExecutions(workflowId: string): Promise<number> {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const reply = await this.call<ExecutionPage>(
			'GET',
			`/rest/executions?filter=${filter}&limit=1`,
		);
		return Array.isArray(reply) ? reply.length : Number(reply.count ?? reply.results?.length ?? 0);
	}

	/** An API key of n8n's public API for the signed-in user, with the given scopes. */
	async createApiKey(scopes: string[]): Promise<string> {
		const created = await this.call<{ rawApiKey: string }>('POST', '/rest/api-keys', {
			label: `e2e ${randomUUID().slice(0, 8)}`,
			scopes,
			expiresAt: null,
		});
		return created.rawApiKey;
	}

	/** A workflow as n8n's public API returns it (`GET /api/v1/workflows/{id}`), static data included. */
	async publicWorkflow(apiKey: string, workflowId: string): Promise<JsonObject> {
		const response = await fetch(`${this.url}/api/v1/workflows/${workflowId}`, {
			headers: { 'x-n8n-api-key': apiKey, accept: 'application/json' },
		});
		const text = await response.text();
		if (!response.ok)
			throw new Error(
				`GET /api/v1/workflows/${workflowId} → ${response.status}: ${text.slice(0, 300)}`,
			);
		return JSON.parse(text) as JsonObject;
	}

	/**
	 * The options the editor shows for a node parameter with a `loadOptionsMethod`, loaded by n8n
	 * with the given credential (the editor's own call).
	 */
	async loadOptions(
		nodeType: string,
		parameter: string,
		methodName: string,
		parameters: Record<string, unknown>,
		credentials: Record<string, unknown>,
	): Promise<Array<{ name: string; value: string }>> {
		return this.call('POST', '/rest/dynamic-node-parameters/options', {
			path: parameter,
			nodeTypeAndVersion: { name: nodeType, version: 1 },
			currentNodeParameters: parameters,
			methodName,
			credentials,
		});
	}

	/** A binary file an execution holds in n8n's binary data store (the editor's download). */
	async binaryData(id: string): Promise<Buffer> {
		const response = await fetch(
			`${this.url}/rest/binary-data?id=${encodeURIComponent(id)}&action=download`,
			{ headers: { 'browser-id': this.browserId, cookie: this.cookie } },
		);
		if (!response.ok) throw new Error(`binary data ${id} → ${response.status}`);
		return Buffer.from(await response.arrayBuffer());
	}

	/** One execution; `data` is its run data as n8n stores it (flatted text). */
	async execution(executionId: string): Promise<{ data: string } & JsonObject> {
		return this.call('GET', `/rest/executions/${executionId}`);
	}

	/** Executions › Retry (with the workflow as it was then): a new execution from the failed node. */
	async retryExecution(executionId: string): Promise<JsonObject> {
		return this.call('POST', `/rest/executions/${executionId}/retry`, { loadWorkflow: false });
	}
}
