import type {
	IAuthenticateGeneric,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	INodeProperties,
} from 'n8n-workflow';

/** Cint's credential data, and its OAuth2 client-credentials exchange (the trigger uses it too). */
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

export class CintApi implements ICredentialType {
	name = 'cintApi';

	displayName = 'Cint API';

	// The trigger's icon, kept once in its node folder.
	icon = { light: 'file:../nodes/CintTrigger/cint.svg', dark: 'file:../nodes/CintTrigger/cint.dark.svg' } as const;

	documentationUrl = 'https://github.com/n8n-nodes-survey-triggers/n8n-nodes-survey-triggers#cint';

	properties: INodeProperties[] = [
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			required: true,
			default: '',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
		},
		{
			displayName: 'Account ID',
			name: 'accountId',
			type: 'number',
			required: true,
			default: 0,
			description: 'Your Cint Exchange account ID (a number)',
		},
		{
			displayName: 'API Version',
			name: 'apiVersion',
			type: 'string',
			default: CINT_DEFAULTS.apiVersion,
			description: 'Sent as the Cint-API-Version header on every call: 2025-12-18, or an older version such as 2025-05-27',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: CINT_DEFAULTS.baseUrl,
			description: 'Change only to reach Cint through a proxy or a test server',
		},
		{
			displayName: 'Token URL',
			name: 'authUrl',
			type: 'string',
			default: CINT_DEFAULTS.authUrl,
			description: 'Change only to reach Cint through a proxy or a test server',
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const { accessToken } = await requestCintToken(this.helpers, credentials);
		return { accessToken };
	}

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.accessToken}}',
				'Cint-API-Version': '={{$credentials.apiVersion}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: '=/accounts/{{$credentials.accountId}}/webhooks-events',
		},
	};
}
