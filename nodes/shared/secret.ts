import type { IWebhookFunctions } from 'n8n-workflow';

import { MIN_SECRET_LENGTH } from './secret-check';
import type { Refusal } from './types';

/**
 * Where a trigger's secret comes from. The pipeline reads it once per delivery, here, and hands it
 * to the receiver's pure signature check.
 * - `registration`: a field of the node's static data, written when the trigger registered with
 *   the provider (a signing secret, a URL token); `current` may map it to a newer one the trigger
 *   learnt since (Prolific's replaced workspace secret);
 * - `credential`: a field of the node's credential, pasted from the provider's dashboard; with
 *   `tooShort`, a secret shorter than MIN_SECRET_LENGTH is refused (guessable); `unverifiedWhen`
 *   names a node parameter value under which deliveries are taken without a secret.
 */
export type SecretSource =
	| { registration: string; missing: Refusal; current?: (ctx: IWebhookFunctions, stored: string) => string }
	| {
			credential: string;
			field: string;
			missing: Refusal;
			tooShort?: Refusal;
			unverifiedWhen?: { parameter: string; value: string };
	  };

/** The signing secret a trigger stored when it registered with the provider (Cint, Prolific). */
export const REGISTERED_SECRET: SecretSource = {
	registration: 'secret',
	missing: { ok: false, check: 'setup', reason: 'the trigger has no signing secret yet: publish the workflow again' },
};

/** The node parameter said so: deliveries are taken without checking a secret. */
export const UNVERIFIED = Symbol('unverified');

export type SecretLookup = string | Refusal | typeof UNVERIFIED;

/** Synchronous for a registration secret (the hot path of Prolific, Cint and Poltio). */
export function readSecret(ctx: IWebhookFunctions, source: SecretSource): SecretLookup | Promise<SecretLookup> {
	if ('registration' in source) {
		const stored = (ctx.getWorkflowStaticData('node') as Record<string, unknown>)[source.registration];
		if (typeof stored !== 'string' || stored === '') return source.missing;
		return source.current ? source.current(ctx, stored) : stored;
	}
	const { unverifiedWhen } = source;
	if (unverifiedWhen && ctx.getNodeParameter(unverifiedWhen.parameter, '') === unverifiedWhen.value) return UNVERIFIED;
	return ctx.getCredentials<Record<string, unknown>>(source.credential).then((credentials) => {
		const secret = credentials[source.field];
		if (typeof secret !== 'string' || secret === '') return source.missing;
		return source.tooShort && secret.length < MIN_SECRET_LENGTH ? source.tooShort : secret;
	});
}
