import type { IWebhookFunctions } from 'n8n-workflow';

import { warnRateLimited } from '../shared/log';
import { registrationScope } from '../shared/state';
import type { Delivery, Verification, WebhookReceiver } from '../shared/types';
import { acceptSigned, checkTimestamp, isDigestText, refuse, singleHeader, storedSecret } from '../shared/verify';
import { PROLIFIC_EVENTS, prolificEventSchema, shapeProlificEvent, type ProlificEvent } from './events';
import { prolificApi, workspaceSecret, type ProlificState } from './registration';
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

async function rereadSecret(ctx: IWebhookFunctions, scope: string, nowMs: number): Promise<string | undefined> {
	const last = rereadAt.get(scope);
	if (last !== undefined && nowMs - last < REREAD_INTERVAL_MS) return undefined;
	remember(rereadAt, scope, nowMs);
	const { workspaceId } = ctx.getWorkflowStaticData('node') as Partial<ProlificState>;
	if (!workspaceId) return undefined;
	try {
		return await workspaceSecret(ctx, await prolificApi(ctx), workspaceId);
	} catch (error) {
		ctx.logger.warn(`Prolific Trigger could not read the workspace secret again: ${(error as Error).message}`);
		return undefined;
	}
}

/** Synchronous unless the stored secret does not match (the pipeline awaits only a promise). */
function verifyProlific(ctx: IWebhookFunctions, delivery: Delivery): Verification | Promise<Verification> {
	const stored = storedSecret(ctx);
	if ('refusal' in stored) return stored.refusal;
	const signature = singleHeader(delivery, SIGNATURE_HEADER);
	if ('refusal' in signature) return signature.refusal;
	if (!isDigestText(signature.value, 'base64')) return refuse('malformed', `malformed ${SIGNATURE_HEADER} header`);
	const timestamp = singleHeader(delivery, TIMESTAMP_HEADER);
	if ('refusal' in timestamp) return timestamp.refusal;
	const stale = checkTimestamp(timestamp.value, delivery);
	if (stale) return stale;

	const scope = registrationScope(ctx);
	const secret = rotatedSecrets.get(scope) ?? stored.secret;
	const matches = (candidate: string) => prolificSignatureMatch(candidate, timestamp.value, delivery.rawBody, signature.value);
	const digest = matches(secret);
	if (digest) return acceptSigned(secret, digest, timestamp.value);
	return verifyWithCurrentSecret(ctx, delivery, scope, secret, timestamp.value, matches);
}

async function verifyWithCurrentSecret(
	ctx: IWebhookFunctions,
	delivery: Delivery,
	scope: string,
	secret: string,
	timestamp: string,
	matches: (candidate: string) => Buffer | undefined,
): Promise<Verification> {
	const current = await rereadSecret(ctx, scope, delivery.receivedAt.getTime());
	if (!current || current === secret) return refuse('mismatch', 'signature does not match');
	const rotated = matches(current);
	if (!rotated) return refuse('mismatch', 'signature does not match');
	remember(rotatedSecrets, scope, current);
	const workflow = ctx.getWorkflow();
	warnRateLimited(
		ctx.logger,
		`prolific-rotated\n${scope}`,
		`Prolific Trigger "${ctx.getNode().name}" in workflow "${workflow.name ?? ''}" (${workflow.id ?? ''}): the workspace's signing secret was replaced in Prolific; the new one is used now. Publish the workflow again to store it.`,
	);
	return acceptSigned(current, rotated, timestamp);
}

export const prolificReceiver: WebhookReceiver<ProlificEvent> = {
	provider: 'prolific',
	displayName: 'Prolific',
	secretHeaders: [SIGNATURE_HEADER],
	mismatchHelp:
		"The signature does not match the workspace's signing secret this trigger registered with Prolific (a secret replaced in Prolific is picked up at most every 10 minutes). Check that the study belongs to the credential's workspace and publish the workflow again; otherwise the request was not sent by Prolific.",
	verify: verifyProlific,
	schema: prolificEventSchema,
	events: PROLIFIC_EVENTS.map((event) => String(event.value)),
	eventName: (event) => event.event_type ?? undefined,
	shape: shapeProlificEvent,
};
