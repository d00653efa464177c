import type { IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { logRateLimited, printable, warnRateLimited } from './log';
import { problemItem, problemKindOf, problemSettings, reportsDue } from './problems';
import { timestampTolerance } from './verify';
import type { Delivery, Refusal, RefusalCheck, RetryPolicy, WebhookReceiver } from './types';

/**
 * A delivery that starts no workflow run: refused (401 failed check, 400 body that is not a JSON
 * object), ignored (200: an event not selected in Events, a replay) or failed (500).
 */
export interface Declined {
	status: 200 | 400 | 401 | 500;
	/** What declined it; with workflow and node, the unit of rate-limited log lines. */
	check: RefusalCheck | 'body' | 'not-selected' | 'replay' | 'retry' | 'internal';
	/** The short reason answered to the sender. */
	reason: string;
	/**
	 * Plain words for the user: what happened and what to do. Never a secret, token or body. A
	 * function is called only when the words are shown (a log line the rate limit lets through, a
	 * test item), so a flood of refusals does not pay for them.
	 */
	message: string | (() => string);
	eventType?: string;
}

type Receiver = Pick<WebhookReceiver<unknown>, 'provider' | 'displayName' | 'mismatchHelp'>;

const capitalised = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;

/** The name of the node's credential, as the user sees it in the editor. */
function credentialName(ctx: IWebhookFunctions): string {
	const [credential] = Object.values(ctx.getNode().credentials ?? {});
	return credential?.name ?? 'the credential';
}

/** A failed verification (401) in plain words: which check failed and what to do. */
export function refusalMessage(
	ctx: IWebhookFunctions,
	receiver: Receiver,
	refusal: Refusal,
	delivery: Delivery,
): string {
	const provider = receiver.displayName;
	const reason = capitalised(refusal.reason);
	const tolerance = `Timestamp Tolerance is ${timestampTolerance(delivery.options)} s: check the clock of the n8n server, or raise Timestamp Tolerance in Options.`;
	switch (refusal.check) {
		case 'setup':
			return refusal.help ? `${reason}. ${refusal.help}` : `${reason}.`;
		case 'missing':
			return `${reason}: ${provider} always sends it, so the request did not come from ${provider}, or a proxy removed it.`;
		case 'malformed':
			return `${reason}: ${provider} does not send it in this form, so the request did not come from ${provider}, or a proxy changed it.`;
		case 'mismatch':
			return receiver.mismatchHelp.split('{credential}').join(credentialName(ctx));
		case 'stale':
			return `The timestamp is ${refusal.skewSeconds ?? '?'} s old and ${tolerance}`;
		case 'future':
			return `The timestamp is ${refusal.skewSeconds ?? '?'} s in the future and ${tolerance}`;
	}
}

export function bodyMessage(receiver: Receiver, reason: string): string {
	const provider = receiver.displayName;
	return `The body is not a JSON object (${reason}). ${provider} sends JSON objects: a proxy may have changed the body, or the request did not come from ${provider}.`;
}

/** An event as the user knows it: its name in Events ("Survey Displayed"), else its type as sent. */
export function eventLabel(
	eventName: string,
	options: ReadonlyArray<{ name: string; value: unknown }>,
): string {
	const option = options.find((candidate) => candidate.value === eventName);
	return option ? `“${option.name}” (${eventName})` : `\`${printable(eventName)}\``;
}

export function notSelectedMessage(
	eventName: string | undefined,
	options: ReadonlyArray<{ name: string; value: unknown }>,
): string {
	return eventName !== undefined
		? `Event ${eventLabel(eventName, options)} arrived but is not selected in Events.`
		: 'An event whose type could not be read arrived; such events run only when every event is selected in Events.';
}

export function retryMessage(eventId: string, policy: RetryPolicy): string {
	const hours = Math.round(policy.horizonSeconds / 3600);
	return `Event \`${printable(eventId)}\` already started a run: a resend of it (the same id and payload within ${hours} h) starts no second run. To run every delivery, turn on Run Every Retry in Options.`;
}

export const REPLAY_MESSAGE =
	'This signed delivery was already accepted: the same signature within Timestamp Tolerance starts no second run.';

/**
 * Answers a declined delivery the way the provider expects, and tells the user why:
 * - in production, a refusal (400/401) is one warn line of n8n's log per workflow, node and check
 *   per minute, with the count since the previous line; an event not selected in Events is such an
 *   info line (a type the user may want to select); resends and replays are logged at debug level.
 *   With Report Problems on, refusals are also counted and reported on the Problems output
 *   (problems.ts), and every report due goes out with this delivery, which runs nothing on Event;
 * - while the editor listens for a test event, an ignored delivery (200) starts nothing, so the
 *   editor keeps listening for the event the user selected; a refused one (400/401/500) is shown
 *   as one item on the Problems output, so no node on the event output runs on it.
 */
export function declineDelivery(
	ctx: IWebhookFunctions,
	receiver: Receiver,
	declined: Declined,
	delivery: Pick<Delivery, 'receivedAt' | 'options'>,
	scope: () => string,
): IWebhookResponseData {
	const { receivedAt } = delivery;
	const body =
		declined.status === 200
			? { status: 'ignored', reason: declined.reason }
			: { error: declined.reason };
	ctx.getResponseObject().status(declined.status).json(body);

	const workflow = ctx.getWorkflow();
	const { name: node, typeVersion } = ctx.getNode();
	const line = `${receiver.displayName} Trigger "${node}" in workflow "${workflow.name ?? ''}" (${workflow.id ?? ''})`;
	const message = () =>
		typeof declined.message === 'function' ? declined.message() : declined.message;
	if (declined.status === 400 || declined.status === 401) {
		warnRateLimited(
			ctx.logger,
			`refused\n${workflow.id ?? ''}\n${node}\n${declined.check}`,
			() =>
				`${line} refused a delivery with HTTP ${declined.status} (${declined.reason}): ${message()}`,
		);
	} else if (declined.check === 'not-selected') {
		logRateLimited(
			ctx.logger,
			'info',
			`ignored\n${workflow.id ?? ''}\n${node}`,
			() => `${line} ignored a delivery: ${message()}`,
		);
	} else if (declined.status === 200) {
		ctx.logger.debug(`${line} ignored a delivery: ${message()}`);
	}

	const kind = problemKindOf(declined.check, typeVersion);
	const problem = kind && {
		kind,
		check: declined.check,
		status: declined.status,
		reason: declined.reason,
		message,
		eventType: declined.eventType,
	};
	if (ctx.getMode() === 'manual') {
		if (declined.status === 200 || !problem) return { noWebhookResponse: true };
		const item = problemItem(receiver.provider, problem, receivedAt.getTime());
		return { noWebhookResponse: true, workflowData: [[], ctx.helpers.returnJsonArray([item])] };
	}
	const settings = problemSettings(delivery.options);
	if (!settings.on) return { noWebhookResponse: true };
	const reports = reportsDue(
		ctx,
		scope(),
		receiver.provider,
		settings,
		receivedAt.getTime(),
		problem || undefined,
	);
	return reports.length
		? { noWebhookResponse: true, workflowData: [[], ctx.helpers.returnJsonArray(reports)] }
		: { noWebhookResponse: true };
}
