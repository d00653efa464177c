/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- Node-side code (tests, emulators, scripts), never loaded by n8n */
/**
 * Base for the provider API emulators used by the tests: a real HTTP server on 127.0.0.1 with a
 * call log, a small router, and fault injection (status, body, headers, delay, malformed reply).
 */
import http from 'http';
import type { AddressInfo } from 'net';

import type { JsonObject } from '../json-tree';

export interface EmulatorRequest {
	method: string;
	path: string;
	query: URLSearchParams;
	headers: http.IncomingHttpHeaders;
	/** The JSON object the code under test sent (empty when it sent none). */
	body: JsonObject;
	/** When it arrived and when it was answered (performance.now()), for tests of calls that must not overlap. */
	receivedAt?: number;
	answeredAt?: number;
}

export interface EmulatorReply {
	status: number;
	body?: unknown;
	headers?: Record<string, string>;
}

export interface Fault {
	method: string;
	path: RegExp;
	/** Inject on the nth matching call (1-based); every matching call when omitted. */
	onCall?: number;
	/** How many times to inject (default 1 with onCall, unlimited without). */
	times?: number;
	status?: number;
	body?: unknown;
	headers?: Record<string, string>;
	/** Sends a body that is not JSON. */
	malformed?: boolean;
	/** Waits this long before answering (for timeouts). */
	delayMs?: number;
	/** Drops the connection without answering (the client sees ECONNRESET). */
	reset?: boolean;
	/** Answers `status` with an error message that repeats the whole request (URL, headers, body). */
	echo?: boolean;
}

export type Route = (request: EmulatorRequest, params: string[]) => EmulatorReply;

/**
 * A delivery body as the provider's server writes it: with `phpEmptyMaps`, empty objects become
 * `[]`, as PHP/Laravel's json_encode writes an empty array (Poltio's and Refiner's timestamps look
 * Laravel-made).
 */
export function encodeBody(body: unknown, phpEmptyMaps: boolean): string {
	return JSON.stringify(body, (_key, value: unknown) =>
		phpEmptyMaps &&
		value &&
		typeof value === 'object' &&
		!Array.isArray(value) &&
		Object.keys(value).length === 0
			? []
			: value,
	);
}

export class Emulator {
	readonly calls: EmulatorRequest[] = [];
	private readonly faults: Array<Fault & { seen: number; injected: number }> = [];
	private readonly routes: Array<{ method: string; pattern: RegExp; route: Route }> = [];
	private server?: http.Server;
	url = '';

	route(method: string, pattern: RegExp, route: Route): this {
		this.routes.push({ method, pattern, route });
		return this;
	}

	inject(fault: Fault): void {
		this.faults.push({ ...fault, seen: 0, injected: 0 });
	}

	clearFaults(): void {
		this.faults.length = 0;
	}

	/** Calls matching a method and path pattern. */
	callsTo(method: string, pattern: RegExp): EmulatorRequest[] {
		return this.calls.filter((call) => call.method === method && pattern.test(call.path));
	}

	/** Secrets this emulator issued on its own (access tokens), which no item or log may show. */
	issuedSecrets(): string[] {
		return [];
	}

	/** Hook for authentication: return a reply to refuse the call. */
	protected authorize?(request: EmulatorRequest): EmulatorReply | undefined;

	async start(): Promise<this> {
		this.server = http.createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (chunk: Buffer) => chunks.push(chunk));
			req.on('end', () => void this.handle(req, res, Buffer.concat(chunks).toString('utf8')));
		});
		await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
		this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
		return this;
	}

	async stop(): Promise<void> {
		this.server?.closeAllConnections();
		await new Promise<void>((resolve) =>
			this.server ? this.server.close(() => resolve()) : resolve(),
		);
	}

	private async handle(req: http.IncomingMessage, res: http.ServerResponse, text: string) {
		const url = new URL(req.url ?? '/', this.url);
		let body: JsonObject = {};
		try {
			const parsed: unknown = text ? JSON.parse(text) : undefined;
			if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
				body = parsed as JsonObject;
		} catch {
			// not JSON: the routes read it as no body
		}
		const echo = `${req.method} ${req.url} ${JSON.stringify(req.headers)} ${text}`;
		const request: EmulatorRequest = {
			method: req.method ?? 'GET',
			path: url.pathname,
			query: url.searchParams,
			headers: req.headers,
			body,
			receivedAt: performance.now(),
		};
		this.calls.push(request);
		const send = (reply: EmulatorReply, malformed = false) => {
			request.answeredAt = performance.now();
			if (res.destroyed) return;
			res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
			res.end(
				malformed ? '{"not json' : reply.body === undefined ? '' : JSON.stringify(reply.body),
			);
		};
		const fault = this.faults.find((candidate) => {
			if (candidate.method !== request.method || !candidate.path.test(request.path)) return false;
			candidate.seen++;
			const limit = candidate.times ?? (candidate.onCall ? 1 : Infinity);
			if (candidate.injected >= limit) return false;
			return candidate.onCall === undefined || candidate.seen >= candidate.onCall;
		});
		if (fault) {
			fault.injected++;
			if (fault.reset) return void req.socket.destroy();
			if (fault.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
			if (fault.status !== undefined || fault.malformed) {
				const body = fault.echo
					? { message: `could not process ${echo}` }
					: (fault.body ?? { detail: 'injected fault' });
				return send({ status: fault.status ?? 200, body, headers: fault.headers }, fault.malformed);
			}
		}
		const refusal = this.authorize?.(request);
		if (refusal) return send(refusal);
		for (const { method, pattern, route } of this.routes) {
			const match = method === request.method ? pattern.exec(request.path) : null;
			if (match) return send(route(request, match.slice(1)));
		}
		return send({ status: 404, body: { detail: 'Not found.' } });
	}
}
