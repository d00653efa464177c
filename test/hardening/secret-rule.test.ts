/**
 * One rule for a pasted secret: the credential test never refuses a secret deliveries accept, nor
 * accepts one deliveries refuse; where deliveries only warn (log line), the test warns too.
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { providerEntry } from '../../scripts/lib/providers';
import { mainSample } from '../helpers/fixtures';
import { byProvider, serveProfileEachTest } from '../helpers/trigger-profiles';
import { post } from '../helpers/webhook-server';

const serveProfile = serveProfileEachTest();
const TEST_METHOD: Record<string, string> = {
	screeb: 'screebSecret',
	refiner: 'refinerSecretToken',
};
const VALUES = [
	'',
	'short',
	'fifteen-chars-x',
	' padded-secret-value-1234 ',
	'with space inside 12345',
	'a-long-random-secret-value-0123456789',
];

describe.each(Object.keys(TEST_METHOD))('%s', (provider) => {
	const entry = providerEntry(provider);
	const profile = byProvider(provider);

	it.each(VALUES.map((value) => [JSON.stringify(value), value]))(
		'secret %s: the credential test refuses it exactly when deliveries do',
		async (_, value) => {
			const credentials = entry.secretAt(value).credentials!;
			const [type] = Object.keys(credentials);
			const test = profile.node.methods!.credentialTest![TEST_METHOD[provider]];
			const verdict = await test.call({} as never, {
				id: '1',
				name: 'account',
				type,
				data: credentials[type] as ICredentialDataDecryptedObject,
			});
			const { server, harness } = await serveProfile({
				...profile,
				credentials: credentials as never,
			});
			const body = mainSample(provider);
			// The provider signs with its secret, which has no spaces around it.
			const { headers } = profile.authenticate(body, value.trim());
			const answer = await post(server.url, body, headers);
			expect([verdict.status, answer.status]).toEqual(
				verdict.status === 'Error' ? ['Error', 401] : ['OK', 200],
			);
			// Where deliveries log a warning for a short secret, the test says so too.
			const warned = harness.logs.some(
				(line) => line.message.includes('shorter than 16') && !line.message.includes('refused'),
			);
			if (warned) expect(verdict.message).toMatch(/^Saved, with a warning: /);
		},
	);
});
