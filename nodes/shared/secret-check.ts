import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	INodeCredentialTestResult,
} from 'n8n-workflow';

/** The shortest secret the credential tests accept; anything shorter is guessable. */
export const MIN_SECRET_LENGTH = 16;

/**
 * A credential test for providers whose secret cannot be checked remotely (the secret is only
 * used to verify deliveries): it checks locally that the secret is present and plausible.
 */
export function localSecretTest(field: string, label: string, minLength = MIN_SECRET_LENGTH) {
	return async function (
		this: ICredentialTestFunctions,
		credential: ICredentialsDecrypted,
	): Promise<INodeCredentialTestResult> {
		const value = credential.data?.[field];
		const problem =
			typeof value !== 'string' || value === ''
				? `The ${label} is empty: copy it from the provider’s dashboard`
				: value !== value.trim()
					? `The ${label} starts or ends with spaces: copy it again without them`
					: /\s/.test(value) || [...value].some((char) => char < ' ' || char === '\u007f')
						? `The ${label} contains spaces or line breaks: copy it again`
						: value.length < minLength
							? `The ${label} is only ${value.length} characters long; provider secrets are at least ${minLength}: check that it was copied whole`
							: undefined;
		return problem
			? { status: 'Error', message: problem }
			: { status: 'OK', message: `The ${label} looks right (it is checked on every delivery)` };
	};
}
