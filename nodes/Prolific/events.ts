import type { IHookFunctions, INodePropertyOptions, IWebhookFunctions } from 'n8n-workflow';
import { z } from 'zod';

import { nodeState } from '../shared/state';
import { toIsoTime } from '../shared/time';
import { jsonMap } from '../shared/schema';
import type { Delivery, ShapedEvent } from '../shared/types';
import type { ProlificState } from './registration';

export const PROLIFIC_EVENTS: INodePropertyOptions[] = [
	{
		name: 'Submission Status Changed',
		value: 'submission.status.change',
		description: 'A participant’s submission changed status (e.g. AWAITING REVIEW, APPROVED)',
	},
	{
		name: 'Study Status Changed',
		value: 'study.status.change',
		description: 'A study changed status (e.g. ACTIVE, PAUSED, COMPLETED)',
	},
	{
		name: 'Study Progress Changed',
		value: 'study.progress.change',
		description: 'The number of places taken in a study changed',
	},
	{
		name: 'Study Has High Return Rate',
		value: 'study.has_high_return_rate',
		description: 'Many participants are returning a study (sub-studies report their parent)',
	},
];

/**
 * Prolific's documented body. Statuses stay open (Prolific adds new ones); a status event without
 * `status` is still delivered, with status null.
 */
export const prolificEventSchema = z
	.object({
		resource_id: z.string().nullish(),
		event_type: z.string().nullish(),
		participant_id: z.string().nullish(),
		status: z.string().nullish(),
		metadata: jsonMap.nullish(),
	})
	.passthrough();

export type ProlificEvent = z.infer<typeof prolificEventSchema>;

export function headerValue(delivery: Delivery, name: string): string | undefined {
	const value = delivery.headers[name];
	return (Array.isArray(value) ? value[0] : value)?.trim() || undefined;
}

export function shapeProlificEvent(
	event: ProlificEvent,
	delivery: Delivery,
	ctx: IWebhookFunctions,
): ShapedEvent {
	const type = event.event_type ?? 'unknown';
	// The resource a type names (`study.…`, `participant.submission.created`): types Prolific adds later too.
	const names = type.split('.');
	return {
		eventType: type,
		resourceId: event.resource_id ?? null,
		studyId: names.includes('study') ? (event.resource_id ?? null) : null,
		submissionId: names.includes('submission') ? (event.resource_id ?? null) : null,
		participantId: event.participant_id ?? null,
		status: event.status ?? null,
		metadata: event.metadata ?? null,
		sentAt: toIsoTime(headerValue(delivery, 'x-timestamp')),
		workspaceId: nodeState<ProlificState>(ctx).workspaceId ?? workspaceParameter(ctx),
	};
}

/** The Workspace parameter's ID: a resource locator (from the list or by ID), or the plain ID a workflow saved before it was one. */
export const workspaceParameter = (ctx: IHookFunctions | IWebhookFunctions): string =>
	String(ctx.getNodeParameter('workspaceId', '', { extractValue: true }) ?? '').trim();
