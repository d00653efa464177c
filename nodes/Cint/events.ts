import type { IDataObject, INodePropertyOptions } from 'n8n-workflow';
import { z } from 'zod';

import { isObject, orNull, ownValue, setOwn } from '../shared/json';
import { listOf, nullableText, textOrNumber } from '../shared/schema';
import { toIsoTime } from '../shared/time';
import { validatorOf, type Validator } from '../shared/validate';
import type { ShapedEvent } from '../shared/types';

export const CINT_EVENTS: INodePropertyOptions[] = [
	{
		name: 'Session Updated (Sessions Data)',
		value: 'session-updated',
		description: 'A respondent session changed: entry, status codes, redirects, liveness',
	},
	{
		name: 'Target Group Updated (Demand Changelog)',
		value: 'target-group-updated',
		description: 'A target group’s configuration or status changed',
	},
	{
		name: 'Quota Fill Registered (Quota Fill)',
		value: 'quota-fill-registered',
		description: 'Screens and completes of a target group or profile quota changed',
	},
];

const CLOUD_EVENTS_PREFIX = 'com.cint.';

/**
 * The subscription event name users select, for a delivery's CloudEvents `type`: `com.cint.`
 * stripped and dots turned into hyphens (`com.cint.quota.fill.registered` → `quota-fill-registered`),
 * which gives every documented pair, so an event type Cint adds later matches its subscription name
 * too. A `type` that is already a subscription name stays as it is.
 */
export function cintEventName(type: string | null | undefined): string | undefined {
	if (typeof type !== 'string' || type === '') return undefined;
	return type.startsWith(CLOUD_EVENTS_PREFIX)
		? type.slice(CLOUD_EVENTS_PREFIX.length).replace(/\./g, '-')
		: type;
}

const integerLike = textOrNumber;
// Optional spelt out: zod 4 requires an object's z.unknown() keys, zod 3 does not.
const change = z
	.object({
		object: z.string().min(1),
		new_value: z.unknown().optional(),
		old_value: z.unknown().optional(),
	})
	.passthrough();

const sessionSchema = z
	.object({
		account_id: integerLike.nullish(),
		response_session_id: nullableText,
		sequence_number: z.number().nullish(),
		changes: listOf(change).nullish(),
	})
	.passthrough();

const userSchema = z.object({ type: nullableText }).passthrough();
type User = z.infer<typeof userSchema>;
const isUser = (value: unknown) => userSchema.safeParse(value).success;
/**
 * The concept page shows `user` as an object, the spec example as a one-element array. A check
 * rather than `z.union`, which builds an issue for the branch that does not match on every delivery.
 */
const userOrUsers = z.custom<User | User[]>(
	(value) => (Array.isArray(value) ? value.every(isUser) : isUser(value)),
	'Expected a user object or a list of them',
);
const changelogSchema = z
	.object({
		id: nullableText,
		account_id: integerLike.nullish(),
		target_group_id: nullableText,
		occurred_at: nullableText,
		user: userOrUsers.nullish(),
		changes: listOf(change).nullish(),
	})
	.passthrough();

const quotaSchema = z
	.object({
		account_id: integerLike.nullish(),
		target_group_id: nullableText,
		screens: z.number().nullish(),
		completes: z.number().nullish(),
		profile_quota_id: nullableText,
	})
	.passthrough();

const DATA_VALIDATORS: Record<string, Validator<unknown>> = {
	'session-updated': validatorOf(sessionSchema),
	'target-group-updated': validatorOf(changelogSchema),
	'quota-fill-registered': validatorOf(quotaSchema),
};

/**
 * The CloudEvents 1.0 envelope (`time` is optional in CloudEvents); `data` is checked against the
 * schema of its event type.
 */
export const cintEventSchema = z
	.object({
		id: nullableText,
		specversion: nullableText,
		type: nullableText,
		time: nullableText,
		source: nullableText,
		// Checked below, once: a z.record here would walk every field before the event type's schema does.
		data: z.unknown().optional(),
	})
	.passthrough()
	.superRefine((event, issues) => {
		const { data } = event;
		if (data === undefined || data === null) return;
		if (!isObject(data)) {
			issues.addIssue({
				code: 'invalid_type',
				expected: 'object',
				received: Array.isArray(data) ? 'array' : typeof data,
				path: ['data'],
			} as never);
			return;
		}
		const name = cintEventName(event.type);
		const result = name ? ownValue(DATA_VALIDATORS, name)?.(data) : undefined;
		if (result && !result.success) {
			for (const issue of result.error.issues) {
				issues.addIssue({ ...issue, path: ['data', ...issue.path] });
			}
		}
	});

export type CintEvent = z.infer<typeof cintEventSchema>;

type Change = z.infer<typeof change>;

const changeName = (item: Change) => item.object.replace(/_change$/, '');
const integerOrText = (value: unknown) =>
	typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : (value ?? null);

/** session fields in camelCase, plus changes folded into `{ client_status_code: 1, … }`. */
function shapeSession(data: IDataObject): IDataObject {
	const changes: IDataObject = {};
	for (const item of (data.changes as Change[] | null) ?? []) {
		setOwn(changes, changeName(item), orNull(item.new_value));
	}
	return {
		accountId: integerOrText(data.account_id),
		responseSessionId: orNull(data.response_session_id),
		sequenceNumber: orNull(data.sequence_number),
		projectId: orNull(data.project_id),
		targetGroupId: orNull(data.target_group_id),
		surveyId: orNull(data.survey_id),
		supplierId: orNull(data.supplier_id),
		supplierName: orNull(data.supplier_name),
		respondentId: orNull(data.respondent_id),
		respondentEntryDate: orNull(data.respondent_entry_date),
		panelistId: orNull(data.panelist_id),
		parentSid: orNull(data.parent_sid),
		entryType: orNull(data.entry_type),
		mid: orNull(data.mid),
		changes,
	};
}

/**
 * changelog with `user` as one object (the first, when Cint sends a list), `users` as the list, and
 * changes as `{ filling_goal: { new, old } }`.
 */
function shapeChangelog(data: IDataObject): IDataObject {
	const changes: IDataObject = {};
	for (const item of (data.changes as Change[] | null) ?? []) {
		setOwn(changes, changeName(item), { new: orNull(item.new_value), old: orNull(item.old_value) });
	}
	const users = (Array.isArray(data.user) ? data.user : [data.user]).filter(
		(user) => user !== undefined && user !== null,
	) as IDataObject[];
	return {
		changelogId: orNull(data.id),
		accountId: integerOrText(data.account_id),
		projectId: orNull(data.project_id),
		targetGroupId: orNull(data.target_group_id),
		changedAt: toIsoTime(data.occurred_at),
		user: orNull(users[0]),
		users,
		changes,
	};
}

function shapeQuotaFill(data: IDataObject): IDataObject {
	return {
		accountId: integerOrText(data.account_id),
		targetGroupId: orNull(data.target_group_id),
		profileQuotaId: orNull(data.profile_quota_id),
		screens: orNull(data.screens),
		completes: orNull(data.completes),
	};
}

const SHAPERS: Record<string, (data: IDataObject) => IDataObject> = {
	'session-updated': shapeSession,
	'target-group-updated': shapeChangelog,
	'quota-fill-registered': shapeQuotaFill,
};

export function shapeCintEvent(event: CintEvent): ShapedEvent {
	const eventType = cintEventName(event.type) ?? event.type ?? 'unknown';
	const data = (event.data ?? {}) as IDataObject;
	return {
		eventType,
		occurredAt: toIsoTime(event.time),
		source: event.source ?? null,
		...(ownValue(SHAPERS, eventType)?.(data) ?? { data }),
	};
}
