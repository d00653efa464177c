import type { IDataObject, INodePropertyOptions } from 'n8n-workflow';
import { z } from 'zod';

import { answerTable, isObject, orNull } from '../shared/json';
import { jsonMap, listOf, nullableText } from '../shared/schema';
import { toIsoTime } from '../shared/time';
import type { ShapedEvent } from '../shared/types';
import { listAt, objectAt, sharedRow, type ResponseColumns } from '../shared/columns';

export const SCREEB_EVENTS: INodePropertyOptions[] = [
	{
		name: 'Survey Displayed',
		value: 'response.displayed',
		description: 'A survey was shown, nothing answered yet',
	},
	{
		name: 'Question Answered',
		value: 'response.answered',
		description: 'Once per answered question',
	},
	{
		name: 'Response Ended',
		value: 'response.ended',
		description: 'The survey was closed or fully answered',
	},
];

const fieldSchema = z
	.object({
		id: nullableText,
		type: nullableText,
		value: z.unknown().optional(),
		text: z.unknown().optional(),
		number: z.unknown().optional(),
		boolean: z.unknown().optional(),
		time: z.unknown().optional(),
	})
	.passthrough();
const questionSchema = z
	.object({ id: nullableText, type: nullableText, title: nullableText })
	.passthrough();
const answerSchema = z
	.object({
		fields: listOf(fieldSchema).nullish(),
		replied_at: nullableText,
		replied_at_ms: z.number().nullish(),
		tags: listOf(z.string()).nullish(),
	})
	.passthrough();

const screebV2Schema = z
	.object({
		event_id: z.string().nullish(),
		event_type: z.string().nullish(),
		time: nullableText,
		time_ms: z.number().nullish(),
		version: nullableText,
		payload: z
			.object({
				organization: jsonMap.nullish(),
				channel: jsonMap.nullish(),
				survey: z
					.object({
						id: nullableText,
						name: nullableText,
						scenario_id: nullableText,
						scenario_version: z.number().nullish(),
						scenario_time: nullableText,
						scenario_time_ms: z.number().nullish(),
					})
					.passthrough()
					.nullish(),
				user: jsonMap.nullish(),
				response: z
					.object({
						id: nullableText,
						locale: nullableText,
						time: nullableText,
						time_ms: z.number().nullish(),
						completion: nullableText,
						time_to_complete_second: z.number().nullish(),
						hidden_fields: jsonMap.nullish(),
						context: jsonMap.nullish(),
						tags: listOf(z.string()).nullish(),
						question: questionSchema.nullish(),
						answer: answerSchema.nullish(),
						items: z
							.array(
								z
									.object({ question: questionSchema.nullish(), answer: answerSchema.nullish() })
									.passthrough(),
							)
							.nullish(),
					})
					.passthrough()
					.nullish(),
			})
			.passthrough()
			.nullish(),
	})
	.passthrough();

type Json = Record<string, unknown>;

const MAX_UPGRADE_DEPTH = 32;

/** Screeb's v1.3.0 → 2.0.0 migration note: "each correlation_id has been renamed id". */
function renameCorrelationIds(value: unknown, depth = 0): unknown {
	if (depth > MAX_UPGRADE_DEPTH || typeof value !== 'object' || value === null) return value;
	if (Array.isArray(value)) return value.map((item) => renameCorrelationIds(item, depth + 1));
	const copy: Json = {};
	for (const key of Object.keys(value)) {
		Object.defineProperty(copy, key, {
			value: renameCorrelationIds((value as Json)[key], depth + 1),
			enumerable: true,
			writable: true,
			configurable: true,
		});
	}
	if (copy.correlation_id !== undefined) copy.id = copy.correlation_id;
	return copy;
}

/**
 * v1.3.0 → 2.x, as Screeb's migration note describes: every `correlation_id` became `id` (on the
 * response, its question and each answer field), `respondent` (with `id` and `alias`) became
 * `user` (`anonymous_id`, `user_id`), and `answer.field` became the list `answer.fields`.
 */
export function upgradeLegacyPayload(body: unknown): unknown {
	// (String(version) would throw for an object such as {"toString": null}: any value can arrive)
	if (
		!isObject(body) ||
		typeof body.version !== 'string' ||
		!body.version.startsWith('1.') ||
		!isObject(body.payload)
	)
		return body;
	const upgradeAnswer = (answer: unknown) =>
		isObject(answer) && answer.fields === undefined && answer.field !== undefined
			? { ...answer, fields: [answer.field] }
			: answer;
	const payload = renameCorrelationIds(body.payload) as Json;
	if (payload.user === undefined && isObject(payload.respondent)) {
		const respondent = payload.respondent;
		payload.user = {
			...respondent,
			anonymous_id: respondent.anonymous_id ?? respondent.id,
			user_id: respondent.user_id ?? respondent.alias,
		};
	}
	if (isObject(payload.response)) {
		const response: Json = { ...payload.response };
		response.answer = upgradeAnswer(response.answer);
		if (Array.isArray(response.items)) {
			response.items = response.items.map((item) =>
				isObject(item) ? { ...item, answer: upgradeAnswer(item.answer) } : item,
			);
		}
		payload.response = response;
	}
	return { ...body, event_id: body.event_id ?? body.correlation_id, payload };
}

/** Screeb's payload schema, for 2.x; older versions are upgraded first (`upgradeLegacyPayload`). */
export const screebEventSchema = screebV2Schema;
export type ScreebEvent = z.infer<typeof screebV2Schema>;
type Field = z.infer<typeof fieldSchema>;
type Question = z.infer<typeof questionSchema>;
type Answer = z.infer<typeof answerSchema>;

const SCORE_QUESTIONS = /nps|ces|csat|scale|rating|score|number/i;

function fieldValue(field: Field, questionType: string): unknown {
	if (typeof field.number === 'number') return field.number;
	if (typeof field.boolean === 'boolean') return field.boolean;
	const value = field.value;
	if (typeof value === 'string' && value.trim() !== '') {
		if (field.type === 'boolean' && /^(true|false)$/.test(value)) return value === 'true';
		if (
			(field.type === 'number' || SCORE_QUESTIONS.test(questionType)) &&
			Number.isFinite(Number(value))
		)
			return Number(value);
	}
	if (typeof field.time === 'string' && field.time) return field.time;
	return field.text ?? value ?? null;
}

/** One typed value per answer: a number, boolean or string, or a list for multiple choice. */
export function answerValue(
	question: Question | null | undefined,
	answer: Answer | null | undefined,
): unknown {
	const fields = answer?.fields ?? [];
	const questionType = question?.type ?? '';
	const values = fields.map((field) => fieldValue(field, questionType));
	if (/multiple|checkbox/i.test(questionType) || values.length > 1) return values;
	return values.length ? values[0] : null;
}

/** An answer's fields as Screeb sends them, camelCased: the id and type of each choice or input. */
const fieldsOf = (answer: Answer): IDataObject[] =>
	(answer.fields ?? []).map((field) => ({
		id: field.id ?? null,
		type: field.type ?? null,
		value: orNull(field.value),
		text: orNull(field.text),
		number: orNull(field.number),
		boolean: orNull(field.boolean),
		time: orNull(field.time),
	}));

/** An answer in full: its typed value, every field, when it was given and its tags. */
function shapeAnswer(question: Question | null | undefined, answer: Answer): IDataObject {
	return {
		value: answerValue(question, answer) as IDataObject[string],
		repliedAt: toIsoTime(answer.replied_at ?? answer.replied_at_ms),
		tags: answer.tags ?? [],
		fields: fieldsOf(answer),
	};
}

function answersOf(items: Array<{ question?: Question | null; answer?: Answer | null }>) {
	return answerTable(
		items.map(({ question, answer }) => {
			const { value, ...details } = answer
				? shapeAnswer(question, answer)
				: { value: null as IDataObject[string] };
			return {
				questionId: question?.id ?? null,
				title: question?.title || question?.id || undefined,
				value,
				details: { type: question?.type ?? null, value, ...details },
			};
		}),
	);
}

export function shapeScreebEvent(event: ScreebEvent): ShapedEvent {
	const eventPayload = event.payload ?? {};
	const { survey, response } = eventPayload;
	const organization = eventPayload.organization ?? {};
	const channel = eventPayload.channel ?? {};
	const user = (eventPayload.user ?? {}) as Json;
	return {
		eventType: event.event_type ?? 'unknown',
		occurredAt: toIsoTime(event.time ?? event.time_ms),
		version: event.version ?? null,
		organization: { id: orNull(organization.id), name: orNull(organization.name) },
		channel: { id: orNull(channel.id), type: orNull(channel.type) },
		survey: {
			id: survey?.id ?? null,
			name: survey?.name ?? null,
			scenarioId: survey?.scenario_id ?? null,
			scenarioVersion: survey?.scenario_version ?? null,
			scenarioTime: toIsoTime(survey?.scenario_time ?? survey?.scenario_time_ms),
		},
		user: {
			anonymousId: orNull(user.anonymous_id),
			userId: orNull(user.user_id),
			name: orNull(user.name),
			email: orNull(user.email),
			groups: orNull(user.group_names) ?? [],
			properties: orNull(user.properties) ?? {},
		},
		response: {
			id: response?.id ?? null,
			completion: response?.completion ?? null,
			locale: response?.locale ?? null,
			time: toIsoTime(response?.time ?? response?.time_ms),
			durationSeconds: response?.time_to_complete_second ?? null,
			hiddenFields: (response?.hidden_fields ?? {}) as IDataObject,
			context: (response?.context ?? {}) as IDataObject,
			tags: response?.tags ?? [],
		},
		// The question answered (response.answered) or the last one (response.ended), when sent.
		question: response?.question
			? {
					id: response.question.id ?? null,
					type: response.question.type ?? null,
					title: response.question.title ?? null,
				}
			: null,
		answer: response?.answer ? shapeAnswer(response.question, response.answer) : null,
		...answersOf(response?.items ?? []),
	};
}

/**
 * Answers as Columns: survey, user, hidden fields, response, then one column per question. Type
 * version 1 keeps its own names (`userId`, and a repeated value as "email (2)").
 */
export function screebColumns(shaped: ShapedEvent, typeVersion = 2): ResponseColumns {
	const [survey, user, response, question, answer] = [
		'survey',
		'user',
		'response',
		'question',
		'answer',
	].map((key) => objectAt(shaped, key));
	const answerList = listAt(shaped, 'answerList');
	// response.answered may carry its one question outside `items`.
	const answers = answerList.length
		? answerList.map((entry) => ({ question: String(entry.question), value: entry.value }))
		: question.id !== undefined
			? [{ question: String(question.title || question.id || ''), value: answer.value }]
			: [];
	const hiddenFields = objectAt(response, 'hiddenFields');
	if (typeVersion >= 2)
		return sharedRow(
			{
				surveyId: survey.id,
				surveyName: survey.name,
				respondentId: user.userId ?? user.anonymousId,
				email: user.email,
				name: user.name,
				responseId: response.id,
				respondedAt: response.time ?? shaped.occurredAt,
			},
			{
				identifiers: [['anonymousId', user.anonymousId]],
				hiddenFields,
				response: [['completion', response.completion]],
				answers,
			},
		);
	return {
		identifiers: [
			['surveyId', survey.id],
			['surveyName', survey.name],
			['userId', user.userId],
			['anonymousId', user.anonymousId],
			['email', user.email],
			['name', user.name],
		],
		hiddenFields,
		response: [
			['responseId', response.id],
			['respondedAt', response.time ?? shaped.occurredAt],
			['completion', response.completion],
		],
		answers,
	};
}
