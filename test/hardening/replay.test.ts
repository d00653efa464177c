/**
 * A captured Prolific or Cint delivery replayed inside the timestamp window starts no second
 * execution (answered 200, so a provider's own resend of the same bytes is acknowledged), whatever
 * unsigned headers the replayer changes; re-signed retries, other workflows and failed deliveries
 * are unaffected; memory stays bounded.
 */
import {
	firstSighting,
	forgetAllSightings,
	rememberedCount,
	REPLAY_LIMITS,
} from '../../nodes/shared/replay';
import { responseRecorder, webhookContext } from '../helpers/n8n-context';
import { mainSample } from '../helpers/fixtures';
import { PROVIDERS } from '../../scripts/lib/providers';
import { nowSeconds } from '../../scripts/lib/provider-signing';
import { post } from '../helpers/webhook-server';
import { byProvider, serveProfileEachTest } from '../helpers/trigger-profiles';

const serveProfile = serveProfileEachTest();

describe.each(PROVIDERS.filter((entry) => entry.covers.time).map((entry) => entry.provider))(
	'%s',
	(provider) => {
		const profile = byProvider(provider);
		const body = mainSample(provider);

		it('runs a replayed delivery once, even with another X-Event-ID', async () => {
			const { server } = await serveProfile(profile);
			const signed = profile.authenticate(body);
			expect((await post(server.url, body, signed.headers)).status).toBe(200);
			const replay = await post(server.url, body, {
				...signed.headers,
				'x-event-id': 'evt-chosen-by-replayer',
				'x-request-id': 'other',
			});
			expect(replay).toEqual({
				status: 200,
				body: { status: 'ignored', reason: 'this signed delivery was already accepted' },
			});
			expect(server.executions).toHaveLength(1);
		});

		it('lets a retry the provider signed again at another time through (the retry memory, off here, judges it)', async () => {
			const { server } = await serveProfile(profile, { runEveryRetry: true });
			const now = Number(nowSeconds());
			expect(
				(
					await post(
						server.url,
						body,
						profile.authenticate(body, undefined, String(now - 5)).headers,
					)
				).status,
			).toBe(200);
			expect(
				(await post(server.url, body, profile.authenticate(body, undefined, String(now)).headers))
					.status,
			).toBe(200);
			expect(server.executions).toHaveLength(2);
		});

		it('runs the same signed bytes once in each workflow that receives them', async () => {
			const first = await serveProfile(profile);
			const second = await serveProfile(profile);
			const signed = profile.authenticate(body);
			expect((await post(first.server.url, body, signed.headers)).status).toBe(200);
			expect((await post(second.server.url, body, signed.headers)).status).toBe(200);
			expect([first.server.executions.length, second.server.executions.length]).toEqual([1, 1]);
		});

		it('forgets a delivery that failed after verification: its resend is judged again, not ignored', async () => {
			const { server } = await serveProfile(profile);
			const invalid = '["a signed body that is not an event"]';
			const signed = profile.authenticate(invalid);
			expect((await post(server.url, invalid, signed.headers)).status).toBe(400);
			expect((await post(server.url, invalid, signed.headers)).status).toBe(400);
			expect(server.executions).toHaveLength(0);
		});
	},
);

it('Prolific: a replay whose base64 signature is spelt differently (same bytes) is still a replay', async () => {
	const profile = byProvider('prolific');
	const body = mainSample('prolific');
	const { server } = await serveProfile(profile);
	const signed = profile.authenticate(body);
	const signature = signed.headers['x-prolific-request-signature'];
	// The last character before '=' carries two unused bits: flipping them decodes to the same digest.
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
	const last = alphabet.indexOf(signature[42]);
	const respelt = `${signature.slice(0, 42)}${alphabet[last ^ 1]}=`;
	expect(Buffer.from(respelt, 'base64')).toEqual(Buffer.from(signature, 'base64'));
	expect((await post(server.url, body, signed.headers)).status).toBe(200);
	expect(
		(await post(server.url, body, { ...signed.headers, 'x-prolific-request-signature': respelt }))
			.status,
	).toBe(200);
	expect(server.executions).toHaveLength(1);
});

it('Cint: a replay with the v1 values reordered or an extra forged v1 is still a replay', async () => {
	const profile = byProvider('cint');
	const body = mainSample('cint');
	const { server } = await serveProfile(profile);
	const signed = profile.authenticate(body);
	const header = signed.headers['cint-signature'];
	expect((await post(server.url, body, signed.headers)).status).toBe(200);
	const [t, v1] = header.split(',');
	for (const variant of [
		`${v1},${t}`,
		`${t},v1=${'0'.repeat(64)},${v1}`,
		`${t},${v1.toUpperCase().replace('V1', 'v1')}`,
	]) {
		expect(
			(await post(server.url, body, { ...signed.headers, 'cint-signature': variant })).status,
		).toBe(200);
	}
	expect(server.executions).toHaveLength(1);
});

it('bounds the memory per registration and in all, dropping expired entries, then those that expire soonest', () => {
	const now = 1_000_000;
	const { perRegistration, total } = REPLAY_LIMITS;
	for (let i = 0; i < perRegistration / 2; i++)
		firstSighting('workflow A', `expired-${i}`, now + 1, now);
	for (let i = 0; i < perRegistration; i++)
		firstSighting('workflow A', `live-${i}`, now + 600_000 + i, now + 10);
	expect(rememberedCount('workflow A')).toBeLessThanOrEqual(perRegistration);
	// The expired entries went first; a live one is still a repeat, an expired one is new again.
	expect(firstSighting('workflow A', 'live-0', now + 600_000, now + 10)).toBe(false);
	expect(firstSighting('workflow A', 'expired-0', now + 600_000, now + 10)).toBe(true);
	// Many registrations: the process-wide bound holds, taken from the largest registrations.
	for (let r = 0; r < 8; r++)
		for (let i = 0; i < perRegistration; i++)
			firstSighting(`workflow ${r}`, `d-${i}`, now + 600_000 + i, now + 10);
	expect(rememberedCount()).toBeLessThanOrEqual(total);
	expect(firstSighting('workflow 7', `d-${perRegistration - 1}`, now + 600_000, now + 10)).toBe(
		false,
	);
	forgetAllSightings();
});

it("a flood of valid deliveries in another workflow leaves this workflow's replays refused", async () => {
	const profile = byProvider('prolific');
	const body = mainSample('prolific');
	const victim = await serveProfile(profile);
	const signed = profile.authenticate(body);
	expect((await post(victim.server.url, body, signed.headers)).status).toBe(200);
	// Another workflow's owner knows its own secret and sends it more valid deliveries than the process keeps.
	const flooder = await serveProfile(profile);
	flooder.harness.staticData.webhookUrl = 'http://127.0.0.1/webhook/flooder';
	const node = profile.node;
	for (let i = 0; i < REPLAY_LIMITS.total + 10_000; i++) {
		const distinct = body.replace('"resource_id": "', `"resource_id": "flood-${i}-`);
		const { headers } = profile.authenticate(distinct);
		await node.webhook!.call(
			webhookContext(
				flooder.harness,
				{ rawBody: Buffer.from(distinct), headers, query: {}, params: {} },
				responseRecorder(),
			),
		);
	}
	expect(rememberedCount()).toBeLessThanOrEqual(REPLAY_LIMITS.total);
	const replay = await post(victim.server.url, body, signed.headers);
	expect(replay).toEqual({
		status: 200,
		body: { status: 'ignored', reason: 'this signed delivery was already accepted' },
	});
	expect(victim.server.executions).toHaveLength(1);
}, 120_000);

describe("the window's last second", () => {
	// Only Date is faked: the HTTP server and client keep their real timers.
	const fakeDateOnly = () =>
		jest.useFakeTimers({
			doNotFake: [
				'hrtime',
				'nextTick',
				'performance',
				'queueMicrotask',
				'requestAnimationFrame',
				'cancelAnimationFrame',
				'requestIdleCallback',
				'cancelIdleCallback',
				'setImmediate',
				'clearImmediate',
				'setInterval',
				'clearInterval',
				'setTimeout',
				'clearTimeout',
			],
		});
	afterEach(() => jest.useRealTimers());

	it.each(PROVIDERS.filter((entry) => entry.covers.time).map((entry) => entry.provider))(
		'%s: a replay received in the last second its timestamp is accepted is still refused',
		async (provider) => {
			const profile = byProvider(provider);
			const body = mainSample(provider);
			// Run Every Retry: only the replay memory stands between a replay and a second run.
			const { server } = await serveProfile(profile, { runEveryRetry: true });
			const timestamp = Number(nowSeconds());
			const signed = profile.authenticate(body, undefined, String(timestamp));
			fakeDateOnly();
			jest.setSystemTime(timestamp * 1000 + 200);
			expect((await post(server.url, body, signed.headers)).status).toBe(200);
			// The default tolerance is 300 s; whole seconds are compared, so 300.8 s later still passes the check.
			jest.setSystemTime((timestamp + 300) * 1000 + 800);
			const replay = await post(server.url, body, { ...signed.headers, 'x-event-id': 'evt-late' });
			expect(replay).toEqual({
				status: 200,
				body: { status: 'ignored', reason: 'this signed delivery was already accepted' },
			});
			// A second later the timestamp itself is refused.
			jest.setSystemTime((timestamp + 301) * 1000);
			expect((await post(server.url, body, signed.headers)).status).toBe(401);
			expect(server.executions).toHaveLength(1);
		},
	);
});
