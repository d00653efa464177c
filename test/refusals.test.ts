/**
 * Refusals common to every trigger: a replayed timestamped signature, and the rate-limited log line.
 * Each provider's own catalogue of refusals is in its test folder (test/<provider>/refusals.test.ts,
 * run by test/helpers/refusals.ts).
 */
import { warnRateLimited } from '../nodes/shared/log';
import { PROVIDERS, providerEntry } from '../scripts/lib/providers';
import { mainSample } from './helpers/fixtures';
import { ALREADY } from './helpers/refusals';
import { byProvider, serveProfile } from './helpers/trigger-profiles';
import { post } from './helpers/webhook-server';

describe('replays of a signed delivery', () => {
	const timestamped = PROVIDERS.filter((entry) => entry.covers.time).map((entry) => entry.provider);
	it.each(timestamped)(
		'%s: the second copy is answered 200 and, while listening, starts nothing (n8n keeps listening)',
		async (provider) => {
			const profile = byProvider(provider);
			const { server, harness } = await serveProfile(profile);
			harness.mode = 'manual';
			try {
				const body = mainSample(provider);
				const { headers } = profile.authenticate(body);
				expect((await post(server.url, body, headers)).status).toBe(200);
				expect(await post(server.url, body, headers)).toEqual({
					status: 200,
					body: { status: 'ignored', reason: 'this signed delivery was already accepted' },
				});
				expect(server.executions).toHaveLength(1);
				expect(server.problems).toEqual([]);
				expect(harness.logs.map((line) => line.message)).toContainEqual(
					expect.stringContaining(`ignored a delivery: ${ALREADY}`),
				);
			} finally {
				await server.close();
			}
		},
	);
});

describe('refusal log lines in production', () => {
	it('100 forged deliveries write one line per workflow and check, and the next line counts them', async () => {
		// Any provider whose signature or token travels in a header.
		const provider = PROVIDERS.find((entry) => !entry.carrier.startsWith('?'))!.provider;
		const profile = byProvider(provider);
		const body = mainSample(provider);
		const { server, harness } = await serveProfile(profile);
		try {
			for (let i = 0; i < 100; i++) {
				expect((await post(server.url, body, profile.forge().headers)).status).toBe(401);
			}
			expect((await post(server.url, body, { 'content-type': 'application/json' })).status).toBe(
				401,
			);
			// (A trigger that reads its secret again on a mismatch logs that on its own line.)
			const warnings = harness.logs
				.filter((line) => line.level === 'warn' && line.message.includes(' refused a delivery '))
				.map((line) => line.message);
			expect(warnings).toHaveLength(2);
			expect(warnings[0]).toContain('(signature does not match)');
			expect(warnings[0]).toMatch(/\(count since the previous line: 1\)$/);
			expect(warnings[1]).toContain(`(missing ${providerEntry(provider).carrier} header)`);
			expect(server.executions).toHaveLength(0);
		} finally {
			await server.close();
		}
	});

	it('a line a minute per key, counting every refusal since the previous line', () => {
		const lines: string[] = [];
		const logger = { warn: (message: string) => lines.push(message) } as never;
		const start = 1_700_000_000_000;
		for (let i = 0; i < 100; i++)
			warnRateLimited(logger, 'refused\nwf-a\nTrigger\nmismatch', 'forged', start + i * 100);
		warnRateLimited(logger, 'refused\nwf-b\nTrigger\nmismatch', 'forged elsewhere', start + 200);
		warnRateLimited(logger, 'refused\nwf-a\nTrigger\nmismatch', 'forged', start + 60_000);
		expect(lines).toEqual([
			'forged (count since the previous line: 1)',
			'forged elsewhere (count since the previous line: 1)',
			'forged (count since the previous line: 100)',
		]);
	});
});
