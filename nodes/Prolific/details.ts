import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import { callApi, readReply } from '../shared/api';
import { printable, warnRateLimited } from '../shared/log';
import type { Delivery } from '../shared/types';
import { prolificApi } from './registration';
import { simpleSubmission, submissionSchema } from './submission';

/**
 * Add Submission Details: a submission event names the submission, its participant and status,
 * but no study, so every workflow would start with a Get Submission. With the option on, the
 * trigger reads the submission once, while Prolific waits for its answer: one short attempt, never
 * retried, and a failure delivers the event all the same, with a warning.
 */
export const submissionDetailsLimits = { timeoutMs: 3_000 };

export function addSubmissionDetails(
	ctx: IWebhookFunctions,
	item: IDataObject,
	delivery: Delivery,
): Promise<void> | undefined {
	if (delivery.options.addSubmissionDetails !== true) return undefined;
	const submissionId = item.submissionId;
	if (item.eventType !== 'submission.status.change' || typeof submissionId !== 'string')
		return undefined;
	return readDetails(ctx, item, submissionId);
}

async function readDetails(ctx: IWebhookFunctions, item: IDataObject, submissionId: string) {
	try {
		const api = await prolificApi(ctx);
		const step = 'read the submission for its details';
		const reply = await callApi(ctx, api, step, {
			method: 'GET',
			path: `/api/v1/submissions/${encodeURIComponent(submissionId)}/`,
			once: true,
			timeoutMs: submissionDetailsLimits.timeoutMs,
		});
		const details = simpleSubmission(readReply(ctx, api, step, reply, submissionSchema));
		// The event's own fields (its status above all: the change it reports) stay as they are.
		for (const [key, value] of Object.entries(details))
			if (item[key] === undefined || item[key] === null) item[key] = value;
	} catch (error) {
		const reason = printable(error instanceof Error ? error.message : String(error), 300);
		const warning = `(submission details): not added, the event is delivered without them (${reason})`;
		item.warnings = [...((item.warnings as string[] | undefined) ?? []), warning];
		const workflow = ctx.getWorkflow();
		warnRateLimited(
			ctx.logger,
			`prolific-details\n${workflow.id ?? ''}\n${ctx.getNode().name}`,
			`Prolific Trigger "${ctx.getNode().name}" in workflow "${workflow.name ?? ''}" (${workflow.id ?? ''}) could not add submission details: ${reason}`,
		);
	}
}
