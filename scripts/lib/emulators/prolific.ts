/**
 * An emulator of Prolific's webhook API (the parts Prolific documents), with the provider's
 * behaviour: one secret per workspace, subscriptions that need confirming with X-Hook-Secret,
 * disabled subscriptions hidden unless asked for, and deliveries signed as Prolific documents.
 */
import { randomBytes, randomUUID } from 'crypto';

import { prolificSignature } from '../provider-signing';

import { post, type PostResult } from '../post';
import { Emulator, encodeBody, type EmulatorRequest } from './emulator';
import { without } from '../json-tree';

export interface ProlificSubscription {
	id: string;
	event_type: string;
	target_url: string;
	workspace_id: string;
	is_enabled: boolean;
	confirmed: boolean;
	hookSecret: string;
}

/** The event types the emulator lists: the four documented bodies, and one the package has no built-in option for. */
export const PROLIFIC_EVENT_TYPES = [
	'submission.status.change',
	'study.status.change',
	'study.progress.change',
	'study.has_high_return_rate',
	'participant.submission.created',
];

/** The type beyond the package's built-in list, as Prolific may add one. */
export const PROLIFIC_EXTRA_EVENT = 'participant.submission.created';

export class ProlificEmulator extends Emulator {
	token = 'prolific-test-token';
	workspaces = [
		{ id: '6655aa00bb11cc22dd33ee44', title: 'Research Ops' },
		{ id: '6655aa00bb11cc22dd33ee55', title: 'UX Panel' },
	];
	secrets = new Map<string, { id: string; value: string }>();
	subscriptions = new Map<string, ProlificSubscription>();
	/**
	 * Prolific's docs show `{"results": [...]}` ("list of all subscriptions") for a created
	 * subscription; its CLI reads an object. 'all' lists every subscription of the workspace.
	 */
	createdReplyShape: 'results' | 'object' | 'all' = 'results';
	/** The most subscriptions one list page holds, whatever `limit` asks for. */
	maxPageSize = 200;
	/** Models deliveries whose empty maps arrive as `[]`. */
	phpEmptyMaps = false;
	/** Deliveries Prolific's log reports FAILED, per subscription id (`failedEverywhere` for any other). */
	failedDeliveries = new Map<string, number>();
	failedEverywhere = 0;
	/** When set, the event-types list answers this status (the editor then shows the built-in list). */
	eventTypesStatus = 200;

	constructor() {
		super();
		this.route('GET', /^\/api\/v1\/users\/me\/$/, () => ({
			status: 200,
			body: { id: 'u1', email: 'ops@example.test' },
		}))
			.route('GET', /^\/api\/v1\/workspaces\/$/, () => ({
				status: 200,
				body: { results: this.workspaces },
			}))
			.route('GET', /^\/api\/v1\/hooks\/event-types\/$/, () =>
				this.eventTypesStatus === 200
					? {
							status: 200,
							body: {
								results: PROLIFIC_EVENT_TYPES.map((event_type) => ({
									event_type,
									description: `Sent on ${event_type}`,
								})),
							},
						}
					: { status: this.eventTypesStatus, body: { detail: 'Service unavailable.' } },
			)
			.route('GET', /^\/api\/v1\/hooks\/subscriptions\/([^/]+)\/events\/$/, (req, [id]) => {
				if (!this.subscriptions.has(id)) return { status: 404, body: { detail: 'Not found.' } };
				// Prolific's paginated shape: the total in meta.count, links in _links (its CLI reads them there).
				const failed =
					req.query.get('status') === 'FAILED'
						? (this.failedDeliveries.get(id) ?? this.failedEverywhere)
						: 0;
				const limit = Number(req.query.get('limit') ?? 20);
				const offset = Number(req.query.get('offset') ?? 0);
				const results = Array.from(
					{ length: Math.max(0, Math.min(failed - offset, limit)) },
					(_, i) => ({
						id: `e${offset + i}`,
						datetime_created: new Date().toISOString(),
						datetime_updated: new Date().toISOString(),
						event_type: 'submission.status.change',
						resource_id: 'r',
						status: 'FAILED',
						payload: {},
					}),
				);
				const next =
					offset + limit < failed
						? `${this.url}${req.path}?status=FAILED&limit=${limit}&offset=${offset + limit}`
						: null;
				return {
					status: 200,
					body: {
						results,
						_links: { next: { href: next }, previous: { href: null } },
						meta: { count: failed },
					},
				};
			})
			.route('GET', /^\/api\/v1\/hooks\/secrets\/$/, (req) => {
				const secret = this.secrets.get(req.query.get('workspace_id') ?? '');
				return {
					status: 200,
					body: {
						results: secret ? [{ ...secret, workspace_id: req.query.get('workspace_id') }] : [],
					},
				};
			})
			.route('POST', /^\/api\/v1\/hooks\/secrets\/$/, (req) => {
				const secret = { id: randomUUID(), value: randomBytes(24).toString('base64') };
				this.secrets.set(String(req.body.workspace_id), secret);
				return { status: 201, body: { ...secret, workspace_id: req.body.workspace_id } };
			})
			.route('GET', /^\/api\/v1\/hooks\/subscriptions\/$/, (req) => {
				const enabled = (req.query.get('is_enabled') ?? 'true') === 'true';
				const all = [...this.subscriptions.values()]
					.filter(
						(s) => s.workspace_id === req.query.get('workspace_id') && s.is_enabled === enabled,
					)
					.map((s) => this.publicView(s));
				const limit = Math.min(
					Number(req.query.get('limit') ?? this.maxPageSize),
					this.maxPageSize,
				);
				const offset = Number(req.query.get('offset') ?? 0);
				const results = all.slice(offset, offset + limit);
				const next =
					offset + limit < all.length
						? `${this.url}${req.path}?limit=${limit}&offset=${offset + limit}`
						: null;
				return { status: 200, body: { count: all.length, next, previous: null, results } };
			})
			.route('POST', /^\/api\/v1\/hooks\/subscriptions\/$/, (req) => this.createSubscription(req))
			.route('POST', /^\/api\/v1\/hooks\/subscriptions\/([^/]+)\/$/, (req, [id]) => {
				const subscription = this.subscriptions.get(id);
				if (!subscription) return { status: 404, body: { detail: 'Not found.' } };
				if (req.body?.secret !== subscription.hookSecret)
					return { status: 400, body: { detail: 'Invalid secret.' } };
				subscription.confirmed = true;
				return { status: 200, body: this.publicView(subscription) };
			})
			.route('GET', /^\/api\/v1\/hooks\/subscriptions\/([^/]+)\/$/, (_req, [id]) => {
				const subscription = this.subscriptions.get(id);
				return subscription
					? { status: 200, body: this.publicView(subscription) }
					: { status: 404, body: { detail: 'Not found.' } };
			})
			.route('PATCH', /^\/api\/v1\/hooks\/subscriptions\/([^/]+)\/$/, (req, [id]) => {
				const subscription = this.subscriptions.get(id);
				if (!subscription) return { status: 404, body: { detail: 'Not found.' } };
				if (typeof req.body?.is_enabled === 'boolean')
					subscription.is_enabled = req.body.is_enabled;
				return { status: 200, body: this.publicView(subscription) };
			})
			.route('DELETE', /^\/api\/v1\/hooks\/subscriptions\/([^/]+)\/$/, (_req, [id]) =>
				this.subscriptions.delete(id)
					? { status: 204 }
					: { status: 404, body: { detail: 'Not found.' } },
			);
	}

	protected authorize(request: EmulatorRequest) {
		return request.headers.authorization === `Token ${this.token}`
			? undefined
			: { status: 401, body: { detail: 'Invalid token.' } };
	}

	private publicView(subscription: ProlificSubscription) {
		return without(subscription, ['hookSecret', 'confirmed']);
	}

	private createSubscription(req: EmulatorRequest) {
		const [event_type, target_url, workspace_id] = [
			req.body.event_type,
			req.body.target_url,
			req.body.workspace_id,
		].map(String);
		if (!PROLIFIC_EVENT_TYPES.includes(event_type)) {
			return { status: 400, body: { event_type: [`"${event_type}" is not a valid choice.`] } };
		}
		const subscription: ProlificSubscription = {
			id: randomBytes(12).toString('hex'),
			event_type,
			target_url,
			workspace_id,
			is_enabled: true,
			confirmed: false,
			hookSecret: randomBytes(16).toString('hex'),
		};
		this.subscriptions.set(subscription.id, subscription);
		const view = this.publicView(subscription);
		return {
			status: 201,
			headers: { 'X-Hook-Secret': subscription.hookSecret },
			body:
				this.createdReplyShape === 'object'
					? view
					: {
							results:
								this.createdReplyShape === 'all'
									? [...this.subscriptions.values()].map((s) => this.publicView(s))
									: [view],
						},
		};
	}

	/** Subscriptions that would receive deliveries: confirmed and enabled. */
	live(targetUrl?: string): ProlificSubscription[] {
		return [...this.subscriptions.values()].filter(
			(s) => s.confirmed && s.is_enabled && (targetUrl === undefined || s.target_url === targetUrl),
		);
	}

	/**
	 * Delivers an event to every live subscription for its type, signed as Prolific documents:
	 * base64(HMAC-SHA256(workspace secret, timestamp + body)).
	 */
	async deliver(
		workspaceId: string,
		body: Record<string, unknown>,
		eventId: string = randomUUID(),
	): Promise<PostResult[]> {
		const secret = this.secrets.get(workspaceId);
		if (!secret) throw new Error('workspace has no secret');
		const raw = encodeBody(body, this.phpEmptyMaps);
		const timestamp = String(Math.floor(Date.now() / 1000));
		const signature = prolificSignature(secret.value, timestamp, raw);
		const targets = this.live().filter(
			(s) => s.workspace_id === workspaceId && s.event_type === body.event_type,
		);
		return Promise.all(
			targets.map((s) =>
				post(s.target_url, raw, {
					'content-type': 'application/json',
					'x-prolific-request-signature': signature,
					'x-prolific-request-timestamp': timestamp,
					'x-event-id': eventId,
					'x-timestamp': new Date().toISOString(),
				}),
			),
		);
	}
}
