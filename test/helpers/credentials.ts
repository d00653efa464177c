/**
 * Applies a credential type's `authenticate` block the way n8n does for generic credentials,
 * resolving `{{$credentials.<field>}}` expressions against the credential data.
 */
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	IHttpRequestOptions,
} from 'n8n-workflow';

export function resolveExpression(value: unknown, data: ICredentialDataDecryptedObject): unknown {
	if (typeof value !== 'string' || !value.startsWith('=')) return value;
	return value
		.slice(1)
		.replace(/\{\{\s*\$credentials\??\.(\w+)\s*\}\}/g, (_, field: string) =>
			String(data[field] ?? ''),
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
