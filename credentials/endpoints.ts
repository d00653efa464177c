/**
 * Custom Endpoints: a provider's public API addresses stay out of a credential form unless the
 * user switches Custom Endpoints on (a proxy, a test server). n8n drops a field whose display
 * conditions do not hold when it reads a credential (and n8n 2.x drops a hidden field named
 * `authUrl`), so the address a credential saved before the switch existed stays in its field of the
 * same name, shown only while it differs from the public one, and is used while the switch is off.
 */
import type { ICredentialDataDecryptedObject, INodeProperties } from 'n8n-workflow';

export interface Endpoint {
	displayName: string;
	/** The field earlier versions showed (and stored) the address in. */
	name: string;
	/** The provider's public address. */
	default: string;
}

/** The public APIs of the providers whose credential has only a Base URL. */
export const PROLIFIC_BASE_URL: Endpoint = {
	displayName: 'Base URL',
	name: 'baseUrl',
	default: 'https://api.prolific.com',
};
export const POLTIO_BASE_URL: Endpoint = {
	displayName: 'Base URL',
	name: 'baseUrl',
	default: 'https://api.poltio.com',
};

const customName = (name: string) => `custom${name.charAt(0).toUpperCase()}${name.slice(1)}`;

/** The switch, the address fields it shows, and the hidden fields that keep older credentials' addresses. */
export function customEndpointProperties(
	provider: string,
	endpoints: Endpoint[],
): INodeProperties[] {
	return [
		{
			displayName: 'Custom Endpoints',
			name: 'customEndpoints',
			type: 'boolean',
			default: false,
			description: `Whether to reach ${provider} through a proxy or a test server instead of its public API`,
		},
		...endpoints.map(
			(endpoint): INodeProperties => ({
				displayName: endpoint.displayName,
				name: customName(endpoint.name),
				type: 'string',
				default: endpoint.default,
				displayOptions: { show: { customEndpoints: [true] } },
			}),
		),
		// Shown, and so kept when n8n reads the credential, only while it holds an address of its own.
		...endpoints.map(
			(endpoint): INodeProperties => ({
				displayName: `${endpoint.displayName} (Saved Earlier)`,
				name: endpoint.name,
				type: 'string',
				default: endpoint.default,
				displayOptions: { show: { [endpoint.name]: [{ _cnd: { not: endpoint.default } }] } },
				description: `An address this credential was saved with before Custom Endpoints existed; used while Custom Endpoints is off. Clear it to use ${endpoint.default}.`,
			}),
		),
	];
}

/** The address a credential uses for an endpoint: the custom one when the switch is on, else the stored or public one. */
export function endpointOf(
	credentials: ICredentialDataDecryptedObject,
	endpoint: Endpoint,
): string {
	const value =
		credentials.customEndpoints === true
			? credentials[customName(endpoint.name)]
			: credentials[endpoint.name];
	const text = typeof value === 'string' ? value.trim() : '';
	return (text || endpoint.default).replace(/\/+$/, '');
}

/** The same choice as an n8n expression, for a credential's `test` and `authenticate` blocks. */
export const endpointExpression = (endpoint: Endpoint): string =>
	`={{ $credentials.customEndpoints === true ? $credentials.${customName(endpoint.name)} : ($credentials.${endpoint.name} || ${JSON.stringify(endpoint.default)}) }}`;
