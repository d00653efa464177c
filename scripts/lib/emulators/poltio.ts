/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets -- Node-side code (tests, emulators, scripts), never loaded by n8n */
/**
 * An emulator of Poltio's platform API for webhooks (from Poltio's MCP server and docs): Bearer
 * token + Organization-Id, a 302 to the login page for a bad token, integer hook ids, at most two
 * account-wide hooks, and deliveries posted to the registered URL as it was registered.
 */
import type { JsonObject } from '../json-tree';
import { post, type PostResult } from '../post';
import { Emulator, encodeBody, type EmulatorReply, type EmulatorRequest } from './emulator';

export interface PoltioHook {
	id: number;
	url: string;
	name?: string;
	is_active: boolean;
	public_id?: string;
	account_wide: boolean;
	delay: number;
	send_answers: boolean;
	send_leads: boolean;
	incomplete_send: boolean;
	incomplete_delay: number;
}

export class PoltioEmulator extends Emulator {
	token = 'poltio-personal-token-91af';
	organizationId = '4711';
	contents = [
		{ public_id: 'q1b2c3d4', title: 'Which plan fits you?', type: 'quiz' },
		{ public_id: 'p9e8d7c6', title: 'Favourite feature', type: 'poll' },
	];
	hooks = new Map<number, PoltioHook>();
	/** How a created hook is returned: wrapped in data, bare, or without an id. */
	createdReplyShape: 'data' | 'bare' | 'no-id' = 'data';
	/** Models a Poltio that keeps hook URLs without their query string. */
	stripQueryStrings = false;
	/** Models a Poltio that keeps only the host of a hook URL (the token is lost wherever it is). */
	keepOnlyOrigin = false;
	/** Models deliveries written by PHP: empty maps as `[]`. */
	phpEmptyMaps = false;
	private nextId = 101;

	constructor() {
		super();
		const hookPath = /^\/platform\/hooks\/web\/(\d+)$/;
		this.route('GET', /^\/platform\/account\/profile$/, () => ({
			status: 200,
			body: {
				id: 7,
				name: 'Research Ops',
				organizations: [{ id: Number(this.organizationId), name: 'ACME' }],
			},
		}))
			.route('GET', /^\/platform\/content$/, () => ({ status: 200, body: { data: this.contents } }))
			.route('GET', /^\/platform\/hooks\/web$/, (req) => this.list(req))
			.route('POST', /^\/platform\/hooks\/web$/, (req) => this.create(req))
			.route('GET', hookPath, (_req, [id]) => {
				const hook = this.hooks.get(Number(id));
				return hook
					? { status: 200, body: { data: hook } }
					: { status: 404, body: { message: 'Not found' } };
			})
			.route('PUT', hookPath, (req, [id]) => {
				const hook = this.hooks.get(Number(id));
				if (!hook) return { status: 404, body: { message: 'Not found' } };
				const problem = this.validate({ ...hook, ...req.body }, hook.id);
				if (problem) return problem;
				Object.assign(hook, this.fields(req.body));
				return { status: 200, body: { data: hook } };
			})
			.route('DELETE', hookPath, (_req, [id]) =>
				this.hooks.delete(Number(id))
					? { status: 204 }
					: { status: 404, body: { message: 'Not found' } },
			);
	}

	protected authorize(request: EmulatorRequest): EmulatorReply | undefined {
		const authorized =
			request.headers.authorization === `Bearer ${this.token}` &&
			request.headers['organization-id'] === this.organizationId;
		return authorized
			? undefined
			: { status: 302, headers: { Location: `${this.url}/login` }, body: '' };
	}

	private fields(body: JsonObject): Partial<PoltioHook> {
		const keys = [
			'url',
			'name',
			'is_active',
			'public_id',
			'account_wide',
			'delay',
			'send_answers',
			'send_leads',
			'incomplete_send',
			'incomplete_delay',
		] as const;
		return Object.fromEntries(
			keys.filter((key) => body[key] !== undefined).map((key) => [key, body[key]]),
		);
	}

	private validate(hook: Partial<PoltioHook>, ownId?: number): EmulatorReply | undefined {
		if (typeof hook.url !== 'string' || !hook.url)
			return { status: 422, body: { message: 'The url field is required.' } };
		// Poltio checks incomplete_delay whenever it is given (at least 60 and not less than delay).
		const checked = hook.incomplete_send || hook.incomplete_delay !== undefined;
		if (
			checked &&
			((hook.incomplete_delay ?? 0) < 60 || (hook.incomplete_delay ?? 0) < (hook.delay ?? 10))
		) {
			return {
				status: 422,
				body: { message: 'The incomplete delay must be at least 60 and not less than delay.' },
			};
		}
		const accountWide = [...this.hooks.values()].filter(
			(other) => other.account_wide && other.id !== ownId,
		);
		if (hook.account_wide && accountWide.length >= 2) {
			return { status: 422, body: { message: 'You can have at most 2 account wide webhooks.' } };
		}
		return undefined;
	}

	private list(req: EmulatorRequest): EmulatorReply {
		const page = Number(req.query.get('page') ?? 1);
		const perPage = Number(req.query.get('per_page') ?? 15);
		const publicId = req.query.get('public_id');
		const all = [...this.hooks.values()].filter((hook) => !publicId || hook.public_id === publicId);
		return {
			status: 200,
			body: {
				data: all.slice((page - 1) * perPage, page * perPage),
				meta: { current_page: page, per_page: perPage, total: all.length },
			},
		};
	}

	private create(req: EmulatorRequest): EmulatorReply {
		const hook: Omit<PoltioHook, 'incomplete_delay'> & { incomplete_delay?: number } = {
			id: this.nextId++,
			is_active: true,
			account_wide: false,
			delay: 10,
			send_answers: false,
			send_leads: false,
			incomplete_send: false,
			url: '',
			...this.fields(req.body),
		};
		if (this.stripQueryStrings) hook.url = hook.url.split('?')[0];
		if (this.keepOnlyOrigin) hook.url = `${new URL(hook.url).origin}/`;
		const problem = this.validate(hook);
		if (problem) return problem;
		const stored: PoltioHook = { ...hook, incomplete_delay: hook.incomplete_delay ?? 60 };
		this.hooks.set(stored.id, stored);
		if (this.createdReplyShape === 'no-id')
			return { status: 201, body: { message: 'Webhook created' } };
		return { status: 201, body: this.createdReplyShape === 'data' ? { data: stored } : stored };
	}

	/** Hooks whose URL starts with the given webhook URL. */
	hooksFor(webhookUrl: string): PoltioHook[] {
		return [...this.hooks.values()].filter((hook) => hook.url.startsWith(webhookUrl));
	}

	/** Posts a session to every active hook for the content (or account-wide), to the URL as registered. */
	async deliver(contentId: string, payload: Record<string, unknown>): Promise<PostResult[]> {
		const body = encodeBody({ ...payload, content_id: contentId }, this.phpEmptyMaps);
		const targets = [...this.hooks.values()].filter(
			(hook) => hook.is_active && (hook.account_wide || hook.public_id === contentId),
		);
		const wanted = targets.filter((hook) => payload.complete_session || hook.incomplete_send);
		return Promise.all(
			wanted.map((hook) => post(hook.url, body, { 'content-type': 'application/json' })),
		);
	}
}
