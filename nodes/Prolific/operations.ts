/**
 * Submission, Study and Message operations, each one call (or one list) of Prolific's API, as its
 * reference describes them (docs.prolific.com › API Reference; prolific-oss/cli's client agrees).
 */
import type {
	IDataObject,
	IExecuteFunctions,
	ILoadOptionsFunctions,
	INodeListSearchResult,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { z } from 'zod';

import { callApi, readReply, type ApiContext, type ProviderApi } from '../shared/api';
import { prolificApi } from '../ProlificTrigger/registration';
import { MIN_REJECTION_MESSAGE } from './description';

const id = z.union([z.string().min(1), z.number()]).transform(String);
const text = z.string().nullish();
const count = z.number().nullish();
/** Any listed object with an id (the editor's lists read only a few fields). */
const listed = z.object({ id }).catchall(z.any());

/** Prolific's list answer: `results`, with `_links.next` and `meta.count` where it paginates. */
const pageOf = <T extends z.ZodTypeAny>(item: T) =>
	z
		.object({
			results: z.array(item),
			_links: z
				.object({ next: z.object({ href: text }).passthrough().nullish() })
				.passthrough()
				.nullish(),
		})
		.passthrough();

/** The most one list call asks for, and how many pages Return All reads at most. */
const PAGE_SIZE = 100;
const MAX_PAGES = 200;

/**
 * Every item of a Prolific list up to `limit`, read with `item` (a passthrough schema, so nothing
 * Prolific sends is lost), page by page (`page`/`page_size`, Prolific's pagination), until
 * `_links.next` is empty or a page comes back short.
 */
export async function listAll<T extends z.ZodTypeAny>(
	ctx: ApiContext,
	api: ProviderApi,
	step: string,
	list: { path: string; qs?: IDataObject; item: T },
	limit = Infinity,
): Promise<Array<z.infer<T>>> {
	const found: Array<z.infer<T>> = [];
	for (let page = 1; page <= MAX_PAGES && found.length < limit; page++) {
		const pageSize = Math.min(PAGE_SIZE, limit - found.length);
		const reply = await callApi(ctx, api, step, {
			method: 'GET',
			path: list.path,
			qs: { ...list.qs, page, page_size: pageSize },
		});
		const { results, _links } = readReply(ctx, api, step, reply, pageOf(list.item));
		found.push(...results.slice(0, limit - found.length));
		const next = _links?.next?.href;
		if (results.length < pageSize || next === null || (_links && next === undefined)) break;
	}
	return found;
}

const submissionSchema = z
	.object({
		id,
		study_id: text,
		participant: text,
		participant_id: text,
		status: z.string(),
		started_at: text,
		completed_at: text,
		entered_code: text,
		study_code: text,
		time_taken: count,
		reward: count,
		bonus_payments: z.array(z.number()).nullish(),
		return_requested: text,
	})
	.passthrough();
type Submission = z.infer<typeof submissionSchema>;

const seconds = (from?: string | null, to?: string | null) => {
	const span = Date.parse(to ?? '') - Date.parse(from ?? '');
	return Number.isFinite(span) ? Math.round(span / 1000) : null;
};

const iso = (value?: string | null) => {
	const time = Date.parse(value ?? '');
	return Number.isFinite(time) ? new Date(time).toISOString() : null;
};

/** A submission as a workflow uses it; money in the study currency's minor units, as Prolific gives it. */
export function simpleSubmission(submission: Submission): IDataObject {
	return {
		submissionId: submission.id,
		participantId: submission.participant ?? submission.participant_id ?? null,
		studyId: submission.study_id ?? null,
		status: submission.status,
		startedAt: iso(submission.started_at),
		completedAt: iso(submission.completed_at),
		timeTakenSeconds:
			submission.time_taken ?? seconds(submission.started_at, submission.completed_at),
		completionCode: submission.entered_code ?? submission.study_code ?? null,
		reward: submission.reward ?? null,
		bonusPayments: submission.bonus_payments ?? [],
		returnRequestedAt: iso(submission.return_requested),
	};
}

const studySchema = z
	.object({
		id,
		name: text,
		internal_name: text,
		status: text,
		total_available_places: count,
		places_taken: count,
		reward: count,
		currency_code: text,
		date_created: text,
	})
	.passthrough();

function simpleStudy(study: z.infer<typeof studySchema>): IDataObject {
	return {
		studyId: study.id,
		name: study.name ?? null,
		internalName: study.internal_name || null,
		status: study.status ?? null,
		placesTaken: study.places_taken ?? null,
		totalAvailablePlaces: study.total_available_places ?? null,
		reward: study.reward ?? null,
		currency: study.currency_code ?? null,
		createdAt: iso(study.date_created),
	};
}

/** The id a resource locator holds (list, id or URL mode alike). */
export const locatorValue = (ctx: IExecuteFunctions, name: string, index: number): string =>
	String(ctx.getNodeParameter(name, index, '', { extractValue: true })).trim();

/** Adds what to do next to a Prolific refusal, keeping Prolific's own words. */
function explained(error: unknown, hints: Record<number, string>): unknown {
	if (error instanceof NodeApiError) {
		const hint = hints[Number(error.httpCode)];
		if (hint) error.description = [error.description, hint].filter(Boolean).join(' ');
	}
	return error;
}

const NOT_FOUND = 'Check the ID: Prolific knows none by it among what this API token can see.';

async function getSubmission(ctx: IExecuteFunctions, api: ProviderApi, submissionId: string) {
	const step = 'get the submission';
	try {
		const reply = await callApi(ctx, api, step, {
			method: 'GET',
			path: `/api/v1/submissions/${encodeURIComponent(submissionId)}/`,
		});
		return readReply(ctx, api, step, reply, submissionSchema);
	} catch (error) {
		throw explained(error, { 404: NOT_FOUND });
	}
}

/** Past tense of a transition, and the status Prolific then shows. */
const DECISIONS = {
	APPROVE: { status: 'APPROVED', done: 'approved' },
	REJECT: { status: 'REJECTED', done: 'rejected' },
} as const;

/**
 * Approves or rejects a submission. One already in the asked-for status answers an item that says
 * so (a resent event, a re-run) without a second decision; any other refusal is Prolific's.
 */
async function decide(
	ctx: IExecuteFunctions,
	api: ProviderApi,
	index: number,
	action: keyof typeof DECISIONS,
): Promise<IDataObject> {
	const submissionId = locatorValue(ctx, 'submissionId', index);
	const body: IDataObject = { action };
	if (action === 'REJECT') {
		const message = String(ctx.getNodeParameter('rejectionMessage', index, '')).trim();
		if (message.length < MIN_REJECTION_MESSAGE)
			throw new NodeOperationError(
				ctx.getNode(),
				`Message to Participant has ${message.length} characters; Prolific needs at least ${MIN_REJECTION_MESSAGE}`,
				{
					itemIndex: index,
					description: 'Say what the study asked for and what the submission lacked.',
				},
			);
		body.message = message;
		body.rejection_category = ctx.getNodeParameter('rejectionCategory', index);
	}
	const { status, done } = DECISIONS[action];
	const before = await getSubmission(ctx, api, submissionId);
	if (before.status === status)
		return {
			...simpleSubmission(before),
			[done]: false,
			alreadyDone: true,
			note: `Prolific shows this submission as ${status} already; nothing was sent.`,
		};
	const step = `${action.toLowerCase()} the submission`;
	try {
		const reply = await callApi(ctx, api, step, {
			method: 'POST',
			path: `/api/v1/submissions/${encodeURIComponent(submissionId)}/transition/`,
			body,
		});
		const after = readReply(ctx, api, step, reply, submissionSchema);
		return { ...simpleSubmission({ ...before, ...after }), [done]: true, alreadyDone: false };
	} catch (error) {
		throw explained(error, {
			400: `Prolific shows the submission as ${before.status}: only one AWAITING REVIEW can be ${done}, and a decision cannot be changed.`,
		});
	}
}

export async function submissionOperation(
	ctx: IExecuteFunctions,
	api: ProviderApi,
	operation: string,
	index: number,
): Promise<IDataObject | IDataObject[]> {
	const simple = () => ctx.getNodeParameter('simple', index, true) as boolean;
	switch (operation) {
		case 'get': {
			const submission = await getSubmission(ctx, api, locatorValue(ctx, 'submissionId', index));
			return simple() ? simpleSubmission(submission) : (submission as IDataObject);
		}
		case 'getAll': {
			const returnAll = ctx.getNodeParameter('returnAll', index, false) as boolean;
			const status = ctx.getNodeParameter('status', index, '') as string;
			const step = 'list the study’s submissions';
			const qs = { study: locatorValue(ctx, 'studyId', index), ...(status ? { status } : {}) };
			const limit = returnAll ? Infinity : (ctx.getNodeParameter('limit', index, 50) as number);
			const path = '/api/v1/submissions/';
			if (!simple()) return await listAll(ctx, api, step, { path, qs, item: listed }, limit);
			const found = await listAll(ctx, api, step, { path, qs, item: submissionSchema }, limit);
			return found.map(simpleSubmission);
		}
		case 'approve':
			return await decide(ctx, api, index, 'APPROVE');
		case 'reject':
			return await decide(ctx, api, index, 'REJECT');
		case 'requestReturn': {
			const reasons = [
				...(ctx.getNodeParameter('returnReasons', index, []) as string[]),
				String(ctx.getNodeParameter('otherReturnReason', index, '')).trim(),
			].filter(Boolean);
			if (reasons.length === 0)
				throw new NodeOperationError(ctx.getNode(), 'Choose at least one reason, or write one', {
					itemIndex: index,
				});
			const submissionId = locatorValue(ctx, 'submissionId', index);
			const step = 'ask for the submission’s return';
			try {
				const reply = await callApi(ctx, api, step, {
					method: 'POST',
					path: `/api/v1/submissions/${encodeURIComponent(submissionId)}/request-return/`,
					body: { request_return_reasons: reasons },
				});
				const answer = readReply(
					ctx,
					api,
					step,
					reply,
					submissionSchema.partial({ status: true }).extend({ id }),
				);
				return {
					submissionId: answer.id,
					participantId: answer.participant ?? null,
					status: answer.status ?? null,
					returnRequestedAt: iso(answer.return_requested),
					reasons,
				};
			} catch (error) {
				throw explained(error, { 404: NOT_FOUND });
			}
		}
	}
	throw new NodeOperationError(ctx.getNode(), `Unknown operation "${operation}"`);
}

export async function studyOperation(
	ctx: IExecuteFunctions,
	api: ProviderApi,
	operation: string,
	index: number,
): Promise<IDataObject | IDataObject[]> {
	const simple = ctx.getNodeParameter('simple', index, true) as boolean;
	if (operation === 'get') {
		const step = 'get the study';
		const studyId = locatorValue(ctx, 'studyId', index);
		try {
			const reply = await callApi(ctx, api, step, {
				method: 'GET',
				path: `/api/v1/studies/${encodeURIComponent(studyId)}/`,
			});
			const study = readReply(ctx, api, step, reply, studySchema);
			return simple ? simpleStudy(study) : (study as IDataObject);
		} catch (error) {
			throw explained(error, { 404: NOT_FOUND });
		}
	}
	const returnAll = ctx.getNodeParameter('returnAll', index, false) as boolean;
	const limit = returnAll ? Infinity : (ctx.getNodeParameter('limit', index, 50) as number);
	const path = '/api/v1/studies/';
	if (!simple) return await listAll(ctx, api, 'list studies', { path, item: listed }, limit);
	const studies = await listAll(ctx, api, 'list studies', { path, item: studySchema }, limit);
	return studies.map(simpleStudy);
}

export async function sendMessage(
	ctx: IExecuteFunctions,
	api: ProviderApi,
	index: number,
): Promise<IDataObject> {
	const recipient = String(ctx.getNodeParameter('participantId', index, '')).trim();
	const studyId = locatorValue(ctx, 'studyId', index);
	const body = String(ctx.getNodeParameter('messageBody', index, '')).trim();
	if (!recipient || !body)
		throw new NodeOperationError(
			ctx.getNode(),
			recipient ? 'The message is empty' : 'Participant ID is empty',
			{ itemIndex: index },
		);
	await callApi(ctx, api, 'send the message', {
		method: 'POST',
		path: '/api/v1/messages/',
		body: { recipient_id: recipient, study_id: studyId, body },
	});
	return { sent: true, participantId: recipient, studyId };
}

/** The editor's study list: name, status and places, newest Prolific order kept. */
export async function searchStudies(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const api = await prolificApi(this);
	const studies = await listAll(
		this,
		api,
		'list studies',
		{ path: '/api/v1/studies/', item: listed },
		500,
	);
	const wanted = (filter ?? '').toLowerCase();
	return {
		results: studies
			.filter((study) => `${String(study.name)} ${String(study.id)}`.toLowerCase().includes(wanted))
			.map((study) => ({
				name: `${String(study.name ?? study.id)} (${String(study.status ?? '')})`,
				value: String(study.id),
				url: `https://app.prolific.com/researcher/workspaces/studies/${String(study.id)}`,
			})),
	};
}

/** The editor's submission list: those awaiting review, by participant. */
export async function searchSubmissions(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const api = await prolificApi(this);
	const submissions = await listAll(
		this,
		api,
		'list submissions awaiting review',
		{ path: '/api/v1/submissions/', qs: { status: 'AWAITING_REVIEW' }, item: listed },
		500,
	);
	const wanted = (filter ?? '').toLowerCase();
	return {
		results: submissions
			.map((raw) => ({
				raw,
				participant: String(raw.participant ?? raw.participant_id ?? ''),
			}))
			.filter(({ raw, participant }) =>
				`${participant} ${String(raw.id)}`.toLowerCase().includes(wanted),
			)
			.map(({ raw, participant }) => ({
				name: `${participant || String(raw.id)} · ${String(raw.status ?? '')}`,
				value: String(raw.id),
			})),
	};
}
