/**
 * Tokens are compared in constant time whatever the length of what a request carries: a candidate
 * of another length is still compared, as a SHA-256 digest of the same size as the token's, so the
 * time of a refusal does not tell the token's length. Checked over real HTTP for the two token
 * providers, Poltio (URL token) and Refiner (token in any header or the query).
 */
import crypto from 'crypto';

import { byProvider, serveProfile } from '../helpers/trigger-profiles';
import { post } from '../helpers/webhook-server';

const BODY = '{"complete_session":1}';

/** The byte lengths of every pair timingSafeEqual compared while `run` ran. */
async function comparedLengths(run: () => Promise<void>): Promise<Array<[number, number]>> {
	const real = crypto.timingSafeEqual;
	const pairs: Array<[number, number]> = [];
	const spy = jest.spyOn(crypto, 'timingSafeEqual').mockImplementation((a, b) => {
		pairs.push([a.byteLength, b.byteLength]);
		return real(a, b);
	});
	try {
		await run();
	} finally {
		spy.mockRestore();
	}
	return pairs;
}

it.each([1, 5, 40, 4000])(
	'Poltio compares a %i-character token in the URL as a digest of the token’s size',
	async (length) => {
		const { server } = await serveProfile(byProvider('poltio'));
		try {
			const pairs = await comparedLengths(async () => {
				expect(
					(
						await post(`${server.url}?token=${'t'.repeat(length)}`, BODY, {
							'content-type': 'application/json',
						})
					).status,
				).toBe(401);
			});
			expect(pairs).toEqual([[32, 32]]);
		} finally {
			await server.close();
		}
	},
);

it('Refiner compares every header value, of any length, against each token form as digests', async () => {
	const { server } = await serveProfile(byProvider('refiner'));
	const headers = {
		'content-type': 'application/json',
		'x-a': 'a',
		'x-b': 'Bearer short',
		'x-c': 'c'.repeat(300),
	};
	try {
		const pairs = await comparedLengths(async () => {
			expect((await post(`${server.url}?token=x`, BODY, headers)).status).toBe(401);
		});
		// Three forms (token, "Bearer token", "Token token") for every header value and the query.
		expect(pairs.length).toBeGreaterThanOrEqual(3 * (Object.keys(headers).length + 1));
		expect(pairs.every(([a, b]) => a === 32 && b === 32)).toBe(true);
	} finally {
		await server.close();
	}
});
