import { createHash } from 'crypto';
import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	IHttpRequestHelper,
} from 'n8n-workflow';

import { credentialSecrets, type ApiContext, type ProviderApi } from '../shared/api';

export interface CintCredentials extends ICredentialDataDecryptedObject {
	clientId: string;
	clientSecret: string;
	accountId: number | string;
	apiVersion: string;
	baseUrl: string;
	authUrl: string;
	accessToken: string;
}

export const CINT_DEFAULTS = {
	apiVersion: '2025-12-18',
	baseUrl: 'https://api.cint.com/v1',
	authUrl: 'https://auth.cint.com/oauth/token',
};

/**
 * Cint's OAuth2 client-credentials exchange. Throws an error that says the credential is wrong
 * (never containing the secret) when Cint refuses the client.
 */
export async function requestCintToken(
	helpers: IHttpRequestHelper['helpers'],
	credentials: ICredentialDataDecryptedObject,
): Promise<{ accessToken: string; expiresInSeconds: number }> {
	const reply = (await helpers.httpRequest({
		method: 'POST',
		url: String(credentials.authUrl || CINT_DEFAULTS.authUrl),
		body: {
			client_id: credentials.clientId,
			client_secret: credentials.clientSecret,
			grant_type: 'client_credentials',
			auth_scopes: 'app:api',
			audience: 'https://api.luc.id',
		},
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		disableFollowRedirect: true,
		timeout: 15_000,
	})) as { statusCode: number; body: unknown };
	const body = (reply.body ?? {}) as { access_token?: unknown; expires_in?: unknown };
	if (reply.statusCode >= 200 && reply.statusCode < 300 && typeof body.access_token === 'string') {
		const expiresIn = Number(body.expires_in);
		return {
			accessToken: body.access_token,
			expiresInSeconds: Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 3600,
		};
	}
	const refused = reply.statusCode === 401 || reply.statusCode === 403 || reply.statusCode === 400;
	throw new Error(
		refused
			? `Cint did not accept the client ID and client secret (HTTP ${reply.statusCode}); check them in the credential`
			: `Cint's token endpoint answered HTTP ${reply.statusCode} without an access token`,
	);
}

/** Tokens renewed by the trigger itself, per client, until shortly before they expire. */
const renewedTokens = new Map<string, { accessToken: string; expiresAt: number }>();

function clientKey(credentials: ICredentialDataDecryptedObject): string {
	return createHash('sha256')
		.update(`${credentials.authUrl}\n${credentials.clientId}\n${credentials.clientSecret}`)
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
	const baseUrl = String(credentials.baseUrl || CINT_DEFAULTS.baseUrl).replace(/\/+$/, '');
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
