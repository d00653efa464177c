import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	INodeCredentialTestResult,
} from 'n8n-workflow';

/** The shortest secret taken without a second thought; anything shorter is guessable. */
export const MIN_SECRET_LENGTH = 16;

/** What a short secret gets: refused (Refiner's token, which the user makes up) or used with a warning (Screeb's, which Screeb makes). */
export type ShortSecret = 'refuse' | 'warn';

/**
 * The one rule for a pasted secret, applied by deliveries (secret.ts) and by the credential test
 * alike: spaces around it are left out; an empty one is refused; a short one is refused or
 * warned about as the trigger says; spaces, line breaks and control characters inside it are
 * used as they are (a signature over them may still match) and only warned about.
 */
export function secretRule(
	pasted: unknown,
	label: string,
	short: ShortSecret,
): { refused: string } | { warning?: string } {
	const value = typeof pasted === 'string' ? pasted.trim() : '';
	if (value === '')
		return { refused: `The ${label} is empty: copy it from the provider’s dashboard` };
	if (value.length < MIN_SECRET_LENGTH) {
		const words = `The ${label} is only ${value.length} characters long; at least ${MIN_SECRET_LENGTH} are needed so that a forger cannot guess it`;
		return short === 'refuse'
			? { refused: words }
			: { warning: `${words}: check that it was copied whole` };
	}
	if (pasted !== value)
		return { warning: `The ${label} starts or ends with spaces: they are left out` };
	if (/\s/.test(value) || [...value].some((char) => char < ' ' || char === '\u007f'))
		return {
			warning: `The ${label} contains spaces or line breaks: unless the provider shows them, copy it again`,
		};
	return {};
}

/**
 * A credential test for providers whose secret cannot be checked remotely (the secret is only
 * used to verify deliveries): the deliveries' rule for the trigger's secret source (secret.ts),
 * run on the saved value. A warning keeps the
 * credential usable (status OK) and says what to check.
 */
export function localSecretTest(source: object, label: string) {
	const { field = '', tooShort } = source as { field?: string; tooShort?: unknown };
	const short: ShortSecret = tooShort ? 'refuse' : 'warn';
	return async function (
		this: ICredentialTestFunctions,
		credential: ICredentialsDecrypted,
	): Promise<INodeCredentialTestResult> {
		const verdict = secretRule(credential.data?.[field], label, short);
		if ('refused' in verdict) return { status: 'Error', message: verdict.refused };
		return {
			status: 'OK',
			message: verdict.warning
				? `Saved, with a warning: ${verdict.warning}`
				: `The ${label} looks right (it is checked on every delivery)`,
		};
	};
}
