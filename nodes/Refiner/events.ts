import type { IDataObject, INodePropertyOptions } from 'n8n-workflow';
import { z } from 'zod';

import { createHash } from 'crypto';

import { ALL_EVENTS } from '../shared/pipeline';
import { jsonMap, listOf, nullableText, textOrNumber } from '../shared/schema';
import type { Delivery, ShapedEvent } from '../shared/types';
import { objectAt, sharedRow, type ResponseColumns } from '../shared/columns';

/**
 * Refiner publishes no list of trigger events. Offered: every name seen in a source — Refiner's
 * webhook documentation ("Saw Survey" in its sample payload), deliveries ("Completed Survey",
 * "Dismissed Survey", "User Identified") and Make's Refiner app ("User Entered Segment"). All Events
 * also passes any name Refiner adds.
 */
export const REFINER_EVENTS: INodePropertyOptions[] = [
	{
		name: 'All Events',
		value: ALL_EVENTS,
		description: 'Every delivery, including event names not listed here',
	},
	{
		name: 'Completed Survey',
		value: 'Completed Survey',
		description: 'A user answered a survey to its end',
	},
	{
		name: 'Dismissed Survey',
		value: 'Dismissed Survey',
		description: 'A user closed a survey without completing it',
	},
	{ name: 'Saw Survey', value: 'Saw Survey', description: 'A survey was shown to a user' },
	{
		name: 'User Entered Segment',
		value: 'User Entered Segment',
		description: 'A contact became part of a segment',
	},
	{
		name: 'User Identified',
		value: 'User Identified',
		description: 'A contact was identified (by your app’s identify call)',
	},
];

const named = z.object({ uuid: nullableText, name: nullableText }).passthrough();

export const refinerEventSchema = z
	.object({
		uuid: nullableText,
		cookie_uuid: nullableText,
		project_uuid: nullableText,
		remote_id: textOrNumber.nullish(),
		email: nullableText,
		display_name: nullableText,
		first_seen_at: nullableText,
		last_seen_at: nullableText,
		attributes: jsonMap.nullish(),
		segments: listOf(named).nullish(),
		account: jsonMap.nullish(),
		triggered_event: nullableText,
		form: named.nullish(),
		response: z
			.object({
				uuid: nullableText,
				first_shown_at: nullableText,
				last_shown_at: nullableText,
				show_counter: z.number().nullish(),
				first_data_reception_at: nullableText,
				last_data_reception_at: nullableText,
				completed_at: nullableText,
				dismissed_at: nullableText,
				received_at: nullableText,
				data: jsonMap.nullish(),
				tags: listOf(named).nullish(),
			})
			.passthrough()
			.nullish(),
	})
	.passthrough();

export type RefinerEvent = z.infer<typeof refinerEventSchema>;

const names = (items: Array<{ name?: string | null }> | null | undefined) =>
	(items ?? []).map((item) => item.name ?? null);
/** Segments and tags in full ({uuid, name}), beside the lists of their names. */
const namedList = (
	items: Array<{ uuid?: string | null; name?: string | null }> | null | undefined,
) => (items ?? []).map((item) => ({ uuid: item.uuid ?? null, name: item.name ?? null }));

/**
 * Refiner documents no event id. The response (or, for contact events, the contact) and the trigger
 * event name it, but one contact enters a segment or sees a survey more than once: so the id ends
 * with a short hash of the body, whose timestamps and counters differ between two such events and
 * stay the same when one delivery is sent again.
 */
export function refinerEventId(event: RefinerEvent, delivery: Delivery): string | undefined {
	const subject = event.response?.uuid || event.uuid;
	if (!subject) return undefined;
	const body = createHash('sha256').update(delivery.rawBody).digest('hex').slice(0, 16);
	return `${subject}:${event.triggered_event ?? 'unknown'}:${body}`;
}

export function shapeRefinerEvent(event: RefinerEvent): ShapedEvent {
	const eventType = event.triggered_event ?? 'unknown';
	const response = event.response;
	return {
		eventType,
		projectUuid: event.project_uuid ?? null,
		contact: {
			uuid: event.uuid ?? null,
			cookieUuid: event.cookie_uuid ?? null,
			remoteId: event.remote_id ?? null,
			email: event.email ?? null,
			displayName: event.display_name ?? null,
			firstSeenAt: event.first_seen_at ?? null,
			lastSeenAt: event.last_seen_at ?? null,
		},
		survey: { uuid: event.form?.uuid ?? null, name: event.form?.name ?? null },
		response: {
			uuid: response?.uuid ?? null,
			firstShownAt: response?.first_shown_at ?? null,
			lastShownAt: response?.last_shown_at ?? null,
			showCounter: response?.show_counter ?? null,
			firstDataReceptionAt: response?.first_data_reception_at ?? null,
			lastDataReceptionAt: response?.last_data_reception_at ?? null,
			completedAt: response?.completed_at ?? null,
			dismissedAt: response?.dismissed_at ?? null,
			receivedAt: response?.received_at ?? null,
			tags: names(response?.tags),
			tagList: namedList(response?.tags),
		},
		answers: (response?.data ?? {}) as IDataObject,
		segments: names(event.segments),
		segmentList: namedList(event.segments),
		attributes: (event.attributes ?? {}) as IDataObject,
		account: (event.account ?? null) as IDataObject | null,
	};
}

/**
 * Answers as Columns: survey, contact, response, then one column per answer, named by Refiner's
 * question identifier (Refiner sends no titles). Attributes stay out: they repeat the answers.
 */
export function refinerColumns(shaped: ShapedEvent, typeVersion = 2): ResponseColumns {
	const [survey, contact, response, answers] = ['survey', 'contact', 'response', 'answers'].map(
		(key) => objectAt(shaped, key),
	);
	const respondedAt =
		response.completedAt ??
		response.dismissedAt ??
		response.lastDataReceptionAt ??
		response.lastShownAt;
	const answerColumns = Object.keys(answers).map((question) => ({
		question,
		value: answers[question],
	}));
	if (typeVersion >= 2)
		return sharedRow(
			{
				surveyId: survey.uuid,
				surveyName: survey.name,
				respondentId: contact.remoteId ?? contact.uuid,
				email: contact.email,
				name: contact.displayName,
				responseId: response.uuid,
				respondedAt,
			},
			{ identifiers: [['contactUuid', contact.uuid]], answers: answerColumns },
		);
	return {
		identifiers: [
			['surveyId', survey.uuid],
			['surveyName', survey.name],
			['contactUuid', contact.uuid],
			['remoteId', contact.remoteId],
			['email', contact.email],
			['displayName', contact.displayName],
		],
		response: [
			['responseId', response.uuid],
			['respondedAt', respondedAt],
		],
		answers: answerColumns,
	};
}
