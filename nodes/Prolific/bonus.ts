/**
 * Bonus › Pay, once per Idempotency Key. Prolific pays in two calls: set up a bulk bonus payment
 * (`POST /api/v1/submissions/bonus-payments/`, `csv_bonuses` as "<participant>,<amount>"), then pay
 * it (`POST /api/v1/bulk-bonus-payments/{id}/pay/`), which Prolific documents as not idempotent:
 * every call pays again, and every set-up is a new bulk payment. So the key is recorded in n8n's
 * processed-items store (what Remove Duplicates uses) before anything is sent, and a key found there
 * pays nothing. It is freed only when Prolific definitely paid nothing: the set-up failed, or the
 * pay call was refused with a 4xx. Each item is its own bulk payment, so each item's key covers
 * exactly one participant. Prolific's API reference says it does not support concurrent bonus
 * requests, so this process sends one bonus call at a time, across executions too.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { z } from 'zod';

import { asNodeError, callApi, readReply, type ProviderApi } from '../shared/api';
import { locatorValue } from './operations';
import { fromMinorUnits } from './money';

/**
 * The store keeps this many keys per node; older ones are evicted (a payment older than that could
 * be made again). A payment takes up to four (its key, its replayKey alias, a confirmation of each),
 * so at least the newest 5 000 payments of a node are remembered.
 */
export const KEYS_KEPT = 20_000;
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

/** An amount as a user means it: a finite number, or digits with at most two decimals. */
const AMOUNT_TEXT = /^\d{1,9}(\.\d{1,2})?$/;

/**
 * An amount in the study's currency, validated, never coerced: a number or a text of digits with
 * at most two decimals (`1.5`, `"1.50"`). `"1e9"`, `true`, `[5]`, `"0x10"`, `1e21` and `1.234` are
 * refused, since each once paid something nobody meant. Returns the amount as Prolific's CSV takes it.
 */
export function readAmount(value: unknown): string | undefined {
	const text =
		typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
	if (!AMOUNT_TEXT.test(text)) return undefined;
	return Number(text).toFixed(2);
}

function amountError(ctx: IExecuteFunctions, index: number, name: string, value: unknown) {
	const shown = printableValue(value);
	return new NodeOperationError(ctx.getNode(), `${name} ${shown} is not an amount`, {
		itemIndex: index,
		description:
			'Give a number in the study’s currency with at most two decimals, e.g. 1.50 for £1.50 in a GBP study (not pence, not 1e3). Nothing was paid.',
	});
}

const printableValue = (value: unknown) => {
	const text = typeof value === 'string' ? `"${value}"` : (JSON.stringify(value) ?? String(value));
	return text.length > 40 ? `${text.slice(0, 40)}…` : text;
};

/** The amount to pay, refused before any call when it is not an amount, below 0.01 or above Maximum Amount. */
function amountToPay(ctx: IExecuteFunctions, index: number): string {
	const given = ctx.getNodeParameter('amount', index, '');
	const amount = readAmount(given);
	if (amount === undefined) throw amountError(ctx, index, 'Amount', given);
	if (Number(amount) < 0.01)
		throw new NodeOperationError(ctx.getNode(), 'Amount must be at least 0.01', {
			itemIndex: index,
			description: 'A decimal in the study’s currency: 1.50 pays £1.50 in a GBP study.',
		});
	const maximumGiven = ctx.getNodeParameter('maximumAmount', index, '');
	if (maximumGiven === '' || maximumGiven === undefined || maximumGiven === null) return amount;
	const maximum = readAmount(maximumGiven);
	if (maximum === undefined) throw amountError(ctx, index, 'Maximum Amount', maximumGiven);
	if (Number(amount) > Number(maximum))
		throw new NodeOperationError(
			ctx.getNode(),
			`Amount ${amount} is above the Maximum Amount ${maximum}`,
			{
				itemIndex: index,
				description:
					'Nothing was paid. Check the expression that gives the amount (a reward in pence mapped as pounds pays 100 times too much), or raise Maximum Amount.',
			},
		);
	return amount;
}

/**
 * The keys an item pays under. `primary`: the Idempotency Key given, or by default
 * `<dedupeKey>|<study>|<participant>`. `aliases`: for a Prolific delivery, its `replayKey` with the
 * study and participant — Prolific's X-Event-ID is not signed, so the same signed event replayed with
 * another id has another dedupeKey but the same replayKey. `legacy`: the key earlier versions used
 * (`…|<amount>`), which still counts as paid.
 */
interface PaymentKeys {
	primary: string;
	aliases: string[];
	legacy?: string;
}

function paymentKeys(
	ctx: IExecuteFunctions,
	item: INodeExecutionData,
	index: number,
	payment: { studyId: string; participantId: string; amount: string },
): PaymentKeys {
	const given = String(ctx.getNodeParameter('idempotencyKey', index, '')).trim();
	if (given) return { primary: given, aliases: [] };
	const { dedupeKey, replayKey } = item.json;
	const forPayment = (key: string) => [key, payment.studyId, payment.participantId].join('|');
	if (typeof dedupeKey === 'string' && dedupeKey)
		return {
			primary: forPayment(dedupeKey),
			aliases: typeof replayKey === 'string' && replayKey ? [forPayment(replayKey)] : [],
			legacy: `${forPayment(dedupeKey)}|${payment.amount}`,
		};
	throw new NodeOperationError(ctx.getNode(), 'Set an Idempotency Key to pay this bonus', {
		itemIndex: index,
		description:
			'This item comes from no survey trigger (it has no dedupeKey), so nothing tells one run of this payment from the next. Use a value that is the same whenever the same bonus is meant, e.g. {{ $json.submissionId }}-completion-bonus.',
	});
}

/** Recorded beside a key once Prolific accepted the payment made under it. */
const confirmedKey = (key: string) => `${key}|accepted`;

const statusOf = (error: unknown) => Number(error instanceof NodeApiError ? error.httpCode : NaN);
const definitelyRefused = (error: unknown) => statusOf(error) >= 400 && statusOf(error) < 500;

/** A refusal with what it means for the money: a 429 is Prolific busy, and nothing was paid. */
function refusedError(ctx: IExecuteFunctions, error: unknown): Error {
	const nodeError = asNodeError(ctx, error);
	if (statusOf(error) === 429 && nodeError instanceof NodeApiError)
		nodeError.description = [
			'Prolific was busy with other bonus payments (HTTP 429) and paid nothing. The Idempotency Key is free again: run this later.',
			nodeError.description,
		]
			.filter(Boolean)
			.join(' ');
	return nodeError;
}

/** The bonus call in flight in this process, if any: the next one waits for it. */
let bonusCalls: Promise<unknown> = Promise.resolve();

/** Runs `call` once no other bonus call of this process is in flight (Prolific: no concurrent bonus requests). */
function oneAtATime<T>(call: () => Promise<T>): Promise<T> {
	const turn = bonusCalls.then(call, call);
	bonusCalls = turn.catch(() => undefined);
	return turn;
}

/**
 * What an earlier attempt under these keys came to: `accepted` when Prolific accepted it (or an
 * earlier version recorded it: it answered "paid" for any recorded key), `unknown` when it was sent
 * and no answer came. n8n's store offers only check-and-record and remove: a confirmation key is
 * read by checking it, and removed again at once when it was not there (it was not confirmed).
 */
async function earlierOutcome(
	ctx: IExecuteFunctions,
	keys: string[],
	legacyFound: boolean,
): Promise<'accepted' | 'unknown'> {
	if (legacyFound) return 'accepted';
	const markers = keys.map(confirmedKey);
	const { processed, new: absent } = await ctx.helpers.checkProcessedAndRecord(
		markers,
		'node',
		STORE,
	);
	if (absent.length) await ctx.helpers.removeProcessed(absent, 'node', STORE);
	return processed.length ? 'accepted' : 'unknown';
}

export async function payBonus(
	ctx: IExecuteFunctions,
	api: ProviderApi,
	item: INodeExecutionData,
	index: number,
): Promise<IDataObject> {
	const studyId = locatorValue(ctx, 'studyId', index);
	const participantId = String(ctx.getNodeParameter('participantId', index, '')).trim();
	if (!participantId || !/^[A-Za-z0-9]+$/.test(participantId))
		throw new NodeOperationError(ctx.getNode(), 'Participant ID is empty or not a Prolific ID', {
			itemIndex: index,
		});
	const amount = amountToPay(ctx, index);
	const keys = paymentKeys(ctx, item, index, { studyId, participantId, amount });
	const payment = { idempotencyKey: keys.primary, studyId, participantId, amount: Number(amount) };

	const owned = [keys.primary, ...keys.aliases];
	const checked = keys.legacy ? [...owned, keys.legacy] : owned;
	const { processed, new: recorded } = await ctx.helpers.checkProcessedAndRecord(
		checked,
		'node',
		STORE,
	);
	// The legacy form is only looked up, never kept for new payments.
	if (keys.legacy && recorded.includes(keys.legacy))
		await ctx.helpers.removeProcessed([keys.legacy], 'node', STORE);
	if (processed.length > 0) {
		const earlier = owned.filter((key) => processed.includes(key));
		const legacyFound = keys.legacy !== undefined && processed.includes(keys.legacy);
		const outcome = await earlierOutcome(ctx, earlier, legacyFound);
		if (outcome === 'unknown')
			throw new NodeOperationError(
				ctx.getNode(),
				'An earlier payment with this Idempotency Key got no answer from Prolific: check Prolific before paying again',
				{
					itemIndex: index,
					description: `Nothing was sent now. The earlier attempt (key ${printableValue(processed[0])}) was sent to Prolific and may have been paid. Look at the participant’s bonus payments in Prolific; if it was not paid, pay it under a new Idempotency Key.`,
				},
			);
		return {
			...payment,
			outcome: 'alreadyPaid',
			accepted: false,
			alreadyPaid: true,
			note: 'Prolific accepted a payment with this Idempotency Key earlier; nothing was sent now.',
		};
	}
	const fresh = owned.filter((key) => recorded.includes(key));
	const accepted = await oneAtATime(() => sendPayment(ctx, api, index, payment, fresh));
	try {
		await ctx.helpers.checkProcessedAndRecord(owned.map(confirmedKey), 'node', STORE);
	} catch (error) {
		// Paid all the same: a rerun then answers "check Prolific" rather than paying again.
		ctx.logger.warn(
			`Prolific node "${ctx.getNode().name}": bonus payment ${accepted.id} was accepted, but recording that failed: ${(error as Error).message}`,
		);
	}
	return {
		...payment,
		outcome: 'accepted',
		accepted: true,
		alreadyPaid: false,
		bulkBonusPaymentId: accepted.id,
		// Prolific's figures, in the study's currency as a decimal, like Amount.
		charged: {
			amount: fromMinorUnits(accepted.amount),
			fees: fromMinorUnits(accepted.fees),
			vat: fromMinorUnits(accepted.vat),
			total: fromMinorUnits(accepted.total_amount),
		},
		chargedMinorUnits: {
			amount: accepted.amount ?? null,
			fees: accepted.fees ?? null,
			vat: accepted.vat ?? null,
			total: accepted.total_amount ?? null,
		},
	};
}

/** Set-up and pay; keys this attempt recorded are freed when Prolific definitely paid nothing. */
async function sendPayment(
	ctx: IExecuteFunctions,
	api: ProviderApi,
	index: number,
	payment: { studyId: string; participantId: string; amount: number },
	recorded: string[],
): Promise<z.infer<typeof bulkSchema>> {
	let bulk: z.infer<typeof bulkSchema>;
	try {
		const step = 'set up the bonus payment';
		const reply = await callApi(ctx, api, step, {
			method: 'POST',
			path: '/api/v1/submissions/bonus-payments/',
			body: {
				study_id: payment.studyId,
				csv_bonuses: `${payment.participantId},${payment.amount.toFixed(2)}`,
			},
		});
		bulk = readReply(ctx, api, step, reply, bulkSchema);
	} catch (error) {
		// Nothing was paid: the key is free for the next run.
		await ctx.helpers.removeProcessed(recorded, 'node', STORE);
		throw refusedError(ctx, error);
	}
	try {
		await callApi(ctx, api, 'pay the bonus', {
			method: 'POST',
			path: `/api/v1/bulk-bonus-payments/${encodeURIComponent(bulk.id)}/pay/`,
			once: true,
		});
	} catch (error) {
		if (definitelyRefused(error)) {
			await ctx.helpers.removeProcessed(recorded, 'node', STORE);
			throw refusedError(ctx, error);
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
	return bulk;
}
