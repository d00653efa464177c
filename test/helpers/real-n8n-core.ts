/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- Node-side code (tests, emulators, scripts), never loaded by n8n */
/**
 * A trigger's lifecycle methods run through n8n-core's own HookContext: the real request helpers
 * (`httpRequestWithAuthentication` with its error wrapping, n8n's HTTP client), parameter
 * resolution and webhook URLs. Only the credentials store is provided here, as n8n's CLI provides
 * it: decrypted data by type, `preAuthentication` for expirable fields, and the `authenticate` block.
 */
import { mkdtempSync } from 'fs';
import os from 'os';
import path from 'path';

import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IHookFunctions,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeType,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { authenticateRequest } from './credentials';
import { loadModule } from '../../scripts/lib/load';

process.env.N8N_USER_FOLDER ??= mkdtempSync(path.join(os.tmpdir(), 'survey-triggers-core-'));
// Loaded after N8N_USER_FOLDER is set: n8n-core reads its instance settings from there.
const { HookContext } = loadModule('n8n-core') as unknown as typeof import('n8n-core');

export interface RealHook {
	ctx: IHookFunctions;
	staticData: Record<string, unknown>;
	credentials: Record<string, ICredentialDataDecryptedObject>;
	/** Every request as n8n sent it, after authentication. */
	requests: IHttpRequestOptions[];
}

export function realHookContext(options: {
	nodeType: INodeType;
	parameters: INode['parameters'];
	credentialType: ICredentialType;
	credentials: ICredentialDataDecryptedObject;
}): RealHook {
	const { nodeType, credentialType } = options;
	const node: INode = {
		id: 'f0e1d2c3-0000-4000-8000-000000000001',
		name: 'Trigger',
		type: `n8n-nodes-survey-triggers.${nodeType.description.name}`,
		typeVersion: 1,
		position: [0, 0],
		webhookId: '6f1c2a8e-5b0d-4e55-9a3f-7d2c1b0a9e88',
		parameters: options.parameters,
		credentials: { [credentialType.name]: { id: 'cred-1', name: `My ${credentialType.name}` } },
	};
	const staticData: Record<string, unknown> = {};
	const workflow = new Workflow({
		id: 'wf-real-core',
		name: 'Survey follow-up',
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: {
			getByName: () => nodeType,
			getByNameAndVersion: () => nodeType,
			getKnownTypes: () => ({}),
		},
		staticData: { [`node:${node.name}`]: staticData },
	});
	const { additionalData, credentials, requests } = coreAdditionalData(
		credentialType,
		options.credentials,
	);
	const ctx = new HookContext(
		workflow,
		node,
		additionalData,
		'trigger',
		'activate',
	) as unknown as IHookFunctions;
	return { ctx, staticData, credentials, requests };
}

/**
 * What n8n's CLI gives n8n-core: the credentials store (decrypted data by type,
 * `preAuthentication` for expirable fields, the `authenticate` block) and the instance's URLs.
 */
export function coreAdditionalData(
	credentialType: ICredentialType,
	initial: ICredentialDataDecryptedObject,
) {
	const credentials = { [credentialType.name]: { ...initial } };
	const requests: IHttpRequestOptions[] = [];
	const credentialsHelper = {
		getParentTypes: () => [],
		isCredentialUsableByNode: () => true,
		getDecrypted: async (_data: unknown, _nodeCredentials: unknown, type: string) => ({
			...credentials[type],
		}),
		preAuthentication: async (
			helpers: IHttpRequestHelper,
			data: ICredentialDataDecryptedObject,
			type: string,
			_node: INode,
			expired: boolean,
		) => {
			const expirable = credentialType.properties.find(
				(property) => property.typeOptions?.expirable,
			);
			if (!expirable || !credentialType.preAuthentication || (data[expirable.name] && !expired))
				return undefined;
			const fetched = await credentialType.preAuthentication.call(helpers, data);
			credentials[type] = { ...credentials[type], ...fetched } as ICredentialDataDecryptedObject;
			return fetched;
		},
		authenticate: async (
			data: ICredentialDataDecryptedObject,
			_type: string,
			request: IHttpRequestOptions,
		) => {
			const authenticated = await authenticateRequest(credentialType, data, request);
			requests.push(authenticated);
			return authenticated;
		},
	};
	const additionalData = {
		credentialsHelper,
		webhookBaseUrl: 'https://n8n.example.test/webhook',
		webhookTestBaseUrl: 'https://n8n.example.test/webhook-test',
		webhookWaitingBaseUrl: 'https://n8n.example.test/webhook-waiting',
		formWaitingBaseUrl: 'https://n8n.example.test/form-waiting',
		instanceBaseUrl: 'https://n8n.example.test/',
		restApiUrl: 'https://n8n.example.test/rest',
		variables: {},
	} as unknown as IWorkflowExecuteAdditionalData;
	return { additionalData, credentials, requests };
}
