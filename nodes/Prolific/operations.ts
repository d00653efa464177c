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

import { callApi, readReply, type ProviderApi } from '../shared/api';
import { listPages } from '../shared/pages';
import { prolificApi } from './registration';
import { MIN_REJECTION_MESSAGE } from './description';
import { fromMinorUnits } from './money';
import { count, id, iso, simpleSubmission, submissionSchema, text } from './submission';

/** Any listed object with an id (the editor's lists read only a few fields). */
const listed = z.object({ id }).catchall(z.any());

/**
 * Prolific's lists, with the paging each endpoint documents: submissions `page`/`page_size`
 * (default 20, no maximum documented), studies none. Read by listPages (shared/pages.ts), which
 * follows `_links.next` and stops on a repeated item, so a capped or ignored page size loses nothing.
 */
const SUBMISSIONS = {
	path: '/api/v1/submissions/',
	paging: 'page',
	pageSize: 100,
	maxPages: 1000,
} as const;
const STUDIES = {
	path: '/api/v1/studies/',
	paging: 'none',
	pageSize: 100,
	maxPages: 1000,
} as const;

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
		reward: fromMinorUnits(study.reward),
		rewardMinorUnits: study.reward ?? null,
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
		// Approved is approved, whoever decided it: an IF on `approved` keeps it on the true branch.
		return {
			...simpleSubmission(before),
			[done]: true,
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

/** A status as Prolific spells it in items (AWAITING REVIEW), whatever case or underscores it was given in. */
export const submissionStatus = (value: unknown): string =>
	String(value ?? '')
		.trim()
		.toUpperCase()
		.replace(/_/g, ' ');

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
			const status = submissionStatus(ctx.getNodeParameter('status', index, ''));
			const step = 'list the study’s submissions';
			const qs = { study: locatorValue(ctx, 'studyId', index), ...(status ? { status } : {}) };
			const limit = returnAll ? Infinity : (ctx.getNodeParameter('limit', index, 50) as number);
			const list = { ...SUBMISSIONS, qs, limit };
			if (!simple()) return await listPages(ctx, api, step, { ...list, item: listed });
			const found = await listPages(ctx, api, step, { ...list, item: submissionSchema });
			// List items may not name their study: it is the one asked for.
			return found.map((listed) => simpleSubmission({ study_id: qs.study, ...listed }));
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
	const list = { ...STUDIES, limit };
	if (!simple) return await listPages(ctx, api, 'list studies', { ...list, item: listed });
	const studies = await listPages(ctx, api, 'list studies', { ...list, item: studySchema });
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
	const studies = await listPages(this, api, 'list studies', {
		...STUDIES,
		item: listed,
		limit: 500,
	});
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
	const submissions = await listPages(this, api, 'list submissions awaiting review', {
		...SUBMISSIONS,
		qs: { status: 'AWAITING REVIEW' },
		item: listed,
		limit: 500,
	});
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
