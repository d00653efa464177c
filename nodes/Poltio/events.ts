import type { IDataObject, INodePropertyOptions } from 'n8n-workflow';
import { z } from 'zod';

import { answerTable } from '../shared/json';
import { jsonMap, listOf, nullableText, textOrNumber } from '../shared/schema';
import { toIsoTime } from '../shared/time';
import type { ShapedEvent } from '../shared/types';
import { listAt, objectAt, sharedRow, type ResponseColumns } from '../shared/columns';

export const POLTIO_EVENTS: INodePropertyOptions[] = [
	{
		name: 'Session Completed',
		value: 'session.completed',
		description: 'The visitor finished the content and saw the result',
	},
	{
		name: 'Session Incomplete',
		value: 'session.incomplete',
		description:
			'Sent after the Incomplete Delay when the visitor has not finished; a later completion arrives as Session Completed',
	},
];

const id = textOrNumber;
/** Poltio documents a boolean; 0/1 and "true"/"false" are read the same way (see isComplete). */
const FLAG_VALUES: unknown[] = [true, false, 0, 1, 'true', 'false', '0', '1'];
const flag = z.custom<boolean | 0 | 1 | string>(
	(value) => FLAG_VALUES.includes(value),
	'Expected a boolean',
);
/** Whether the session is complete; undefined when the body does not say (the type cannot be read). */
const completion = (event: { complete_session?: unknown }): boolean | undefined =>
	[true, 1, 'true', '1'].includes(event.complete_session as never)
		? true
		: [false, 0, 'false', '0'].includes(event.complete_session as never)
			? false
			: undefined;

const answerSchema = z
	.object({ answer_id: id.nullish(), answer: nullableText, parent: nullableText })
	.passthrough();
const questionSchema = z
	.object({
		question_id: id.nullish(),
		question: nullableText,
		answers: listOf(answerSchema).nullish(),
	})
	.passthrough();

export const poltioEventSchema = z
	.object({
		poltio_user_id: id.nullish(),
		session_id: z.string().nullish(),
		session_start_date: nullableText,
		session_end_date: nullableText,
		publisher_uuid: nullableText,
		custom_id: nullableText,
		event_time: id.nullish(),
		content_type: nullableText,
		content_id: id.nullish(),
		complete_session: flag.nullish(),
		answers: listOf(questionSchema).nullish(),
		result: jsonMap.nullish(),
		leads: listOf(jsonMap).nullish(),
	})
	.passthrough();

export type PoltioEvent = z.infer<typeof poltioEventSchema>;

export const poltioEventName = (event: PoltioEvent) => {
	const complete = completion(event);
	return complete === undefined ? undefined : complete ? 'session.completed' : 'session.incomplete';
};

const sessionState = (event: PoltioEvent) => {
	const complete = completion(event);
	return complete === undefined ? 'unknown' : complete ? 'complete' : 'incomplete';
};

/**
 * Poltio sends no event id: a session is delivered at most twice, incomplete first (after the
 * Incomplete Delay) and complete later, so the session and its state name one event.
 */
export const poltioEventId = (event: PoltioEvent): string | undefined =>
	event.session_id ? `${event.session_id}:${sessionState(event)}` : undefined;

export function shapePoltioEvent(event: PoltioEvent): ShapedEvent {
	const complete = completion(event) ?? null;
	const { answers, answerList } = answerTable(
		(event.answers ?? []).map((question) => ({
			questionId: question.question_id ?? null,
			title:
				question.question ??
				(question.question_id != null ? String(question.question_id) : undefined),
			value: (question.answers ?? []).map((answer) => answer.answer ?? null),
			details: {
				answers: (question.answers ?? []).map((answer) => ({
					id: answer.answer_id ?? null,
					answer: answer.answer ?? null,
					parent: answer.parent ?? null,
				})),
			},
		})),
	);
	const result = event.result ?? null;
	return {
		eventType: poltioEventName(event) ?? 'unknown',
		occurredAt: toIsoTime(event.event_time),
		session: {
			id: event.session_id ?? null,
			userId: event.poltio_user_id ?? null,
			startedAt: event.session_start_date ?? null,
			endedAt: event.session_end_date ?? null,
			publisherUuid: event.publisher_uuid ?? null,
			customId: event.custom_id ?? null,
			complete,
		},
		content: { type: event.content_type ?? null, id: event.content_id ?? null },
		answers,
		answerList,
		result: result && {
			id: (result.result_id ?? null) as IDataObject[string],
			title: (result.result_title ?? null) as IDataObject[string],
			image: (result.result_image ?? null) as IDataObject[string],
			description: (result.result_desc ?? null) as IDataObject[string],
			timeSpent: (result.time_spent ?? null) as IDataObject[string],
			rightAnswers: (result.right_answer ?? null) as IDataObject[string],
			calculatorResult: (result.calculator_result ?? null) as IDataObject[string],
		},
		leads: (event.leads ?? []) as IDataObject[],
	};
}

/** Answers as Columns: content, session and first lead, result, then one column per question. */
export function poltioColumns(shaped: ShapedEvent, typeVersion = 2): ResponseColumns {
	const [content, session, result] = ['content', 'session', 'result'].map((key) =>
		objectAt(shaped, key),
	);
	const lead = listAt(shaped, 'leads')[0] ?? {};
	const answers = listAt(shaped, 'answerList').map((entry) => ({
		question: String(entry.question),
		value: listAt(entry, 'answers').map((answer) => answer.answer),
	}));
	const respondedAt = session.endedAt ?? shaped.occurredAt;
	if (typeVersion >= 2)
		return sharedRow(
			{
				surveyId: content.id,
				// Poltio's deliveries carry no title of the content.
				surveyName: null,
				respondentId: session.userId ?? session.customId,
				email: lead.email,
				name: lead.name,
				responseId: session.id,
				respondedAt,
			},
			{
				identifiers: [
					['contentType', content.type],
					['customId', session.customId],
					['publisherUuid', session.publisherUuid],
					['phone', lead.phone],
				],
				response: [
					['complete', session.complete],
					['result', result.title],
				],
				// A single chosen answer as the answer itself, so that a rating is a number.
				answers: answers.map(({ question, value }) => ({
					question,
					value: value.length === 1 ? value[0] : value,
				})),
			},
		);
	return {
		identifiers: [
			['contentId', content.id],
			['contentType', content.type],
			['userId', session.userId],
			['customId', session.customId],
			['publisherUuid', session.publisherUuid],
			['email', lead.email],
			['name', lead.name],
			['phone', lead.phone],
		],
		response: [
			['responseId', session.id],
			['respondedAt', respondedAt],
			['complete', session.complete],
			['result', result.title],
		],
		answers,
	};
}
