/**
 * A real HTTP client with the semantics of n8n's `helpers.httpRequest` for the options this package
 * uses (url/baseURL, qs, json body, headers, returnFullResponse, ignoreHttpStatusErrors,
 * disableFollowRedirect, timeout). Network failures throw errors with a `code`, like axios does.
 */
import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

export interface FullResponse {
	statusCode: number;
	statusMessage: string;
	headers: IDataObject;
	body: unknown;
}

function buildUrl(options: IHttpRequestOptions): URL {
	const url = new URL(
		options.baseURL ? `${options.baseURL.replace(/\/$/, '')}${options.url}` : options.url,
	);
	for (const [key, value] of Object.entries(options.qs ?? {})) {
		if (value === undefined) continue;
		if (Array.isArray(value)) value.forEach((item) => url.searchParams.append(key, String(item)));
		else url.searchParams.set(key, String(value));
	}
	return url;
}

export async function httpRequest(options: IHttpRequestOptions): Promise<unknown> {
	const url = buildUrl(options);
	if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
		throw Object.assign(new Error(`test client refuses non-loopback host ${url.hostname}`), {
			code: 'ENOTLOOPBACK',
		});
	}
	const headers: Record<string, string> = {};
	for (const [key, value] of Object.entries(options.headers ?? {})) {
		if (value !== undefined) headers[key.toLowerCase()] = String(value);
	}
	let body: string | undefined;
	if (options.body !== undefined && options.body !== null && options.method !== 'GET') {
		if (typeof options.body === 'string') body = options.body;
		else {
			body = JSON.stringify(options.body);
			headers['content-type'] ??= 'application/json';
		}
	}
	let response: Response;
	try {
		response = await fetch(url, {
			method: options.method ?? 'GET',
			headers,
			body,
			redirect: options.disableFollowRedirect ? 'manual' : 'follow',
			signal: AbortSignal.timeout(options.timeout ?? 300_000),
		});
	} catch (error) {
		const cause = (error as { cause?: { code?: string } }).cause;
		const timedOut = (error as Error).name === 'TimeoutError';
		throw Object.assign(
			new Error(timedOut ? `timeout of ${options.timeout}ms exceeded` : (error as Error).message),
			{
				code: timedOut ? 'ECONNABORTED' : (cause?.code ?? 'ECONNRESET'),
			},
		);
	}
	const text = await response.text();
	let parsed: unknown = text;
	if (options.json !== false && text) {
		try {
			parsed = JSON.parse(text);
		} catch {
			parsed = text; // axios keeps an unparsable body as a string
		}
	}
	const responseHeaders: IDataObject = {};
	response.headers.forEach((value, key) => (responseHeaders[key] = value));
	const full: FullResponse = {
		statusCode: response.status,
		statusMessage: response.statusText,
		headers: responseHeaders,
		body: text === '' ? '' : parsed,
	};
	const ignoreStatus = options.ignoreHttpStatusErrors === true;
	if (!ignoreStatus && (response.status < 200 || response.status >= 300)) {
		throw Object.assign(new Error(`Request failed with status code ${response.status}`), {
			response: full,
		});
	}
	return options.returnFullResponse ? full : full.body;
}
