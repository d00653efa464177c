/**
 * Bonus › Pay, once per Idempotency Key. Prolific pays in two calls: set up a bulk bonus payment
 * (`POST /api/v1/submissions/bonus-payments/`, `csv_bonuses` as "<participant>,<amount>"), then pay
 * it (`POST /api/v1/bulk-bonus-payments/{id}/pay/`), which Prolific documents as not idempotent:
 * every call pays again, and every set-up is a new bulk payment. So the key is recorded in n8n's
 * processed-items store (what Remove Duplicates uses) before anything is sent, and a key found there
 * answers "already paid" without calling Prolific. It is freed only when Prolific definitely paid
 * nothing: the set-up failed, or the pay call was refused with a 4xx. Each item is its own bulk
 * payment, so each item's key covers exactly one participant and amount.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { z } from 'zod';

import { asNodeError, callApi, readReply, type ProviderApi } from '../shared/api';
import { locatorValue } from './operations';

/** The store keeps this many keys per node; older ones are evicted (a payment older than that could be made again). */
export const KEYS_KEPT = 10_000;
const STORE = { mode: 'entries', maxEntries: KEYS_KEPT } as const;

const bulkSchema = z
	.object({
		id: z.union([z.string().min(1), z.number()]).transform(String),
		amount: z.number().nullish(),
		fees: z.number().nullish(),
		vat: z.number().nullish(),
		total_amount: z.number().nullish(),
	})
	.passthrough();

/** n8n runs a node used by an AI agent as a type named after it with "Tool" appended. */
const runByAgent = (ctx: IExecuteFunctions) =>
	ctx.getNode().type.endsWith('Tool') ||
	(typeof ctx.isToolExecution === 'function' && ctx.isToolExecution());

/** The key this item pays under: the one given, or the trigger's dedupeKey with what is paid. */
function idempotencyKey(
	ctx: IExecuteFunctions,
	item: INodeExecutionData,
	index: number,
	payment: { studyId: string; participantId: string; amount: string },
): string {
	const given = String(ctx.getNodeParameter('idempotencyKey', index, '')).trim();
	if (given) return given;
	const dedupeKey = item.json.dedupeKey;
	if (typeof dedupeKey === 'string' && dedupeKey)
		return [dedupeKey, payment.studyId, payment.participantId, payment.amount].join('|');
	throw new NodeOperationError(ctx.getNode(), 'Set an Idempotency Key to pay this bonus', {
		itemIndex: index,
		description:
			'This item comes from no survey trigger (it has no dedupeKey), so nothing tells one run of this payment from the next. Use a value that is the same whenever the same bonus is meant, e.g. {{ $json.submissionId }}-completion-bonus.',
	});
}

const definitelyRefused = (error: unknown) => {
	const status = Number(error instanceof NodeApiError ? error.httpCode : NaN);
	return status >= 400 && status < 500;
};

export async function payBonus(
	ctx: IExecuteFunctions,
	api: ProviderApi,
	item: INodeExecutionData,
	index: number,
): Promise<IDataObject> {
	if (runByAgent(ctx) && !ctx.getNodeParameter('allowAgentPayments', index, false))
		throw new NodeOperationError(ctx.getNode(), 'AI agents may not pay bonuses with this node', {
			itemIndex: index,
			description:
				'Turn on "Allow Payments by AI Agents" in the node to let an agent pay; nothing was paid.',
		});
	const studyId = locatorValue(ctx, 'studyId', index);
	const participantId = String(ctx.getNodeParameter('participantId', index, '')).trim();
	const amountValue = Number(ctx.getNodeParameter('amount', index, 0));
	if (!participantId || !/^[A-Za-z0-9]+$/.test(participantId))
		throw new NodeOperationError(ctx.getNode(), 'Participant ID is empty or not a Prolific ID', {
			itemIndex: index,
		});
	if (!Number.isFinite(amountValue) || amountValue < 0.01)
		throw new NodeOperationError(ctx.getNode(), 'Amount must be at least 0.01', {
			itemIndex: index,
			description: 'A decimal in the study’s currency: 1.50 pays £1.50 in a GBP study.',
		});
	const amount = amountValue.toFixed(2);
	const key = idempotencyKey(ctx, item, index, { studyId, participantId, amount });
	const payment = { idempotencyKey: key, studyId, participantId, amount: Number(amount) };

	const { processed } = await ctx.helpers.checkProcessedAndRecord([key], 'node', STORE);
	if (processed.length > 0)
		return {
			...payment,
			paid: false,
			alreadyPaid: true,
			note: 'This node already sent a payment with this Idempotency Key; nothing was sent now. If that earlier attempt ended without an answer from Prolific, check the study’s bonus payments in Prolific.',
		};

	let bulk: z.infer<typeof bulkSchema>;
	try {
		const step = 'set up the bonus payment';
		const reply = await callApi(ctx, api, step, {
			method: 'POST',
			path: '/api/v1/submissions/bonus-payments/',
			body: { study_id: studyId, csv_bonuses: `${participantId},${amount}` },
		});
		bulk = readReply(ctx, api, step, reply, bulkSchema);
	} catch (error) {
		// Nothing was paid: the key is free for the next run.
		await ctx.helpers.removeProcessed([key], 'node', STORE);
		throw asNodeError(ctx, error);
	}
	try {
		await callApi(ctx, api, 'pay the bonus', {
			method: 'POST',
			path: `/api/v1/bulk-bonus-payments/${encodeURIComponent(bulk.id)}/pay/`,
			once: true,
		});
	} catch (error) {
		if (definitelyRefused(error)) {
			await ctx.helpers.removeProcessed([key], 'node', STORE);
			throw asNodeError(ctx, error);
		}
		const reason = error instanceof Error ? error.message : String(error);
		throw new NodeOperationError(
			ctx.getNode(),
			'Prolific did not confirm the bonus payment: check Prolific before paying again',
			{
				itemIndex: index,
				description: `${reason}. The payment may have been made. Its Idempotency Key stays recorded, so running this node again pays nothing: look for bulk bonus payment ${bulk.id} in the study’s submissions in Prolific.`,
			},
		);
	}
	return {
		...payment,
		paid: true,
		alreadyPaid: false,
		bulkBonusPaymentId: bulk.id,
		// Prolific's figures, in the study currency's minor units (pence/cents).
		charged: {
			amount: bulk.amount ?? null,
			fees: bulk.fees ?? null,
			vat: bulk.vat ?? null,
			total: bulk.total_amount ?? null,
		},
	};
}
