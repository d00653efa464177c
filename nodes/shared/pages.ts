import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import { callApi, readReply, type ApiContext, type ProviderApi } from './api';

/**
 * How an endpoint documents its paging: `page`/`page_size`, `limit`/`offset`, or none (one call,
 * then only the links the answer gives). Only the documented parameters are sent.
 */
export type Paging = 'page' | 'offset' | 'none';

export interface ListRequest<T extends z.ZodTypeAny> {
	path: string;
	qs?: IDataObject;
	/** Each item's schema; items are told apart by their `id` where they have one. */
	item: T;
	paging: Paging;
	/** The size asked for: only a wish, a provider may answer fewer (or ignore it). */
	pageSize: number;
	/** How many items are wanted at most (Return All: Infinity). */
	limit?: number;
	/** How many calls a list may take at most. */
	maxPages: number;
}

/** A list answer: `results`, and where more follow, `_links.next.href` or `next` (Django REST) and `meta.count`. */
const pageOf = <T extends z.ZodTypeAny>(item: T) =>
	z
		.object({
			results: z.array(item),
			_links: z
				.object({
					next: z.object({ href: z.string().nullish() }).passthrough().nullish(),
				})
				.passthrough()
				.nullish(),
			next: z.string().nullish(),
			meta: z.object({ count: z.number().nullish() }).passthrough().nullish(),
		})
		.passthrough();

/** The next page's address as the answer gives it: a string, null when it says there is none, undefined when it says nothing. */
function nextLink(page: {
	_links?: { next?: { href?: string | null } | null } | null;
	next?: string | null;
}): string | null | undefined {
	if (page._links) return page._links.next?.href ?? null;
	return page.next;
}

/**
 * A link on the API's own host as a path and query callApi takes; undefined for any other host, so
 * that a link never sends the credential elsewhere.
 */
function onApiHost(api: ProviderApi, link: string): { path: string; qs: IDataObject } | undefined {
	let url: URL;
	let base: URL;
	try {
		base = new URL(api.baseUrl);
		url = new URL(link, base);
	} catch {
		return undefined;
	}
	if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname.replace(/\/$/, '')))
		return undefined;
	const path = url.pathname.slice(base.pathname.replace(/\/$/, '').length);
	return { path, qs: Object.fromEntries(url.searchParams) };
}

const idOf = (item: unknown): string | undefined => {
	const value = (item as { id?: unknown } | null)?.id;
	return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
};

/**
 * Every item of a list up to `limit`: follows the answer's next link where it gives one (on the
 * API's host only), else asks for the next page or offset; the page size asked for is a wish, so a
 * short page does not end the walk — an empty one, a link that says "no more", the total Prolific
 * counts (`meta.count`), or a page that repeats an item already read do. So a list that ignores
 * paging gives each item once.
 */
export async function listPages<T extends z.ZodTypeAny>(
	ctx: ApiContext,
	api: ProviderApi,
	step: string,
	list: ListRequest<T>,
): Promise<Array<z.infer<T>>> {
	const limit = list.limit ?? Infinity;
	const found: Array<z.infer<T>> = [];
	const seen = new Set<string>();
	let read = 0; // items the provider answered, for the next offset
	const paging = (page: number, offset: number): IDataObject => {
		const size = Math.min(list.pageSize, limit - found.length);
		if (list.paging === 'page') return { page, page_size: size };
		if (list.paging === 'offset') return { limit: size, offset };
		return {};
	};
	let request: { path: string; qs: IDataObject } = {
		path: list.path,
		qs: { ...list.qs, ...paging(1, 0) },
	};
	for (let call = 1; call <= list.maxPages && found.length < limit; call++) {
		const reply = await callApi(ctx, api, step, { method: 'GET', ...request });
		const page = readReply(ctx, api, step, reply, pageOf(list.item));
		read += page.results.length;
		let repeated = false;
		for (const item of page.results) {
			const id = idOf(item);
			if (id !== undefined && seen.has(id)) {
				repeated = true;
				continue;
			}
			if (id !== undefined) seen.add(id);
			if (found.length < limit) found.push(item);
		}
		const link = nextLink(page);
		const total = page.meta?.count;
		if (
			repeated ||
			page.results.length === 0 ||
			link === null ||
			(typeof total === 'number' && found.length >= total)
		)
			break;
		const linked = link === undefined ? undefined : onApiHost(api, link);
		if (linked) request = linked;
		else if (list.paging === 'none') break;
		else request = { path: list.path, qs: { ...list.qs, ...paging(call + 1, read) } };
	}
	return found;
}
