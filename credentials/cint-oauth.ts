/**
 * Cint's OAuth2 client-credentials exchange, used by the credential (preAuthentication) and by the
 * trigger when Cint refuses an expired token.
 */
import type { ICredentialDataDecryptedObject, IHttpRequestHelper } from 'n8n-workflow';

import { endpointOf, type Endpoint } from './endpoints';

/** Cint's credential data. */
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

/** The Cint-API-Version values the package was checked against, newest first. */
export const CINT_API_VERSIONS = ['2025-12-18', '2025-05-27'];
/** The API Version option that shows the Other API Version field. */
export const CUSTOM_API_VERSION = 'custom';

/** The Cint-API-Version header: the version chosen, or the one typed under Other. */
export function cintApiVersion(credentials: ICredentialDataDecryptedObject): string {
	const chosen = String(credentials.apiVersion ?? '').trim();
	if (chosen !== CUSTOM_API_VERSION) return chosen || CINT_DEFAULTS.apiVersion;
	return String(credentials.customApiVersion ?? '').trim() || CINT_DEFAULTS.apiVersion;
}

export const CINT_BASE_URL: Endpoint = {
	displayName: 'Base URL',
	name: 'baseUrl',
	default: CINT_DEFAULTS.baseUrl,
};
export const CINT_TOKEN_URL: Endpoint = {
	displayName: 'Token URL',
	name: 'authUrl',
	default: CINT_DEFAULTS.authUrl,
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
		url: endpointOf(credentials, CINT_TOKEN_URL),
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
