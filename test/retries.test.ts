/**
 * One run per provider event, for every trigger, through real HTTP: the provider's resend of an event
 * (signed again at its own time where the scheme signs one) runs once; a different event that reuses
 * the id runs; a delivery without an id is never dropped; Run Every Retry turns the memory off; a
 * delivery answered 500 runs when the provider tries again. Items carry `dedupeKey` beside `eventId`.
 */
import { createHash } from 'crypto';

import { forgetAllEvents, rememberedEvents, RETRY_LIMITS } from '../nodes/shared/retries';
import { PROVIDERS, type ProviderEntry } from '../scripts/lib/providers';
import { deleteAt, type JsonObject } from '../scripts/lib/json-tree';
import { nowSeconds } from '../scripts/lib/provider-signing';
import { fixture } from './helpers/fixtures';
import { byProvider, SECRET, serveProfileEachTest } from './helpers/trigger-profiles';
import { post, type WebhookServer } from './helpers/webhook-server';

const serveProfile = serveProfileEachTest();

const URL_PLACEHOLDER = 'http://127.0.0.1/webhook';

/** The provider's sample of its main event, as a JSON tree to change. */
const sampleOf = (entry: ProviderEntry): JsonObject =>
	JSON.parse(fixture(entry.provider, entry.samples[entry.event])) as JsonObject;

/** A delivery of `body` as the provider sends it at `timestamp`, with `eventId` where the id travels beside the body. */
function signed(
	entry: ProviderEntry,
	body: string,
	{ eventId = 'evt-1', timestamp }: { eventId?: string; timestamp?: string } = {},
) {
	const delivery = entry.sign(URL_PLACEHOLDER, body, SECRET, { eventId, timestamp });
	return { headers: delivery.headers, query: new URL(delivery.url).search };
}

async function deliver(
	server: WebhookServer,
	entry: ProviderEntry,
	body: string,
	options?: { eventId?: string; timestamp?: string },
) {
	const { headers, query } = signed(entry, body, options);
	return post(`${server.url}${query}`, body, headers);
}

const items = (server: WebhookServer) => server.executions.map((items) => items[0].json);

describe.each(PROVIDERS)('$displayName Trigger', (entry) => {
	const profile = byProvider(entry.provider);
	const body = JSON.stringify(sampleOf(entry));
	const earlier = () => String(Number(nowSeconds()) - 30);

	it('runs a resend of one event once (signed again at its own time), answering the resend 200', async () => {
		const { server, harness } = await serveProfile(profile);
		expect((await deliver(server, entry, body, { timestamp: earlier() })).status).toBe(200);
		const resend = await deliver(server, entry, body);
		expect(resend).toEqual({
			status: 200,
			body: { status: 'ignored', reason: 'this event was already delivered' },
		});
		expect(server.executions).toHaveLength(1);
		const [item] = items(server);
		expect(item.dedupeKey).toMatch(/^[0-9a-f]{64}$/);
		expect(Object.keys(item).slice(0, 4)).toEqual([
			'provider',
			'eventId',
			'dedupeKey',
			'eventType',
		]);
		// Logged at debug level only, with the event's id.
		const ignored = harness.logs.filter((line) => line.message.includes('already started a run'));
		expect(ignored.map((line) => line.level)).toEqual(['debug']);
		expect(ignored[0].message).toContain(String(item.eventId));
	});

	it('runs a different event that reuses the id, with another dedupeKey', async () => {
		const { server } = await serveProfile(profile);
		const other = sampleOf(entry);
		entry.pad(other, 'a different event under the same id');
		expect((await deliver(server, entry, body)).status).toBe(200);
		expect((await deliver(server, entry, JSON.stringify(other))).status).toBe(200);
		expect(server.executions).toHaveLength(2);
		const [first, second] = items(server);
		if (!entry.eventIdCoversBody) expect(second.eventId).toBe(first.eventId);
		expect(second.dedupeKey).not.toBe(first.dedupeKey);
	});

	it('never drops a delivery without an event id: every copy runs, each with its own dedupeKey', async () => {
		const { server } = await serveProfile(profile);
		const anonymous = sampleOf(entry);
		if (entry.eventIdAt !== 'beside the body')
			for (const path of entry.eventIdAt) deleteAt(anonymous, path);
		const text = JSON.stringify(anonymous);
		expect((await deliver(server, entry, text, { eventId: '', timestamp: earlier() })).status).toBe(
			200,
		);
		expect((await deliver(server, entry, text, { eventId: '' })).status).toBe(200);
		expect(server.executions).toHaveLength(2);
		const [first, second] = items(server);
		expect(first.eventId).toBe(`sha256:${createHash('sha256').update(text).digest('hex')}`);
		expect(second.dedupeKey).not.toBe(first.dedupeKey);
	});

	it('runs every resend with Run Every Retry on; the items share one dedupeKey', async () => {
		const { server } = await serveProfile(profile, { runEveryRetry: true });
		expect((await deliver(server, entry, body, { timestamp: earlier() })).status).toBe(200);
		expect((await deliver(server, entry, body)).status).toBe(200);
		expect(server.executions).toHaveLength(2);
		const [first, second] = items(server);
		expect([second.eventId, second.dedupeKey]).toEqual([first.eventId, first.dedupeKey]);
	});

	it('runs the resend of a delivery that was answered 500', async () => {
		const { server, harness } = await serveProfile(profile);
		// A fault after the event was remembered: the Simplify parameter cannot be read once.
		let faults = 1;
		Object.defineProperty(harness.parameters, 'simple', {
			enumerable: true,
			get: () => {
				if (faults-- > 0) throw new Error('the expression in Simplify failed');
				return true;
			},
		});
		expect((await deliver(server, entry, body, { timestamp: earlier() })).status).toBe(500);
		expect(server.executions).toHaveLength(0);
		expect((await deliver(server, entry, body)).status).toBe(200);
		expect(server.executions).toHaveLength(1);
		expect((await deliver(server, entry, body)).status).toBe(200);
		expect(server.executions).toHaveLength(1);
	});
});

it('keeps resends apart per trigger: the same event runs once in each workflow that receives it', async () => {
	const entry = PROVIDERS[0];
	const profile = byProvider(entry.provider);
	const [first, second] = [await serveProfile(profile), await serveProfile(profile)];
	const body = fixture(entry.provider, entry.samples[entry.event]);
	for (const { server } of [first, second, first, second])
		expect((await deliver(server, entry, body)).status).toBe(200);
	expect([first.server.executions.length, second.server.executions.length]).toEqual([1, 1]);
});

it('runs an event on the production URL after its copy reached the test URL ("Listen for test event")', async () => {
	const entry = PROVIDERS[0];
	const { server, harness } = await serveProfile(byProvider(entry.provider));
	const body = fixture(entry.provider, entry.samples[entry.event]);
	const { headers } = signed(entry, body);
	harness.mode = 'manual';
	expect((await post(server.url, body, headers)).status).toBe(200);
	harness.mode = 'webhook';
	// The very same signed bytes, as the provider sends one event to both subscriptions.
	expect((await post(server.url, body, headers)).status).toBe(200);
	expect(server.executions.map((items) => items[0].json.refused ?? false)).toEqual([false, false]);
	// Production's own resend, signed again later, is still recognised.
	const resend = await deliver(server, entry, body, {
		timestamp: String(Number(nowSeconds()) - 20),
	});
	expect(resend).toEqual({
		status: 200,
		body: { status: 'ignored', reason: 'this event was already delivered' },
	});
});

it('forgets the oldest events first past its bound, and holds at most the bound', async () => {
	const entry = PROVIDERS[0];
	const { server } = await serveProfile(byProvider(entry.provider));
	const saved = { ...RETRY_LIMITS };
	forgetAllEvents();
	RETRY_LIMITS.perRegistration = 20;
	try {
		const body = fixture(entry.provider, entry.samples[entry.event]);
		// Each signed at its own second, so that the replay memory does not take part.
		const sentAt = (n: number) => String(Number(nowSeconds()) - 100 + n);
		for (let n = 0; n < 30; n++)
			expect(
				(await deliver(server, entry, body, { eventId: `evt-${n}`, timestamp: sentAt(n) })).status,
			).toBe(200);
		expect(rememberedEvents()).toBeLessThanOrEqual(20);
		// The newest is still known; the oldest was let go, so its resend runs.
		await deliver(server, entry, body, { eventId: 'evt-29', timestamp: sentAt(40) });
		expect(server.executions).toHaveLength(30);
		await deliver(server, entry, body, { eventId: 'evt-0', timestamp: sentAt(41) });
		expect(server.executions).toHaveLength(31);
	} finally {
		Object.assign(RETRY_LIMITS, saved);
	}
});
