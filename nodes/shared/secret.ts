import type { IWebhookFunctions } from 'n8n-workflow';

import { warnRateLimited } from './log';
import { MIN_SECRET_LENGTH, secretRule } from './secret-check';
import { isSealed, openedBefore, openSealed, type SealKey } from './sealed';
import type { Refusal } from './types';

/**
 * Where a trigger's secret comes from. The pipeline reads it once per delivery, here, and hands it
 * to the receiver's pure signature check.
 * - `registration`: a field of the node's static data, written when the trigger registered with
 *   the provider (a signing secret, a URL token); `current` may map it to a newer one the trigger
 *   learnt since (Prolific's replaced workspace secret);
 * - `credential`: a field of the node's credential, pasted from the provider's dashboard; with
 *   `tooShort`, a secret shorter than MIN_SECRET_LENGTH is refused (guessable); `unverifiedWhen`
 *   names a node parameter value under which deliveries are taken without a secret; with
 *   `shortWarning`, a short secret is used and a warn line a minute says so.
 */
export type SecretSource =
	| {
			registration: string;
			missing: Refusal;
			/** The credential field the stored secret is sealed with (sealed.ts); a value stored in the clear by an older version is read as it is. */
			sealedWith?: SealKey;
			current?: (ctx: IWebhookFunctions, stored: string) => string;
	  }
	| {
			credential: string;
			field: string;
			missing: Refusal;
			tooShort?: Refusal;
			/** Where a short secret is used all the same: what a rate-limited warn line says. */
			shortWarning?: string;
			unverifiedWhen?: { parameter: string; value: string };
	  };

/** The signing secret a trigger stored, sealed, when it registered with the provider (Cint, Prolific). */
export const registeredSecret = (sealedWith: SealKey): SecretSource => ({
	registration: 'secret',
	sealedWith,
	missing: {
		ok: false,
		check: 'setup',
		reason:
			'the trigger has no signing secret yet: publish the workflow again (activate it on n8n 1.x)',
	},
});

const UNREADABLE: Refusal = {
	ok: false,
	check: 'setup',
	reason:
		"the stored signing secret cannot be read with the node's credential: publish the workflow again (activate it on n8n 1.x)",
	help: 'The secret is kept encrypted with a secret field of the credential, which was changed or replaced since the workflow was published.',
};

/** The node parameter said so: deliveries are taken without checking a secret. */
export const UNVERIFIED = Symbol('unverified');

export type SecretLookup = string | Refusal | typeof UNVERIFIED;

/** Synchronous for a registration secret (the hot path of Prolific, Cint and Poltio). */
export function readSecret(
	ctx: IWebhookFunctions,
	source: SecretSource,
): SecretLookup | Promise<SecretLookup> {
	if ('registration' in source) {
		const stored = (ctx.getWorkflowStaticData('node') as Record<string, unknown>)[
			source.registration
		];
		if (typeof stored !== 'string' || stored === '') return source.missing;
		const inUse = (secret: string) => (source.current ? source.current(ctx, secret) : secret);
		if (!source.sealedWith || !isSealed(stored)) return inUse(stored);
		// Synchronous once this process has opened it; the first delivery reads the credential.
		const known = openedBefore(ctx, stored, source.sealedWith);
		if (known !== undefined) return inUse(known);
		return openSealed(ctx, stored, source.sealedWith).then((plaintext) =>
			plaintext === undefined ? UNREADABLE : inUse(plaintext),
		);
	}
	const { unverifiedWhen } = source;
	if (unverifiedWhen && ctx.getNodeParameter(unverifiedWhen.parameter, '') === unverifiedWhen.value)
		return UNVERIFIED;
	return ctx.getCredentials<Record<string, unknown>>(source.credential).then((credentials) => {
		const pasted = credentials[source.field];
		// Spaces around a pasted secret are never part of it (and a header cannot carry them).
		const secret = typeof pasted === 'string' ? pasted.trim() : '';
		if (secret === '') return source.missing;
		const verdict = secretRule(secret, 'secret', source.tooShort ? 'refuse' : 'warn');
		if ('refused' in verdict) return source.tooShort ?? source.missing;
		if (verdict.warning && secret.length < MIN_SECRET_LENGTH && source.shortWarning) {
			const workflow = ctx.getWorkflow();
			const node = ctx.getNode().name;
			warnRateLimited(
				ctx.logger,
				`short-secret\n${workflow.id ?? ''}\n${node}`,
				`Trigger "${node}" in workflow "${workflow.name ?? ''}" (${workflow.id ?? ''}): ${source.shortWarning}.`,
			);
		}
		return secret;
	});
}
