/**
 * Refusing a forged delivery costs at most one HMAC over its body: the bytes every trigger feeds to
 * HMAC (and to JSON.parse) are counted while it refuses forged 16 MiB deliveries over real HTTP.
 * Malformed signatures and token providers cost nothing proportional to the body.
 */
import crypto from 'crypto';

import { PROVIDERS, providerEntry } from '../../scripts/lib/providers';
import { PROFILES, serveProfile } from '../helpers/trigger-profiles';
import { post } from '../helpers/webhook-server';

const SIXTEEN_MIB = 16 * 1024 * 1024;
const forgedBody = `{"resource_id":"r","event_type":"study.status.change","status":"ACTIVE","pad":"${'x'.repeat(SIXTEEN_MIB - 80)}"}`;

/** Counts HMAC computations and the bytes hashed, and JSON.parse calls on large input. */
function meter() {
	const realCreateHmac = crypto.createHmac;
	const counts = { hmacs: 0, hashedBytes: 0, largeParses: 0, parses: 0 };
	const hmacSpy = jest.spyOn(crypto, 'createHmac').mockImplementation(((
		...args: Parameters<typeof crypto.createHmac>
	) => {
		counts.hmacs++;
		const hmac = realCreateHmac(...args);
		const update = hmac.update.bind(hmac);
		hmac.update = ((data: crypto.BinaryLike) => {
			counts.hashedBytes +=
				typeof data === 'string' ? Buffer.byteLength(data) : (data as Buffer).length;
			return update(data);
		}) as typeof hmac.update;
		return hmac;
	}) as typeof crypto.createHmac);
	const realParse = JSON.parse;
	const parseSpy = jest
		.spyOn(JSON, 'parse')
		.mockImplementation((text: string, reviver?: Parameters<typeof JSON.parse>[1]) => {
			if (text.length >= 1000) counts.parses++; // answers to the client are shorter
			if (text.length > 1024 * 1024) counts.largeParses++;
			return realParse(text, reviver);
		});
	return { counts, restore: () => (hmacSpy.mockRestore(), parseSpy.mockRestore()) };
}

describe.each(PROFILES)('a forged 16 MiB delivery to the $provider trigger', (profile) => {
	it('is refused with 401 after at most one HMAC over its bytes and no parsing', async () => {
		const { server } = await serveProfile(profile);
		const forged = profile.forge();
		const metered = meter();
		try {
			// text/plain: the test server, like n8n, parses JSON bodies itself before the trigger runs.
			const result = await post(server.url + forged.query, forgedBody, {
				...forged.headers,
				'content-type': 'text/plain',
			});
			expect(result.status).toBe(401);
			expect(server.executions).toHaveLength(0);
			expect(metered.counts.hmacs).toBeLessThanOrEqual(1);
			expect(metered.counts.hashedBytes).toBeLessThanOrEqual(Buffer.byteLength(forgedBody) + 64);
			expect(metered.counts.largeParses).toBe(0);
			// A token scheme refuses without hashing anything of the body.
			if (!providerEntry(profile.provider).covers.body) expect(metered.counts.hashedBytes).toBe(0);
		} finally {
			metered.restore();
			await server.close();
		}
	});
});

describe('malformed signatures cost no HMAC', () => {
	it.each(
		PROVIDERS.flatMap((entry) =>
			entry.malformed ? [[entry.provider, entry.malformed()] as const] : [],
		),
	)('%s', async (provider, headers) => {
		const { server } = await serveProfile(
			PROFILES.find((profile) => profile.provider === provider)!,
		);
		const metered = meter();
		try {
			const result = await post(server.url, forgedBody, {
				'content-type': 'text/plain',
				...headers,
			});
			expect(result.status).toBe(401);
			expect(metered.counts.hmacs).toBe(0);
		} finally {
			metered.restore();
			await server.close();
		}
	});
});

it('a forged Prolific delivery of a small body costs at most one extra HMAC (the Python form)', async () => {
	const { server } = await serveProfile(PROFILES[0]);
	const small = '{"resource_id": "r", "event_type":"study.status.change","status":"ACTIVE"}';
	const metered = meter();
	try {
		expect((await post(server.url, small, PROFILES[0].forge().headers)).status).toBe(401);
		expect(metered.counts.hmacs).toBe(2);
	} finally {
		metered.restore();
		await server.close();
	}
});

describe.each([1024, 8 * 1024, 64 * 1024])(
	'a forged compact Prolific delivery of %i bytes',
	(size) => {
		it('is refused without parsing its body, after at most two HMACs over at most its bytes each', async () => {
			const profile = PROFILES.find((candidate) => candidate.provider === 'prolific')!;
			const { server } = await serveProfile(profile);
			const prefix =
				'{"resource_id":"r","event_type":"study.status.change","status":"ACTIVE","pad":"';
			const compact = `${prefix}${'x,y:'.repeat(Math.ceil((size - prefix.length - 2) / 4)).slice(0, size - prefix.length - 2)}"}`;
			expect(Buffer.byteLength(compact)).toBe(size);
			const metered = meter();
			try {
				// text/plain: the server parses nothing itself, so every parse of 1000 bytes or more is the trigger's.
				const result = await post(server.url, compact, {
					...profile.forge().headers,
					'content-type': 'text/plain',
				});
				expect(result.status).toBe(401);
				expect(metered.counts.parses).toBe(0);
				expect(metered.counts.hmacs).toBeLessThanOrEqual(2);
				expect(metered.counts.hashedBytes).toBeLessThanOrEqual(2 * (size + 64));
			} finally {
				metered.restore();
				await server.close();
			}
		});
	},
);
