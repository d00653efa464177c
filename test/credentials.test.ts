/**
 * Credential forms a non-developer can fill: the providers' public addresses stay behind Custom
 * Endpoints, read the way n8n reads a credential (its getNodeParameters drops fields whose display
 * conditions do not hold); a credential saved by an earlier version with a custom Base URL keeps
 * using it; Cint's API Version is a list with an Other entry; Account ID has no valid-looking default.
 */
import {
	NodeHelpers,
	type ICredentialDataDecryptedObject,
	type ICredentialType,
	type IHttpRequestOptions,
	type INodeParameters,
} from 'n8n-workflow';

import { CintApi } from '../credentials/CintApi.credentials';
import { PoltioApi } from '../credentials/PoltioApi.credentials';
import { ProlificApi } from '../credentials/ProlificApi.credentials';
import { POLTIO_BASE_URL, PROLIFIC_BASE_URL } from '../credentials/endpoints';
import { ScreebWebhookApi } from '../credentials/ScreebWebhookApi.credentials';
import { RefinerWebhookApi } from '../credentials/RefinerWebhookApi.credentials';
import { CINT_API_VERSIONS } from '../credentials/cint-oauth';
import { tokenApi } from '../nodes/shared/api';
import { cintApi } from '../nodes/Cint/auth';
import { ProlificEmulator } from '../scripts/lib/emulators/prolific';
import { lifecycle } from './helpers/lifecycle';
import { SECRET } from './helpers/trigger-profiles';
import { node as prolificNode, prolificHarness } from './prolific/setup';

/** What n8n hands a node: the saved data with defaults applied and undisplayed fields dropped. */
const asN8nReadsIt = (type: ICredentialType, saved: ICredentialDataDecryptedObject) =>
	NodeHelpers.getNodeParameters(
		type.properties,
		saved as INodeParameters,
		true,
		false,
		null,
		null,
	) as ICredentialDataDecryptedObject;
const shown = (type: ICredentialType, saved: ICredentialDataDecryptedObject) =>
	type.properties
		.filter((property) => property.type !== 'hidden' && property.type !== 'notice')
		.filter(
			(property) =>
				!property.displayName.endsWith('(Saved Earlier)') || saved[property.name] !== undefined,
		)
		.filter((property) =>
			NodeHelpers.displayParameter(
				// The form holds every value, displayed or not.
				NodeHelpers.getNodeParameters(
					type.properties,
					saved as INodeParameters,
					true,
					true,
					null,
					null,
				)!,
				property,
				null,
				null,
			),
		)
		.map((property) => property.displayName);
const apiOf = (
	type: string,
	credentials: ICredentialDataDecryptedObject,
	endpoint: typeof PROLIFIC_BASE_URL,
) =>
	tokenApi({ getCredentials: async () => credentials, getNode: () => ({}) } as never, {
		displayName: 'Provider',
		credentialType: type,
		endpoint,
	});

describe.each([
	['Prolific', new ProlificApi(), PROLIFIC_BASE_URL, { apiToken: SECRET }],
	['Poltio', new PoltioApi(), POLTIO_BASE_URL, { apiToken: SECRET, organizationId: '7' }],
] as const)('%s', (_, type, endpoint, required) => {
	it('a new credential shows no address and uses the public API', async () => {
		expect(shown(type, { ...required })).not.toContain('Base URL');
		const api = await apiOf(type.name, asN8nReadsIt(type, { ...required }), endpoint);
		expect(api.baseUrl).toBe(endpoint.default);
	});

	it('Custom Endpoints shows Base URL, and the custom address is used', async () => {
		const saved = { ...required, customEndpoints: true, customBaseUrl: 'http://127.0.0.1:4010/' };
		expect(shown(type, saved)).toContain('Base URL');
		const api = await apiOf(type.name, asN8nReadsIt(type, saved), endpoint);
		expect(api.baseUrl).toBe('http://127.0.0.1:4010');
	});

	it('a credential saved by the previous version, with a custom Base URL, keeps using it and shows it', async () => {
		const saved = { ...required, baseUrl: 'https://proxy.example.test/provider' };
		const api = await apiOf(type.name, asN8nReadsIt(type, saved), endpoint);
		expect(api.baseUrl).toBe('https://proxy.example.test/provider');
		expect(shown(type, saved)).toContain('Base URL (Saved Earlier)');
		// One saved with the public address shows nothing of it.
		expect(shown(type, { ...required, baseUrl: endpoint.default })).not.toContain(
			'Base URL (Saved Earlier)',
		);
	});
});

describe('Prolific, end to end', () => {
	it('an earlier credential on the emulator publishes there', async () => {
		const prolific = await new ProlificEmulator().start();
		try {
			// prolificHarness saves { apiToken, baseUrl } as the previous version's form did.
			const harness = prolificHarness(
				prolific,
				{},
				{ webhookUrl: 'https://n8n.example.test/webhook/x/webhook' },
			);
			harness.credentials.prolificApi = asN8nReadsIt(
				new ProlificApi(),
				harness.credentials.prolificApi,
			);
			await lifecycle(prolificNode, harness).publish();
			expect(prolific.subscriptions.size).toBe(1);
		} finally {
			await prolific.stop();
		}
	});
});

describe('Cint', () => {
	const type = new CintApi();
	const required = { clientId: 'id', clientSecret: SECRET, accountId: '12345' };

	it('lists the API versions it knows, newest first, and an Other entry that shows a free field', () => {
		const version = type.properties.find((property) => property.name === 'apiVersion')!;
		expect(version.type).toBe('options');
		expect(version.default).toBe(CINT_API_VERSIONS[0]);
		expect(version.options!.map((option) => ('value' in option ? option.value : ''))).toEqual([
			...CINT_API_VERSIONS,
			'custom',
		]);
		expect(shown(type, required)).not.toContain('Other API Version');
		expect(shown(type, { ...required, apiVersion: 'custom' })).toContain('Other API Version');
	});

	it('sends the chosen version, or the one typed under Other', async () => {
		const sent = async (credentials: ICredentialDataDecryptedObject) => {
			const request = await (
				type.authenticate as (
					credentials: ICredentialDataDecryptedObject,
					request: IHttpRequestOptions,
				) => Promise<IHttpRequestOptions>
			)(asN8nReadsIt(type, credentials), { url: '/' });
			return request.headers?.['Cint-API-Version'];
		};
		expect(await sent(required)).toBe(CINT_API_VERSIONS[0]);
		expect(await sent({ ...required, apiVersion: '2025-05-27' })).toBe('2025-05-27');
		expect(await sent({ ...required, apiVersion: 'custom', customApiVersion: '2026-03-01' })).toBe(
			'2026-03-01',
		);
		// A version typed by an earlier version of the form is sent as it was.
		expect(await sent({ ...required, apiVersion: '2024-11-01' })).toBe('2024-11-01');
	});

	it('keeps Base URL and Token URL behind Custom Endpoints, and an earlier credential’s own', async () => {
		expect(shown(type, required)).not.toEqual(expect.arrayContaining(['Base URL']));
		expect(shown(type, required)).not.toContain('Token URL');
		expect(shown(type, { ...required, customEndpoints: true })).toEqual(
			expect.arrayContaining(['Base URL', 'Token URL']),
		);
		const earlier = asN8nReadsIt(type, {
			...required,
			baseUrl: 'http://127.0.0.1:4011/v1',
			authUrl: 'http://127.0.0.1:4011/oauth/token',
		});
		// n8n 2.x deletes a hidden field named authUrl from what it reads: this one is not hidden.
		expect(type.properties.find((property) => property.name === 'authUrl')!.type).not.toBe(
			'hidden',
		);
		expect(earlier.authUrl).toBe('http://127.0.0.1:4011/oauth/token');
		const api = await cintApi({
			getCredentials: async () => earlier,
			getNode: () => ({ credentials: {} }),
			helpers: {},
		} as never);
		expect(api.baseUrl).toBe('http://127.0.0.1:4011/v1');
	});

	it('asks for the Account ID with a hint and no valid-looking default', () => {
		const account = type.properties.find((property) => property.name === 'accountId')!;
		expect(account.default).toBe('');
		expect(account.hint).toMatch(/Cint Exchange shows it/);
	});
});

describe('Refiner', () => {
	it('says how to make a good secret token, with the package’s minimum', () => {
		const token = new RefinerWebhookApi().properties.find((field) => field.name === 'secretToken');
		expect(token?.description).toMatch(/at least 16 characters/);
	});

	it.each([
		['Refiner', new RefinerWebhookApi()],
		['Screeb', new ScreebWebhookApi()],
	])(
		'%s: the form says that only a delivery proves the secret, and where a wrong one shows',
		(_, credential) => {
			const notice = credential.properties.find((field) => field.type === 'notice');
			expect(notice?.displayName).toMatch(/Only a delivery can prove/);
			expect(notice?.displayName).toContain('Problems');
		},
	);
});
