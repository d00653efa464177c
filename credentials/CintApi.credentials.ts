import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import {
	CINT_API_VERSIONS,
	CINT_BASE_URL,
	CINT_DEFAULTS,
	CINT_TOKEN_URL,
	cintApiVersion,
	CUSTOM_API_VERSION,
	requestCintToken,
} from './cint-oauth';
import { customEndpointProperties, endpointExpression } from './endpoints';

export class CintApi implements ICredentialType {
	name = 'cintApi';

	displayName = 'Cint API';

	// The trigger's icon, kept once in its node folder.
	icon = {
		light: 'file:../nodes/Cint/cint.svg',
		dark: 'file:../nodes/Cint/cint.dark.svg',
	} as const;

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-survey-triggers#cint';

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
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. 12345',
			hint: 'A number: Cint Exchange shows it in the account menu (top right) and in your API client’s details',
		},
		{
			displayName: 'API Version',
			name: 'apiVersion',
			type: 'options',
			options: [
				...CINT_API_VERSIONS.map((version, index) => ({
					name: index === 0 ? `${version} (Latest)` : version,
					value: version,
				})),
				{ name: 'Other (Enter Below)', value: CUSTOM_API_VERSION },
			],
			default: CINT_DEFAULTS.apiVersion,
			description: 'Sent as the Cint-API-Version header on every call',
		},
		{
			displayName: 'Other API Version',
			name: 'customApiVersion',
			type: 'string',
			default: '',
			placeholder: 'e.g. 2026-03-01',
			displayOptions: { show: { apiVersion: [CUSTOM_API_VERSION] } },
			description: 'A version Cint documents that this package does not list yet (YYYY-MM-DD)',
		},
		...customEndpointProperties('Cint', [CINT_BASE_URL, CINT_TOKEN_URL]),
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

	/** The bearer token, and the API version chosen in the list or typed under Other. */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		request: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		return {
			...request,
			headers: {
				...request.headers,
				Authorization: `Bearer ${String(credentials.accessToken ?? '')}`,
				'Cint-API-Version': cintApiVersion(credentials),
			},
		};
	}

	test: ICredentialTestRequest = {
		request: {
			baseURL: endpointExpression(CINT_BASE_URL),
			url: '=/accounts/{{$credentials.accountId}}/webhooks-events',
		},
	};
}
