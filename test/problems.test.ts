/**
 * Problems a user sees in n8n, over real HTTP: in production a refused delivery is reported on the
 * trigger's Problems output, one report per kind and window with the count since the last one (a
 * flood starts one run), the next delivery after the window carries what was counted; events not
 * selected only when asked for; nothing with Report Problems off. While listening for a test event,
 * ignored deliveries start nothing (n8n keeps listening) and a refusal shows on Problems only.
 */
import { fixture, mainSample, pinClock } from './helpers/fixtures';
import { SECRET, byProvider, serveProfileEachTest } from './helpers/trigger-profiles';
import { post } from './helpers/webhook-server';

const serveProfile = serveProfileEachTest();
const START = Date.UTC(2026, 11, 6, 9, 0, 0);
let now = START;
beforeEach(() => {
	now = START;
	pinClock(now);
});
afterEach(() => jest.useRealTimers());
const advance = (minutes: number) => {
	now += minutes * 60_000;
	jest.setSystemTime(now);
};

const provider = 'screeb';
const profile = byProvider(provider);
const body = mainSample(provider);
const forged = () => profile.forge().headers;
const genuine = (text = body) => profile.authenticate(text).headers;

describe('a forgery counts as an authentication problem whatever time it claims', () => {
	it.each(['prolific', 'cint'])(
		'%s: a forged delivery stamped 1970 is reported as an authentication problem, not a clock one; a genuine stale one as a timestamp problem',
		async (timed) => {
			const timedProfile = byProvider(timed);
			const sample = mainSample(timed);
			const { server } = await serveProfile(timedProfile);
			const forgedLongAgo = timedProfile.authenticate(sample, 'not-the-secret-0123456789', '1');
			expect((await post(server.url, sample, forgedLongAgo.headers)).status).toBe(401);
			expect(server.problems.map((item) => item.json)).toEqual([
				expect.objectContaining({ problem: 'authentication', reason: 'signature does not match' }),
			]);
			expect(JSON.stringify(server.problems)).not.toMatch(/clock|Timestamp Tolerance/);

			const staleButGenuine = timedProfile.authenticate(
				sample,
				SECRET,
				String(START / 1000 - 3600),
			);
			expect((await post(server.url, sample, staleButGenuine.headers)).status).toBe(401);
			expect(server.problems.map((item) => item.json)).toEqual([
				expect.objectContaining({ problem: 'authentication' }),
				expect.objectContaining({ problem: 'timestamp', reason: 'timestamp is too old' }),
			]);
		},
	);
});

describe('in production', () => {
	it('cheap forgeries of one check do not hide another: each check is named and counted', async () => {
		const { server } = await serveProfile(profile);
		const unsigned = { 'content-type': 'application/json' };
		expect((await post(server.url, body, unsigned)).status).toBe(401); // the report of the window
		for (let i = 0; i < 200; i++) await post(server.url, body, unsigned);
		await post(server.url, body, forged()); // one with a well-formed signature: a wrong secret
		advance(11);
		await post(server.url, body, unsigned);
		const [first, second] = server.problems.map((item) => item.json);
		expect(first).toMatchObject({ count: 1, checks: { missing: 1 } });
		expect(second).toMatchObject({
			problem: 'authentication',
			count: 202,
			checks: { missing: 201, mismatch: 1 },
			reason: expect.stringMatching(/^missing .*header; signature does not match$/),
		});
		const lines = String(second.message).split('\n');
		expect(lines).toEqual([
			expect.stringMatching(/^201 × missing .* header: /),
			expect.stringMatching(
				/^1 × signature does not match: .*does not match the secret in credential/,
			),
		]);
	});

	it('one forged delivery starts one report; 1 000 more in the window start none; the next after it carries their count', async () => {
		const { server } = await serveProfile(profile);
		expect((await post(server.url, body, forged())).status).toBe(401);
		expect(server.problemRuns).toBe(1);
		expect(server.problems.map((item) => item.json)).toEqual([
			{
				provider,
				problem: 'authentication',
				count: 1,
				firstSeenAt: new Date(START).toISOString(),
				lastSeenAt: new Date(START).toISOString(),
				status: 401,
				reason: 'signature does not match',
				message: expect.stringContaining('does not match the secret in credential'),
				checks: { mismatch: 1 },
				reportWindowMinutes: 10,
			},
		]);

		for (let i = 0; i < 1000; i++) {
			if (i === 500) advance(5);
			expect((await post(server.url, body, forged())).status).toBe(401);
		}
		expect(server.problemRuns).toBe(1);

		advance(5);
		expect((await post(server.url, body, forged())).status).toBe(401);
		expect(server.problemRuns).toBe(2);
		expect(server.problems[1].json).toMatchObject({
			problem: 'authentication',
			count: 1001,
			firstSeenAt: new Date(START).toISOString(),
			lastSeenAt: new Date(START + 10 * 60_000).toISOString(),
		});
		expect(server.executions).toEqual([]);
		expect(JSON.stringify(server.problems)).not.toContain(SECRET);
	});

	it('an event runs alone: the reports due wait for the next delivery that runs nothing on Event (a resend)', async () => {
		const { server } = await serveProfile(profile);
		await post(server.url, body, forged());
		for (let i = 0; i < 3; i++) await post(server.url, '[1]', genuine('[1]'));
		expect(server.problems.map((item) => [item.json.problem, item.json.count])).toEqual([
			['authentication', 1],
			['body', 1],
		]);
		await post(server.url, body, forged());
		advance(11);
		expect((await post(server.url, body, genuine())).status).toBe(200);
		expect(server.runs.slice(-1)).toEqual([{ events: 1, problems: 0 }]);
		expect(server.problems).toHaveLength(2);
		expect((await post(server.url, body, genuine())).status).toBe(200); // Screeb's resend
		expect(server.runs.slice(-1)).toEqual([{ events: 0, problems: 2 }]);
		expect(server.problems.slice(2).map((item) => [item.json.problem, item.json.count])).toEqual([
			['authentication', 1],
			['body', 2],
		]);
		expect(server.runs.filter((run) => run.events > 0 && run.problems > 0)).toEqual([]);
	});

	it('every kind of secret is `authentication`: a wrong token (Poltio, Refiner) as a wrong signature', async () => {
		for (const tokened of ['poltio', 'refiner']) {
			const tokenProfile = byProvider(tokened);
			const { server } = await serveProfile(tokenProfile);
			const sample = mainSample(tokened);
			expect((await post(server.url, sample, tokenProfile.forge().headers)).status).toBe(401);
			expect([tokened, server.problems.map((item) => item.json.problem)]).toEqual([
				tokened,
				['authentication'],
			]);
		}
	});

	it('a node of type version 1 keeps the name its items had: `signature`', async () => {
		const { server, harness } = await serveProfile(profile);
		harness.node.typeVersion = 1;
		expect((await post(server.url, body, forged())).status).toBe(401);
		expect(server.problems.map((item) => item.json.problem)).toEqual(['signature']);
	});

	it('reports events not selected only with Report Unselected Events on', async () => {
		const unselected = { ...profile, parameters: { events: ['response.ended'] } };
		const displayed = fixture(provider, 'response.displayed');
		const quiet = await serveProfile(unselected);
		expect((await post(quiet.server.url, displayed, genuine(displayed))).status).toBe(200);
		expect(quiet.server.problems).toEqual([]);

		const asked = await serveProfile(unselected, { reportUnselected: true });
		expect((await post(asked.server.url, displayed, genuine(displayed))).status).toBe(200);
		expect(asked.server.executions).toEqual([]);
		expect(asked.server.problems.map((item) => item.json)).toEqual([
			expect.objectContaining({
				problem: 'not-selected',
				count: 1,
				status: 200,
				eventType: 'response.displayed',
				message:
					'Event “Survey Displayed” (response.displayed) arrived but is not selected in Events.',
			}),
		]);
	});

	it('reports nothing with Report Problems off, and honours its own window', async () => {
		const off = await serveProfile(profile, { reportProblems: false });
		for (let i = 0; i < 3; i++) await post(off.server.url, body, forged());
		expect(off.server.problems).toEqual([]);

		const hourly = await serveProfile(profile, { problemWindow: 60 });
		await post(hourly.server.url, body, forged());
		advance(30);
		await post(hourly.server.url, body, forged());
		expect(hourly.server.problemRuns).toBe(1);
		advance(31);
		await post(hourly.server.url, body, forged());
		expect(hourly.server.problems.map((item) => item.json.count)).toEqual([1, 2]);
		expect(hourly.server.problems[1].json.reportWindowMinutes).toBe(60);
	});

	it('keeps each trigger’s counts apart', async () => {
		const first = await serveProfile(profile);
		const second = await serveProfile(profile);
		await post(first.server.url, body, forged());
		await post(second.server.url, body, forged());
		expect([first.server.problemRuns, second.server.problemRuns]).toEqual([1, 1]);
	});
});

describe('while listening for a test event', () => {
	it('an unselected event and a resend start nothing; a forged delivery shows on Problems only; then the event runs', async () => {
		const { server, harness } = await serveProfile({
			...profile,
			parameters: { events: ['response.ended'] },
		});
		harness.mode = 'manual';
		const displayed = fixture(provider, 'response.displayed');
		expect((await post(server.url, displayed, genuine(displayed))).status).toBe(200);
		expect([server.executions, server.problems]).toEqual([[], []]);

		expect((await post(server.url, body, forged())).status).toBe(401);
		expect(server.executions).toEqual([]);
		expect(server.problems.map((item) => item.json.problem)).toEqual(['authentication']);

		expect((await post(server.url, body, genuine())).status).toBe(200);
		expect((await post(server.url, body, genuine())).status).toBe(200); // Screeb's resend
		expect(server.executions).toHaveLength(1);
		expect(server.executions[0][0].json.eventType).toBe('response.ended');
		expect(server.problems).toHaveLength(1);
	});
});
