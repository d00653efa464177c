import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import { customEndpointProperties, endpointExpression, POLTIO_BASE_URL } from './endpoints';

export class PoltioApi implements ICredentialType {
	name = 'poltioApi';

	displayName = 'Poltio API';

	// The trigger's icon, kept once in its node folder.
	icon = {
		light: 'file:../nodes/Poltio/poltio.svg',
		dark: 'file:../nodes/Poltio/poltio.dark.svg',
	} as const;

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-survey-triggers#poltio';

	properties: INodeProperties[] = [
		{
			displayName: 'API Token',
			name: 'apiToken',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'A personal API token from Poltio’s platform settings',
		},
		{
			displayName: 'Organization ID',
			name: 'organizationId',
			type: 'string',
			required: true,
			default: '',
			description:
				'Sent as the Organization-Id header; see your organizations in Poltio’s account profile',
		},
		...customEndpointProperties('Poltio', [POLTIO_BASE_URL]),
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.apiToken}}',
				'Organization-Id': '={{$credentials.organizationId}}',
			},
		},
	};

	// Poltio answers a bad or expired token with a redirect to its login page, not 401:
	// redirects are not followed, and any 3xx is reported as an invalid token.
	test: ICredentialTestRequest = {
		request: {
			baseURL: endpointExpression(POLTIO_BASE_URL),
			url: '/platform/account/profile',
			disableFollowRedirect: true,
			maxRedirects: 0,
		},
		rules: [301, 302, 303, 307, 308].map((code) => ({
			type: 'responseCode' as const,
			properties: {
				value: code,
				message: 'Poltio did not accept the API token (it redirected to its login page)',
			},
		})),
	};
}
