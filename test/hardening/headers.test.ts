/**
 * With Include Headers on, no header that carried the secret or token — nor any header a proxy
 * added whose value contains it, plain or percent-encoded — reaches the item.
 */
import type { IDataObject } from 'n8n-workflow';

import { mainSample } from '../helpers/fixtures';
import { post } from '../helpers/webhook-server';
import { byProvider, PROFILES, SECRET, serveProfile } from '../helpers/trigger-profiles';

/** What a reverse proxy in front of n8n may add: the original URL (with Poltio's ?token=), a referer. */
const proxyHeaders = (secret: string) => ({
	'x-original-uri': `/webhook/abc/webhook?token=${secret}`,
	'x-forwarded-uri': `/webhook/abc/webhook?token=${encodeURIComponent(secret).replace(/-/g, '%2D')}`,
	referer: `https://proxy.example.test/in?target=${encodeURIComponent(`https://n8n.example.test/webhook/abc/webhook?token=${secret}`)}`,
	'x-debug-secret': `secret=${secret}`,
	'x-request-id': 'req-42',
});

async function headersOf(provider: string, extra: Record<string, string | string[]>) {
	const profile = byProvider(provider);
	const { server } = await serveProfile(profile, { includeHeaders: true });
	try {
		const body = mainSample(provider);
		const authenticated = profile.authenticate(body);
		const result = await post(server.url + authenticated.query, body, {
			...authenticated.headers,
			...extra,
		});
		expect(result.status).toBe(200);
		return server.executions[0][0].json.headers as IDataObject;
	} finally {
		await server.close();
	}
}

describe.each(PROFILES.map((profile) => profile.provider))(
	'%s with Include Headers',
	(provider) => {
		it('drops every header whose value contains the secret, and keeps the others', async () => {
			const headers = await headersOf(provider, proxyHeaders(SECRET));
			expect(JSON.stringify(headers)).not.toContain(SECRET);
			expect(JSON.stringify(headers)).not.toContain(encodeURIComponent(SECRET));
			expect(headers).not.toHaveProperty('x-original-uri');
			expect(headers).not.toHaveProperty('x-forwarded-uri');
			expect(headers).not.toHaveProperty('referer');
			expect(headers).not.toHaveProperty('x-debug-secret');
			expect(headers['x-request-id']).toBe('req-42');
			expect(headers['content-type']).toBe('application/json');
		});
	},
);

it('Refiner: a token that arrives in two headers is hidden in both', async () => {
	const headers = await headersOf('refiner', {
		'x-refiner-secret': SECRET,
		authorization: `Bearer ${SECRET}`,
		'x-webhook-token': SECRET,
	});
	expect(JSON.stringify(headers)).not.toContain(SECRET);
	expect(Object.keys(headers).sort()).toEqual([
		'connection',
		'content-length',
		'content-type',
		'host',
	]);
});
