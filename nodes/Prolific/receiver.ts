import type { IWebhookFunctions } from 'n8n-workflow';

import { warnRateLimited } from '../shared/log';
import { registrationScope } from '../shared/state';
import type { Delivery, Verification, WebhookReceiver } from '../shared/types';
import { registeredSecret } from '../shared/secret';
import {
	acceptSigned,
	checkTimestampWindow,
	isDigestText,
	isRefusal,
	readTimestamp,
	refuse,
	singleHeader,
} from '../shared/verify';
import {
	headerValue,
	PROLIFIC_EVENTS,
	prolificEventSchema,
	shapeProlificEvent,
	type ProlificEvent,
} from './events';
import { PROLIFIC_SEAL, prolificApi, workspaceSecret, type ProlificState } from './registration';
import { addSubmissionDetails } from './details';
import { prolificSignatureMatch, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './signature';

/**
 * Prolific keeps one signing secret per workspace, and another tool (its CLI, another workflow)
 * may replace it. When a well-formed, timely delivery does not match, the workspace secret is read
 * again — at most once per registration per 10 minutes, so forged requests cannot make the trigger
 * call Prolific more often — and a newer one is used from then on in this process.
 */
const REREAD_INTERVAL_MS = 10 * 60 * 1000;
const MAX_REGISTRATIONS = 1_000;
const rereadAt = new Map<string, number>();
const rotatedSecrets = new Map<string, string>();

function remember<T>(map: Map<string, T>, key: string, value: T): void {
	map.delete(key);
	if (map.size >= MAX_REGISTRATIONS) map.delete(map.keys().next().value as string);
	map.set(key, value);
}

/** Whether the workspace secret may be read again for a registration now (at most once per interval). */
function mayReread(scope: string, nowMs: number): boolean {
	const last = rereadAt.get(scope);
	return last === undefined || nowMs - last >= REREAD_INTERVAL_MS;
}

async function rereadSecret(
	ctx: IWebhookFunctions,
	scope: string,
	nowMs: number,
): Promise<string | undefined> {
	remember(rereadAt, scope, nowMs);
	const { workspaceId } = ctx.getWorkflowStaticData('node') as Partial<ProlificState>;
	if (!workspaceId) return undefined;
	try {
		return await workspaceSecret(ctx, await prolificApi(ctx), workspaceId);
	} catch (error) {
		ctx.logger.warn(
			`Prolific Trigger could not read the workspace secret again: ${(error as Error).message}`,
		);
		return undefined;
	}
}

/** Prolific's signature check, pure: the signature of `timestamp + body`, then a timely timestamp. */
export function verifyProlific(delivery: Delivery, secret: string): Verification {
	const signature = singleHeader(delivery, SIGNATURE_HEADER);
	if (isRefusal(signature)) return signature;
	if (!isDigestText(signature, 'base64'))
		return refuse('malformed', `malformed ${SIGNATURE_HEADER} header`);
	const timestampText = singleHeader(delivery, TIMESTAMP_HEADER);
	if (isRefusal(timestampText)) return timestampText;
	const timestamp = readTimestamp(timestampText);
	if (isRefusal(timestamp)) return timestamp;
	const match = prolificSignatureMatch(secret, timestampText, delivery.rawBody, signature);
	if (!match) return refuse('mismatch', 'signature does not match');
	const timely = checkTimestampWindow(timestamp, delivery);
	return isRefusal(timely) ? timely : acceptSigned(secret, match.digest, timely, match.signedBody);
}

/**
 * A well-formed, timely delivery that did not match: checked once more against the workspace's
 * current secret. A secret that differs from the one in use replaces it for this registration
 * whatever this delivery's verdict (Prolific keeps one secret per workspace): a forgery that
 * triggered the read must not make the trigger refuse the genuine deliveries that follow.
 */
function verifyWithCurrentSecret(
	ctx: IWebhookFunctions,
	delivery: Delivery,
	secret: string,
): Verification | Promise<Verification> {
	const scope = registrationScope(ctx);
	// Synchronous when the secret was read again lately: a flood of forgeries never waits.
	if (!mayReread(scope, delivery.receivedAt.getTime()))
		return refuse('mismatch', 'signature does not match');
	return verifyWithSecretReadAgain(ctx, delivery, secret, scope);
}

async function verifyWithSecretReadAgain(
	ctx: IWebhookFunctions,
	delivery: Delivery,
	secret: string,
	scope: string,
): Promise<Verification> {
	const current = await rereadSecret(ctx, scope, delivery.receivedAt.getTime());
	if (!current || current === secret) return refuse('mismatch', 'signature does not match');
	remember(rotatedSecrets, scope, current);
	const workflow = ctx.getWorkflow();
	warnRateLimited(
		ctx.logger,
		`prolific-rotated\n${scope}`,
		`Prolific Trigger "${ctx.getNode().name}" in workflow "${workflow.name ?? ''}" (${workflow.id ?? ''}): the workspace's signing secret was replaced in Prolific; the new one is used now. Publish the workflow again to store it.`,
	);
	return verifyProlific(delivery, current);
}

export const prolificReceiver: WebhookReceiver<ProlificEvent> = {
	provider: 'prolific',
	displayName: 'Prolific',
	secretHeaders: [SIGNATURE_HEADER],
	mismatchHelp:
		"The signature does not match the workspace's signing secret this trigger registered with Prolific (a secret replaced in Prolific is picked up at most every 10 minutes). Check that the study belongs to the credential's workspace and publish the workflow again (activate it on n8n 1.x); otherwise the request was not sent by Prolific.",
	secret: {
		...registeredSecret(PROLIFIC_SEAL),
		current: (ctx, stored) => rotatedSecrets.get(registrationScope(ctx)) ?? stored,
	},
	verify: verifyProlific,
	reverify: verifyWithCurrentSecret,
	schema: prolificEventSchema,
	events: PROLIFIC_EVENTS,
	eventName: (event) => event.event_type ?? undefined,
	// Prolific documents X-Event-ID as unique per event and unchanged across its retries, and asks
	// receivers to deduplicate on it; it resends for up to 24 h (an hour more for its jitter).
	eventId: (_event, delivery) => headerValue(delivery, 'x-event-id'),
	retries: { horizonSeconds: 25 * 3600, idOutsideSignature: true },
	shape: shapeProlificEvent,
	enrich: addSubmissionDetails,
};
