import type {
	IAuthenticateGeneric,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	INodeProperties,
} from 'n8n-workflow';

import { CINT_DEFAULTS, requestCintToken } from './cint-oauth';

export class CintApi implements ICredentialType {
	name = 'cintApi';

	displayName = 'Cint API';

	// The trigger's icon, kept once in its node folder.
	icon = {
		light: 'file:../nodes/CintTrigger/cint.svg',
		dark: 'file:../nodes/CintTrigger/cint.dark.svg',
	} as const;

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
			description:
				'Sent as the Cint-API-Version header on every call: 2025-12-18, or an older version such as 2025-05-27',
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
