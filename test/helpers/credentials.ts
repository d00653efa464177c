/**
 * Applies a credential type's `authenticate` block the way n8n does for generic credentials,
 * resolving its expressions against the credential data with n8n's own expression engine (as
 * n8n's CredentialsHelper does, `$credentials` being the credential).
 */
import {
	Workflow,
	type ICredentialDataDecryptedObject,
	type ICredentialType,
	type IDataObject,
	type IHttpRequestOptions,
	type INode,
	type INodeTypes,
} from 'n8n-workflow';

const node: INode = {
	id: 'credential-test',
	name: 'Credential test',
	type: 'n8n-nodes-survey-triggers.credentialTest',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};
const noNodeTypes = {
	getByName: () => ({ description: { properties: [] } }),
	getByNameAndVersion: () => ({ description: { properties: [] } }),
	getKnownTypes: () => ({}),
} as unknown as INodeTypes;
let workflow: Workflow | undefined;

export function resolveExpression(value: unknown, data: ICredentialDataDecryptedObject): unknown {
	if (typeof value !== 'string' || !value.startsWith('=')) return value;
	workflow ??= new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: noNodeTypes,
	});
	return workflow.expression.getSimpleParameterValue(
		node,
		value,
		'internal',
		{ $credentials: data },
		undefined,
		'',
	);
}

export async function authenticateRequest(
	type: ICredentialType,
	data: ICredentialDataDecryptedObject,
	request: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const auth = type.authenticate;
	if (!auth) return request;
	if (typeof auth === 'function') return auth(data, request);
	const headers: IDataObject = { ...request.headers };
	for (const [name, value] of Object.entries(auth.properties.headers ?? {})) {
		headers[name] = resolveExpression(value, data) as string;
	}
	const qs: IDataObject = { ...request.qs };
	for (const [name, value] of Object.entries(auth.properties.qs ?? {})) {
		qs[name] = resolveExpression(value, data) as string;
	}
	return { ...request, headers, qs };
}
