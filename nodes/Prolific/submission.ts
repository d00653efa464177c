/**
 * A Prolific submission as its API gives it (Submission › Get, and list items, which spell two
 * fields otherwise) and as a workflow uses it: read by the Prolific node and, with Add Submission
 * Details, by the Prolific Trigger.
 */
import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import { fromMinorUnits } from './money';

/** Prolific's field shapes, shared by every schema of the node and the trigger. */
export const id = z.union([z.string().min(1), z.number()]).transform(String);
export const text = z.string().nullish();
export const count = z.number().nullish();

export const submissionSchema = z
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
export type Submission = z.infer<typeof submissionSchema>;

const seconds = (from?: string | null, to?: string | null) => {
	const span = Date.parse(to ?? '') - Date.parse(from ?? '');
	return Number.isFinite(span) ? Math.round(span / 1000) : null;
};

export const iso = (value?: string | null) => {
	const time = Date.parse(value ?? '');
	return Number.isFinite(time) ? new Date(time).toISOString() : null;
};

/** A submission as a workflow uses it; money as a decimal in the study's currency (money.ts). */
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
		reward: fromMinorUnits(submission.reward),
		rewardMinorUnits: submission.reward ?? null,
		bonusPayments: (submission.bonus_payments ?? []).map(fromMinorUnits),
		bonusPaymentsMinorUnits: submission.bonus_payments ?? [],
		returnRequestedAt: iso(submission.return_requested),
	};
}
