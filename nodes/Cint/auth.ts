import { createHash } from 'crypto';
import type { ICredentialDataDecryptedObject, ICredentialsDecrypted } from 'n8n-workflow';

import {
	CINT_BASE_URL,
	CINT_TOKEN_URL,
	requestCintToken,
	type CintCredentials,
} from '../../credentials/cint-oauth';
import { endpointOf } from '../../credentials/endpoints';
import { credentialSecrets, type ApiContext, type ProviderApi } from '../shared/api';

/** Tokens renewed by the trigger itself, per client, until shortly before they expire. */
const renewedTokens = new Map<string, { accessToken: string; expiresAt: number }>();

function clientKey(credentials: ICredentialDataDecryptedObject): string {
	return createHash('sha256')
		.update(
			`${endpointOf(credentials, CINT_TOKEN_URL)}\n${credentials.clientId}\n${credentials.clientSecret}`,
		)
		.digest('hex');
}

export async function cintApi(ctx: ApiContext): Promise<ProviderApi & { accountPath: string }> {
	const credentials = await ctx.getCredentials<CintCredentials>('cintApi');
	const key = clientKey(credentials);
	const asCredential = (accessToken: string): ICredentialsDecrypted => ({
		id: ctx.getNode().credentials?.cintApi?.id ?? 'cintApi',
		name: ctx.getNode().credentials?.cintApi?.name ?? 'Cint API',
		type: 'cintApi',
		data: { ...credentials, accessToken },
	});
	const cached = renewedTokens.get(key);
	const baseUrl = endpointOf(credentials, CINT_BASE_URL);
	const api: ProviderApi & { accountPath: string } = {
		displayName: 'Cint',
		credentialType: 'cintApi',
		baseUrl,
		secrets: credentialSecrets(credentials, ['clientSecret', 'accessToken'], baseUrl),
		accountPath: `/accounts/${encodeURIComponent(String(credentials.accountId))}`,
		credentialsOverride:
			cached && cached.expiresAt > Date.now() ? asCredential(cached.accessToken) : undefined,
		// An expired token is answered 403 (authorization_error), an invalid one 401.
		expiredTokenStatuses: [401, 403],
		renewCredentials: async () => {
			const token = await requestCintToken(ctx.helpers, credentials);
			renewedTokens.set(key, {
				accessToken: token.accessToken,
				expiresAt: Date.now() + (token.expiresInSeconds - 60) * 1000,
			});
			api.credentialsOverride = asCredential(token.accessToken);
			return api.credentialsOverride;
		},
	};
	return api;
}
