/**
 * An emulator of Prolific's webhook API (the parts Prolific documents), with the provider's
 * behaviour: one secret per workspace, subscriptions that need confirming with X-Hook-Secret,
 * disabled subscriptions hidden unless asked for, and deliveries signed as Prolific documents.
 */
import { randomBytes, randomUUID } from 'crypto';

import { prolificSignature } from '../provider-signing';

import { post, type PostResult } from '../post';
import { Emulator, encodeBody, type EmulatorRequest } from './emulator';
import { pythonJsonDumps, without } from '../json-tree';

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

/** A study as Prolific's API describes one (the fields the Prolific node reads, and a few more). */
export interface ProlificStudy {
	id: string;
	name: string;
	internal_name: string;
	status: string;
	total_available_places: number;
	places_taken: number;
	reward: number;
	currency_code: string;
	date_created: string;
	external_study_url: string;
}

/** A submission as Prolific's "Retrieve a submission" answers it, with the list's extra fields. */
export interface ProlificSubmission {
	id: string;
	study_id: string;
	participant: string;
	status: string;
	started_at: string;
	completed_at: string | null;
	entered_code: string | null;
	time_taken: number | null;
	reward: number;
	bonus_payments: number[];
	return_requested: string | null;
}

/** What Prolific lets a researcher's rejection say (the CLI's list, as the API validates it). */
export const PROLIFIC_REJECTION_CATEGORIES = [
	'TOO_QUICKLY',
	'TOO_SLOWLY',
	'FAILED_INSTRUCTIONS',
	'INCOMP_LONGITUDINAL',
	'FAILED_CHECK',
	'LOW_EFFORT',
	'MALINGERING',
	'NO_CODE',
	'BAD_CODE',
	'NO_DATA',
	'UNSUPP_DEVICE',
	'OTHER',
];

/** Prolific's error body (JSON:API style, as its CLI reads it). */
const prolificError = (status: number, detail: unknown) => ({
	status,
	body: { error: { status, title: 'Error', error_code: status * 100, detail } },
});

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
	/** The most items one list page holds, whatever `limit` or `page_size` asks for (Prolific documents no maximum). */
	maxPageSize = 50;
	/** Models deliveries whose empty maps arrive as `[]`. */
	phpEmptyMaps = false;
	/** Deliveries Prolific's log reports FAILED, per subscription id (`failedEverywhere` for any other), beside `log`. */
	failedDeliveries = new Map<string, number>();
	failedEverywhere = 0;
	/**
	 * Prolific's delivery log per subscription, as `deliver` leaves it: an entry per event with its
	 * payload, SUCCEEDED when the target answered 2xx, else FAILED once every attempt failed.
	 */
	log = new Map<string, ProlificLogEntry[]>();
	/** Attempts per delivery before its entry is FAILED (Prolific makes 12 over 24 h). */
	deliveryAttempts = 1;
	/** Bodies as Prolific's Python writes them (`json.dumps`: ", ", ": ", non-ASCII escaped). */
	pythonBodies = false;
	/** When set, the event-types list answers this status (the editor then shows the built-in list). */
	eventTypesStatus = 200;
	studies = new Map<string, ProlificStudy>();
	submissions = new Map<string, ProlificSubmission>();
	/** Bulk bonus payments set up, by id. */
	bulkBonuses = new Map<string, { study: string; lines: Array<[string, number]> }>();
	/** Every pay call Prolific carried out, in order: a bulk payment paid twice appears twice, as Prolific documents. */
	payments: Array<{ bulkId: string; study: string; participant: string; amount: number }> = [];
	/** Transitions that changed a submission's status, in order. */
	decisions: Array<{ submission: string; action: string; status: string }> = [];
	messages: Array<{ recipient_id: string; study_id: string; body: string }> = [];

	constructor() {
		super();
		this.route('GET', /^\/api\/v1\/users\/me\/$/, () => ({
			status: 200,
			body: { id: 'u1', email: 'ops@example.test' },
		}))
			// Without `limit` Prolific answers 20 workspaces (its CLI passes limit/offset).
			.route('GET', /^\/api\/v1\/workspaces\/$/, (req) => this.offsetPage(req, this.workspaces))
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
				// `status` takes one value or a JSON list, as Prolific documents.
				const asked = req.query.get('status');
				const statuses = asked?.startsWith('[')
					? (JSON.parse(asked) as string[])
					: asked
						? [asked]
						: [];
				const wanted = (status: string) => !statuses.length || statuses.includes(status);
				const counted =
					wanted('FAILED') && statuses.length
						? (this.failedDeliveries.get(id) ?? this.failedEverywhere)
						: 0;
				const synthetic = Array.from({ length: counted }, (_, i) => ({
					id: `e${i}`,
					datetime_created: new Date().toISOString(),
					datetime_updated: new Date().toISOString(),
					event_type: 'submission.status.change',
					resource_id: 'r',
					status: 'FAILED',
					payload: {},
				}));
				const all = [
					...synthetic,
					...(this.log.get(id) ?? []).filter((entry) => wanted(entry.status)),
				];
				const limit = Math.min(Number(req.query.get('limit') ?? 20), this.maxPageSize);
				const offset = Number(req.query.get('offset') ?? 0);
				const results = all.slice(offset, offset + limit);
				const next =
					offset + limit < all.length
						? `${this.url}${req.path}?status=${encodeURIComponent(asked ?? '')}&limit=${limit}&offset=${offset + limit}`
						: null;
				return {
					status: 200,
					body: {
						results,
						_links: { next: { href: next }, previous: { href: null } },
						meta: { count: all.length },
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
				const { results, next } = this.offsetSlice(req, all, this.maxPageSize);
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
		this.researchRoutes();
	}

	/** Adds a study with its submissions (participant id → status and entered code). */
	addStudy(
		study: Partial<ProlificStudy> & { id: string },
		submissions: Array<Partial<ProlificSubmission> & { id: string; participant: string }> = [],
	): void {
		this.studies.set(study.id, {
			name: `Study ${study.id}`,
			internal_name: '',
			status: 'ACTIVE',
			total_available_places: 50,
			places_taken: submissions.length,
			reward: 150,
			currency_code: 'GBP',
			date_created: '2026-11-02T09:00:00.000000Z',
			external_study_url: 'https://survey.example.test/s?PROLIFIC_PID={{%PROLIFIC_PID%}}',
			...study,
		});
		for (const submission of submissions)
			this.submissions.set(submission.id, {
				study_id: study.id,
				status: 'AWAITING REVIEW',
				started_at: '2026-11-03T10:00:00.000000Z',
				completed_at: '2026-11-03T10:12:30.000000Z',
				entered_code: 'C1A2B3',
				time_taken: 750,
				reward: 150,
				bonus_payments: [],
				return_requested: null,
				...submission,
			});
	}

	/** `limit`/`offset` (default 20, at most maxPageSize): the slice, and the next page's link with the query kept (Django REST). */
	private offsetSlice(req: EmulatorRequest, all: unknown[], defaultLimit = 20) {
		const limit = Math.min(Number(req.query.get('limit') ?? defaultLimit), this.maxPageSize);
		const offset = Number(req.query.get('offset') ?? 0);
		const query = new URLSearchParams(req.query);
		query.set('limit', String(limit));
		query.set('offset', String(offset + limit));
		return {
			results: all.slice(offset, offset + limit),
			next: offset + limit < all.length ? `${this.url}${req.path}?${query}` : null,
		};
	}

	/** A `limit`/`offset` list in Prolific's shape: `results`, `_links.next`, `meta.count`. */
	private offsetPage(req: EmulatorRequest, all: unknown[]) {
		const { results, next } = this.offsetSlice(req, all);
		return {
			status: 200,
			body: {
				results,
				_links: { next: { href: next, title: 'Next' } },
				meta: { count: all.length },
			},
		};
	}

	/** Prolific's paginated list: `page`/`page_size` (at most maxPageSize), `_links.next`, the total in `meta.count`. */
	private page(req: EmulatorRequest, all: unknown[]) {
		const size = Math.min(Number(req.query.get('page_size') ?? 20), this.maxPageSize);
		const page = Number(req.query.get('page') ?? 1);
		const results = all.slice((page - 1) * size, page * size);
		const link = (target: number) => {
			const query = new URLSearchParams(req.query);
			query.set('page', String(target));
			return `${this.url}${req.path}?${query}`;
		};
		return {
			status: 200,
			body: {
				results,
				_links: {
					self: { href: link(page), title: 'Current' },
					next: { href: page * size < all.length ? link(page + 1) : null, title: 'Next' },
					previous: { href: page > 1 ? link(page - 1) : null, title: 'Previous' },
					last: { href: link(Math.max(1, Math.ceil(all.length / size))), title: 'Last' },
				},
				meta: { count: all.length },
			},
		};
	}

	/** Studies, submissions, bonuses and messages, as docs.prolific.com's API reference describes them. */
	private researchRoutes() {
		// The studies list documents no paging: every study, whatever is asked.
		this.route('GET', /^\/api\/v1\/studies\/$/, () => ({
			status: 200,
			body: { results: [...this.studies.values()] },
		}))
			.route('GET', /^\/api\/v1\/studies\/([^/]+)\/$/, (_req, [id]) => {
				const study = this.studies.get(id);
				return study ? { status: 200, body: study } : prolificError(404, 'Not found.');
			})
			.route('GET', /^\/api\/v1\/submissions\/$/, (req) => {
				// The status filter is case-insensitive (Prolific's reference); statuses are spelled with spaces.
				const status = req.query.get('status')?.toUpperCase();
				const study = req.query.get('study');
				// List items are shorter than Submission › Get's, and spell two fields otherwise.
				return this.page(
					req,
					[...this.submissions.values()]
						.filter((s) => (!study || s.study_id === study) && (!status || s.status === status))
						.map((s) => ({
							id: s.id,
							participant_id: s.participant,
							status: s.status,
							started_at: s.started_at,
							completed_at: s.completed_at,
							study_code: s.entered_code,
						})),
				);
			})
			.route('GET', /^\/api\/v1\/submissions\/([^/]+)\/$/, (_req, [id]) => {
				const submission = this.submissions.get(id);
				return submission ? { status: 200, body: submission } : prolificError(404, 'Not found.');
			})
			.route('POST', /^\/api\/v1\/submissions\/([^/]+)\/transition\/$/, (req, [id]) =>
				this.transition(id, req.body),
			)
			.route('POST', /^\/api\/v1\/submissions\/([^/]+)\/request-return\/$/, (req, [id]) => {
				const submission = this.submissions.get(id);
				if (!submission) return prolificError(404, 'Not found.');
				const reasons = req.body.request_return_reasons;
				if (!Array.isArray(reasons) || reasons.length === 0)
					return prolificError(400, { request_return_reasons: ['This field is required.'] });
				submission.return_requested = new Date().toISOString();
				return {
					status: 200,
					body: {
						id: submission.id,
						status: submission.status,
						participant: submission.participant,
						return_requested: submission.return_requested,
					},
				};
			})
			.route('POST', /^\/api\/v1\/submissions\/bonus-payments\/$/, (req) => {
				const study = String(req.body.study_id ?? '');
				if (!this.studies.has(study)) return prolificError(404, 'Study not found.');
				const lines = String(req.body.csv_bonuses ?? '')
					.split('\n')
					.filter((line) => line.trim())
					.map((line): [string, number] => {
						const [who, amount] = line.split(',');
						return [who.trim(), Number(amount)];
					});
				const strangers = lines.filter(
					([who]) =>
						![...this.submissions.values()].some(
							(s) => s.study_id === study && (s.participant === who || s.id === who),
						),
				);
				if (lines.length === 0 || strangers.length || lines.some(([, a]) => !(a > 0)))
					return prolificError(400, {
						csv_bonuses: [
							strangers.length
								? `These IDs did not take part in the study: ${strangers.map(([who]) => who).join(', ')}`
								: 'Each line needs an ID and an amount greater than zero.',
						],
					});
				const id = randomBytes(12).toString('hex');
				this.bulkBonuses.set(id, { study, lines });
				// Amounts come back in minor units (pence/cents); fees as Prolific's commission.
				const amount = Math.round(lines.reduce((sum, [, a]) => sum + a, 0) * 100);
				const fees = Math.round(amount * 0.3333 * 100) / 100;
				return {
					status: 201,
					body: { id, study, amount, fees, vat: 0, total_amount: amount + fees },
				};
			})
			.route('POST', /^\/api\/v1\/bulk-bonus-payments\/([^/]+)\/pay\/$/, (_req, [id]) => {
				const bulk = this.bulkBonuses.get(id);
				if (!bulk) return prolificError(404, 'Not found.');
				// Not idempotent, as Prolific documents: every call pays again.
				for (const [who, amount] of bulk.lines) {
					const submission = [...this.submissions.values()].find(
						(s) => s.study_id === bulk.study && (s.participant === who || s.id === who),
					);
					submission?.bonus_payments.push(Math.round(amount * 100));
					this.payments.push({
						bulkId: id,
						study: bulk.study,
						participant: submission?.participant ?? who,
						amount,
					});
				}
				return {
					status: 202,
					body: `Bulk bonus payment with ID ${id} is being processed asynchronously. Payments will be completed shortly.`,
				};
			})
			.route('POST', /^\/api\/v1\/messages\/$/, (req) => {
				const { recipient_id, study_id, body } = req.body;
				if (typeof recipient_id !== 'string' || typeof body !== 'string' || !body.trim())
					return prolificError(400, { body: ['This field is required.'] });
				if (typeof study_id !== 'string' || !this.studies.has(study_id))
					return prolificError(400, { study_id: ['Study not found.'] });
				this.messages.push({ recipient_id, study_id, body });
				return { status: 201 };
			});
	}

	/**
	 * Prolific's transition: APPROVE or REJECT a submission AWAITING REVIEW. A decision cannot be
	 * changed; the same request again is ignored (Prolific documents the call as idempotent).
	 */
	private transition(id: string, body: EmulatorRequest['body']) {
		const submission = this.submissions.get(id);
		if (!submission) return prolificError(404, 'Not found.');
		const action = String(body.action ?? '');
		const target = { APPROVE: 'APPROVED', REJECT: 'REJECTED' }[action];
		if (!target) return prolificError(400, { action: [`"${action}" is not a valid choice.`] });
		if (action === 'REJECT') {
			if (typeof body.message !== 'string' || body.message.length < 100)
				return prolificError(400, {
					message: ['Ensure this field has at least 100 characters.'],
				});
			if (!PROLIFIC_REJECTION_CATEGORIES.includes(String(body.rejection_category)))
				return prolificError(400, {
					rejection_category: [`"${String(body.rejection_category)}" is not a valid choice.`],
				});
		}
		const view = () => ({
			id: submission.id,
			completed_at: submission.completed_at,
			entered_code: submission.entered_code,
			participant: submission.participant,
			started_at: submission.started_at,
			status: submission.status,
			study_id: submission.study_id,
		});
		if (submission.status === target) return { status: 200, body: view() };
		if (submission.status !== 'AWAITING REVIEW')
			return prolificError(
				400,
				`Cannot ${action.toLowerCase()} a submission with status ${submission.status}.`,
			);
		submission.status = target;
		this.decisions.push({ submission: id, action, status: target });
		return { status: 200, body: view() };
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
		const raw = this.pythonBodies ? pythonJsonDumps(body) : encodeBody(body, this.phpEmptyMaps);
		const targets = this.live().filter(
			(s) => s.workspace_id === workspaceId && s.event_type === body.event_type,
		);
		return Promise.all(
			targets.map(async (s) => {
				const entry: ProlificLogEntry = {
					id: eventId,
					datetime_created: new Date().toISOString(),
					datetime_updated: new Date().toISOString(),
					event_type: String(body.event_type),
					resource_id: String(body.resource_id ?? ''),
					status: 'PENDING',
					payload: JSON.parse(raw),
				};
				this.log.set(s.id, [...(this.log.get(s.id) ?? []), entry]);
				let result: PostResult = { status: 0, body: 'not delivered' };
				for (let attempt = 0; attempt < this.deliveryAttempts; attempt++) {
					// Each attempt signed at its own time, as Prolific's retries are.
					const timestamp = String(Math.floor(Date.now() / 1000));
					result = await post(s.target_url, raw, {
						'content-type': 'application/json',
						'x-prolific-request-signature': prolificSignature(secret.value, timestamp, raw),
						'x-prolific-request-timestamp': timestamp,
						'x-event-id': eventId,
						'x-timestamp': new Date().toISOString(),
					}).catch((error: Error) => ({ status: 0, body: error.message }));
					if (result.status >= 200 && result.status < 300) break;
				}
				entry.status = result.status >= 200 && result.status < 300 ? 'SUCCEEDED' : 'FAILED';
				entry.datetime_updated = new Date().toISOString();
				return result;
			}),
		);
	}
}

/** An entry of Prolific's delivery log (`GET /api/v1/hooks/subscriptions/{id}/events/`). */
export interface ProlificLogEntry {
	id: string;
	datetime_created: string;
	datetime_updated: string;
	event_type: string;
	resource_id: string;
	status: 'PENDING' | 'SUCCEEDED' | 'FAILED';
	payload: unknown;
}
