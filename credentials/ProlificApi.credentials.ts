import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import { customEndpointProperties, endpointExpression, PROLIFIC_BASE_URL } from './endpoints';

export class ProlificApi implements ICredentialType {
	name = 'prolificApi';

	displayName = 'Prolific API';

	// The trigger's icon, kept once in its node folder.
	icon = {
		light: 'file:../nodes/Prolific/prolific.svg',
		dark: 'file:../nodes/Prolific/prolific.dark.svg',
	} as const;

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-survey-triggers#prolific';

	properties: INodeProperties[] = [
		{
			displayName: 'API Token',
			name: 'apiToken',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'A Prolific API token (Prolific › Settings › API tokens)',
		},
		...customEndpointProperties('Prolific', [PROLIFIC_BASE_URL]),
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Token {{$credentials.apiToken}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: endpointExpression(PROLIFIC_BASE_URL),
			url: '/api/v1/users/me/',
		},
	};
}
