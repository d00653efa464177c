/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets -- Node-side code (tests, emulators, scripts), never loaded by n8n */
/**
 * An emulator of Cint Exchange's OAuth token endpoint and webhook API (as Cint documents
 * it): client-credentials tokens that expire (answered 403 authorization_error), the mandatory
 * Cint-API-Version header, cursor pagination, ETag/If-Match on update and delete, a secret returned
 * only at create and regenerate, and CloudEvents deliveries signed with Cint-Signature.
 */
import { randomBytes, randomUUID } from 'crypto';

import { cintSignatureHeader, nowSeconds } from '../provider-signing';
import { post, type PostResult } from '../post';
import { Emulator, type EmulatorRequest, type EmulatorReply } from './emulator';
import { without } from '../json-tree';

export interface CintWebhook {
	id: string;
	url: string;
	events: string[];
	secret: string;
	version: number;
	created_at: string;
	updated_at: string;
}

/** Subscription name → CloudEvents type: the documented three, and one the package has no built-in option for. */
export const CINT_EVENT_TYPES: Record<string, string> = {
	'session-updated': 'com.cint.session.updated',
	'target-group-updated': 'com.cint.target-group.updated',
	'quota-fill-registered': 'com.cint.quota.fill.registered',
	'project-updated': 'com.cint.project.updated',
};

/** The event beyond the package's built-in list, as Cint may add one. */
export const CINT_EXTRA_EVENT = 'project-updated';

let sequence = 0;
/** Sortable ids, like Cint's ULIDs, so pagination with start_after is deterministic. */
const sortableId = () =>
	`01J${String(++sequence).padStart(10, '0')}${randomBytes(4).toString('hex').toUpperCase()}`;

export class CintEmulator extends Emulator {
	clientId = 'cint-client-id';
	clientSecret = 'cint-client-secret-3b9f';
	accountId = 12345;
	tokens = new Map<string, number>();
	tokensIssued = 0;
	webhooks = new Map<string, CintWebhook>();
	/** Cint's reference calls the list field `events`; one of its guides shows `event`. */
	listField: 'events' | 'event' = 'events';
	/**
	 * Each webhook's events history (pending, delivered, undelivered, bounced, expired), as `deliver`
	 * leaves it: the CloudEvent delivered beside its status (`event`; Cint does not document the
	 * entry's shape beyond the status).
	 */
	history = new Map<string, Array<{ status: string; at: string; event?: unknown }>>();
	/** Attempts per delivery before its history entry is final (bounced). */
	deliveryAttempts = 1;

	constructor() {
		super();
		const account = `/v1/accounts/${this.accountId}`;
		const webhookPath = new RegExp(`^${account}/webhooks/([^/]+)$`);
		this.route('POST', /^\/oauth\/token$/, (req) => this.issueToken(req))
			.route('GET', new RegExp(`^${account}/webhooks-events$`), () => ({
				status: 200,
				body: { events: Object.keys(CINT_EVENT_TYPES) },
			}))
			.route('GET', new RegExp(`^${account}/webhooks$`), (req) => this.list(req))
			.route('POST', new RegExp(`^${account}/webhooks$`), (req) => this.create(req))
			.route('GET', webhookPath, (_req, [id]) => {
				const webhook = this.webhooks.get(id);
				return webhook
					? { status: 200, body: this.view(webhook), headers: { ETag: `"v${webhook.version}"` } }
					: { status: 404, body: { error: { code: 'not_found' } } };
			})
			.route(
				'PUT',
				webhookPath,
				(req, [id]) =>
					this.missingIdempotencyKey(req) ??
					this.ifMatch(req, id, (webhook) => {
						if (Array.isArray(req.body.events)) webhook.events = req.body.events.map(String);
						if (typeof req.body.url === 'string') webhook.url = req.body.url;
						webhook.version++;
						webhook.updated_at = new Date().toISOString();
						return { status: 200, body: this.view(webhook) };
					}),
			)
			.route('DELETE', webhookPath, (req, [id]) =>
				this.ifMatch(req, id, (webhook) => {
					this.webhooks.delete(webhook.id);
					return { status: 204 };
				}),
			)
			.route('GET', new RegExp(`^${account}/webhooks/([^/]+)/events-history$`), (req, [id]) => {
				if (!this.webhooks.has(id)) return { status: 404, body: { error: { code: 'not_found' } } };
				const since = req.query.get('start_time');
				if (!since || Number.isNaN(Date.parse(since)))
					return {
						status: 400,
						body: { error: { code: 'validation_error', message: 'start_time is required' } },
					};
				// Paged as Cint's webhook list: page_size 1..100 (default 20), start_after an entry id.
				const all = (this.history.get(id) ?? [])
					.map((entry, i) => ({
						id: `h${i}`,
						status: entry.status,
						created_at: entry.at,
						...(entry.event !== undefined ? { event: entry.event } : {}),
					}))
					.filter((entry) => entry.created_at >= since);
				const size = Math.min(Math.max(Number(req.query.get('page_size') ?? 20), 1), 100);
				const after = req.query.get('start_after');
				const from = after ? all.findIndex((entry) => entry.id === after) + 1 : 0;
				const events = all.slice(from, from + size);
				return { status: 200, body: { events, has_more: from + size < all.length } };
			})
			.route('POST', new RegExp(`^${account}/webhooks/([^/]+)/regenerate-secret$`), (req, [id]) => {
				const refused = this.missingIdempotencyKey(req);
				if (refused) return refused;
				const webhook = this.webhooks.get(id);
				if (!webhook) return { status: 404, body: { error: { code: 'not_found' } } };
				webhook.secret = randomBytes(32).toString('base64');
				webhook.version++;
				return { status: 200, body: { secret: webhook.secret } };
			});
	}

	/** API versions before 2025-12-18 require an Idempotency-Key header on PUT and regenerate-secret. */
	private missingIdempotencyKey(req: EmulatorRequest): EmulatorReply | undefined {
		if (req.headers['cint-api-version'] === '2025-12-18' || req.headers['idempotency-key'])
			return undefined;
		return {
			status: 400,
			body: {
				error: { code: 'missing_idempotency_key', message: 'Idempotency-Key header is required' },
			},
		};
	}

	issuedSecrets(): string[] {
		return [...this.tokens.keys()];
	}

	get authUrl() {
		return `${this.url}/oauth/token`;
	}

	get baseUrl() {
		return `${this.url}/v1`;
	}

	/** Makes every issued token expired, as after 24 hours. */
	expireTokens() {
		for (const token of this.tokens.keys()) this.tokens.set(token, 0);
	}

	protected authorize(request: EmulatorRequest): EmulatorReply | undefined {
		if (request.path === '/oauth/token') return undefined;
		const token = /^Bearer (.+)$/.exec(String(request.headers.authorization ?? ''))?.[1];
		const expiresAt = token ? this.tokens.get(token) : undefined;
		if (expiresAt === undefined)
			return { status: 401, body: { error: { code: 'unauthorized', message: 'Invalid token' } } };
		if (expiresAt < Date.now()) {
			return {
				status: 403,
				body: { error: { code: 'authorization_error', message: 'Token has expired' } },
			};
		}
		if (
			!['2025-12-18', '2025-05-27', '2024-12-02'].includes(
				String(request.headers['cint-api-version']),
			)
		) {
			return {
				status: 400,
				body: {
					error: { code: 'invalid_api_version', message: 'Cint-API-Version header is required' },
				},
			};
		}
		return undefined;
	}

	private issueToken(req: EmulatorRequest): EmulatorReply {
		const b = req.body;
		const wellFormed =
			b.grant_type === 'client_credentials' &&
			b.auth_scopes === 'app:api' &&
			b.audience === 'https://api.luc.id';
		if (!wellFormed) return { status: 400, body: { error: 'invalid_request' } };
		if (b.client_id !== this.clientId || b.client_secret !== this.clientSecret) {
			return { status: 401, body: { error: 'access_denied', error_description: 'Unauthorized' } };
		}
		const token = `eyJ.${randomBytes(16).toString('hex')}`;
		this.tokens.set(token, Date.now() + 86_400_000);
		this.tokensIssued++;
		return { status: 200, body: { access_token: token, expires_in: 86400, token_type: 'Bearer' } };
	}

	private view(webhook: CintWebhook) {
		const { events, ...visible } = webhook;
		return { ...without(visible, ['secret', 'version']), [this.listField]: events };
	}

	private list(req: EmulatorRequest): EmulatorReply {
		const size = Number(req.query.get('page_size') ?? 10);
		if (!Number.isInteger(size) || size < 1 || size > 100) {
			return { status: 400, body: { error: { code: 'invalid_page_size' } } };
		}
		const after = req.query.get('start_after');
		const all = [...this.webhooks.values()].sort((a, b) => a.id.localeCompare(b.id));
		const rest = after ? all.filter((webhook) => webhook.id > after) : all;
		return {
			status: 200,
			body: {
				webhooks: rest.slice(0, size).map((webhook) => this.view(webhook)),
				has_more: rest.length > size,
			},
		};
	}

	private create(req: EmulatorRequest): EmulatorReply {
		const { url, events: listed } = req.body;
		const events = Array.isArray(listed) ? listed.map(String) : [];
		if (
			typeof url !== 'string' ||
			!Array.isArray(listed) ||
			events.some((e) => !CINT_EVENT_TYPES[e])
		) {
			return {
				status: 400,
				body: { error: { code: 'validation_error', message: 'url and known events are required' } },
			};
		}
		const now = new Date().toISOString();
		const webhook: CintWebhook = {
			id: sortableId(),
			url,
			events,
			secret: randomBytes(32).toString('base64'),
			version: 1,
			created_at: now,
			updated_at: now,
		};
		this.webhooks.set(webhook.id, webhook);
		return { status: 201, body: { ...this.view(webhook), secret: webhook.secret } };
	}

	private ifMatch(
		req: EmulatorRequest,
		id: string,
		write: (webhook: CintWebhook) => EmulatorReply,
	): EmulatorReply {
		const webhook = this.webhooks.get(id);
		if (!webhook) return { status: 404, body: { error: { code: 'not_found' } } };
		if (req.headers['if-match'] !== `"v${webhook.version}"`) {
			return { status: 412, body: { error: { code: 'precondition_failed' } } };
		}
		return write(webhook);
	}

	/** Adds webhooks that belong to someone else, to exercise pagination. */
	addForeignWebhooks(count: number) {
		for (let i = 0; i < count; i++) {
			const now = new Date().toISOString();
			const webhook = {
				id: sortableId(),
				url: `https://elsewhere.example/${i}`,
				events: ['session-updated'],
				secret: 's',
				version: 1,
				created_at: now,
				updated_at: now,
			};
			this.webhooks.set(webhook.id, webhook);
		}
	}

	webhooksFor(url: string): CintWebhook[] {
		return [...this.webhooks.values()].filter((webhook) => webhook.url === url);
	}

	/** Delivers a CloudEvent of the subscription event to every webhook subscribed to it. */
	async deliver(
		event: string,
		data: Record<string, unknown>,
		id: string = randomUUID(),
	): Promise<PostResult[]> {
		const body = JSON.stringify({
			id,
			specversion: '1.0',
			source: 'https://api.cint.com',
			type: CINT_EVENT_TYPES[event],
			time: new Date().toISOString(),
			datacontenttype: 'application/json',
			dataschema: `https://schemas.cint.com/v1/${event}.json`,
			data,
		});
		const targets = [...this.webhooks.values()].filter((webhook) => webhook.events.includes(event));
		return Promise.all(
			targets.map(async (webhook) => {
				const entry = { status: 'pending', at: new Date().toISOString(), event: JSON.parse(body) };
				this.history.set(webhook.id, [...(this.history.get(webhook.id) ?? []), entry]);
				let result: PostResult = { status: 0, body: 'not delivered' };
				for (let attempt = 0; attempt < this.deliveryAttempts; attempt++) {
					result = await post(webhook.url, body, {
						'content-type': 'application/json',
						'cint-signature': cintSignatureHeader(webhook.secret, nowSeconds(), body),
					}).catch((error: Error) => ({ status: 0, body: error.message }));
					if (result.status >= 200 && result.status < 300) break;
				}
				entry.status = result.status >= 200 && result.status < 300 ? 'delivered' : 'bounced';
				return result;
			}),
		);
	}
}
