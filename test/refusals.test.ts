/**
 * Every reason a trigger declines a delivery, for all five, over real HTTP: the provider gets the
 * same answer in production and while the editor listens for a test event; the test run shows one
 * item saying why in plain words; production logs one warn line per workflow, node and check a
 * minute with the count since the previous line. No secret in any answer, item or line.
 */
import type { IDataObject } from 'n8n-workflow';

import { warnRateLimited } from '../nodes/shared/log';
import { fixture, mainSample, pinClock } from './helpers/fixtures';
import type { Harness } from './helpers/n8n-context';
import { nowSeconds } from '../scripts/lib/provider-signing';
import { PROVIDERS } from '../scripts/lib/providers';
import { byProvider, serveProfile, SECRET, type Authenticated, type Profile } from './helpers/trigger-profiles';
import { post } from './helpers/webhook-server';

interface Case {
	provider: string;
	name: string;
	status: number;
	check: string;
	reason: string;
	message: string;
	/** The request; `profile.authenticate` signs it as the provider documents. */
	request(profile: Profile): { body: string; auth: Authenticated };
	/** Changes to the profile's static data, credentials or parameters before the request. */
	setup?: { staticData?: IDataObject; credentials?: IDataObject; parameters?: IDataObject };
	eventType?: string;
}

const signed = (body: string, timestamp?: () => string) => (profile: Profile) => ({ body, auth: profile.authenticate(body, SECRET, timestamp?.()) });
const forged = (body: string) => (profile: Profile) => ({ body, auth: profile.forge() });
const unsigned = (body: string, headers: Record<string, string> = {}, query = '') => () => ({
	body,
	auth: { headers: { 'content-type': 'application/json', ...headers }, query },
});
const secondsAgo = (seconds: number) => String(Number(nowSeconds()) - seconds);

const prolificBody = fixture('prolific', 'submission.status.change');
const cintBody = fixture('cint', 'target-group-updated');
const screebBody = fixture('screeb', 'response.ended');
const refinerBody = fixture('refiner', 'completed-survey');
const poltioBody = fixture('poltio', 'session-completed');

const TOLERANCE = 'Timestamp Tolerance is 300 s: check the clock of the n8n server, or raise Timestamp Tolerance in Options.';
const ALREADY = 'This signed delivery was already accepted: the same signature within Timestamp Tolerance starts no second run.';
const notJson = (provider: string, reason: string) =>
	`The body is not a JSON object (${reason}). ${provider} sends JSON objects: a proxy may have changed the body, or the request did not come from ${provider}.`;

const CASES: Case[] = [
	// Prolific: the secret this trigger registered, a signature and a timestamp header.
	{
		provider: 'prolific', name: 'wrong secret', status: 401, check: 'mismatch', reason: 'signature does not match', request: forged(prolificBody),
		message: "The signature does not match the workspace's signing secret this trigger registered with Prolific (a secret replaced in Prolific is picked up at most every 10 minutes). Check that the study belongs to the credential's workspace and publish the workflow again; otherwise the request was not sent by Prolific.",
	},
	{
		provider: 'prolific', name: 'no signature', status: 401, check: 'missing', reason: 'missing x-prolific-request-signature header', request: unsigned(prolificBody),
		message: 'Missing x-prolific-request-signature header: Prolific always sends it, so the request did not come from Prolific, or a proxy removed it.',
	},
	{
		provider: 'prolific', name: 'no timestamp', status: 401, check: 'missing', reason: 'missing x-prolific-request-timestamp header',
		request: (profile) => {
			const { headers } = profile.authenticate(prolificBody);
			delete headers['x-prolific-request-timestamp'];
			return { body: prolificBody, auth: { headers, query: '' } };
		},
		message: 'Missing x-prolific-request-timestamp header: Prolific always sends it, so the request did not come from Prolific, or a proxy removed it.',
	},
	{
		provider: 'prolific', name: 'signature not base64', status: 401, check: 'malformed', reason: 'malformed x-prolific-request-signature header',
		request: unsigned(prolificBody, { 'x-prolific-request-signature': 'not-a-digest', 'x-prolific-request-timestamp': nowSeconds() }),
		message: 'Malformed x-prolific-request-signature header: Prolific does not send it in this form, so the request did not come from Prolific, or a proxy changed it.',
	},
	{
		provider: 'prolific', name: 'old timestamp', status: 401, check: 'stale', reason: 'timestamp is too old', request: signed(prolificBody, () => secondsAgo(612)),
		message: `The timestamp is 612 s old and ${TOLERANCE}`,
	},
	{
		provider: 'prolific', name: 'future timestamp', status: 401, check: 'future', reason: 'timestamp is in the future', request: signed(prolificBody, () => secondsAgo(-900)),
		message: `The timestamp is 900 s in the future and ${TOLERANCE}`,
	},
	{
		provider: 'prolific', name: 'not published yet', status: 401, check: 'setup', reason: 'the trigger has no signing secret yet: publish the workflow again', request: signed(prolificBody),
		setup: { staticData: {} }, message: 'The trigger has no signing secret yet: publish the workflow again.',
	},
	{ provider: 'prolific', name: 'body not an object', status: 400, check: 'body', reason: 'request body is not a JSON object', request: signed('[1,2]'), message: notJson('Prolific', 'request body is not a JSON object') },
	{
		provider: 'prolific', name: 'event not selected', status: 200, check: 'not-selected', reason: 'event not selected in the trigger', request: signed(prolificBody),
		setup: { parameters: { events: ['study.status.change'] } }, eventType: 'submission.status.change',
		message: 'Event `submission.status.change` arrived but is not selected in Events.',
	},

	// Cint: the secret this trigger registered, t and v1 in one header.
	{
		provider: 'cint', name: 'wrong secret', status: 401, check: 'mismatch', reason: 'signature does not match', request: forged(cintBody),
		message: 'The signature does not match the secret this trigger registered with Cint. If the webhook was changed in Cint or by another tool, publish the workflow again; otherwise the request was not sent by Cint.',
	},
	{
		provider: 'cint', name: 'no signature', status: 401, check: 'missing', reason: 'missing cint-signature header', request: unsigned(cintBody),
		message: 'Missing cint-signature header: Cint always sends it, so the request did not come from Cint, or a proxy removed it.',
	},
	{
		provider: 'cint', name: 'signature without v1', status: 401, check: 'malformed', reason: 'malformed cint-signature header', request: unsigned(cintBody, { 'cint-signature': `t=${nowSeconds()}` }),
		message: 'Malformed cint-signature header: Cint does not send it in this form, so the request did not come from Cint, or a proxy changed it.',
	},
	{
		provider: 'cint', name: 'timestamp not digits', status: 401, check: 'malformed', reason: 'malformed timestamp', request: unsigned(cintBody, { 'cint-signature': `t=yesterday,v1=${'ab'.repeat(32)}` }),
		message: 'Malformed timestamp: Cint does not send it in this form, so the request did not come from Cint, or a proxy changed it.',
	},
	{ provider: 'cint', name: 'old timestamp', status: 401, check: 'stale', reason: 'timestamp is too old', request: signed(cintBody, () => secondsAgo(301)), message: `The timestamp is 301 s old and ${TOLERANCE}` },
	{ provider: 'cint', name: 'future timestamp', status: 401, check: 'future', reason: 'timestamp is in the future', request: signed(cintBody, () => secondsAgo(-400)), message: `The timestamp is 400 s in the future and ${TOLERANCE}` },
	{
		provider: 'cint', name: 'not published yet', status: 401, check: 'setup', reason: 'the trigger has no signing secret yet: publish the workflow again', request: signed(cintBody),
		setup: { staticData: {} }, message: 'The trigger has no signing secret yet: publish the workflow again.',
	},
	{ provider: 'cint', name: 'empty body', status: 400, check: 'body', reason: 'request body is empty', request: signed(''), message: notJson('Cint', 'request body is empty') },
	{
		provider: 'cint', name: 'event not selected', status: 200, check: 'not-selected', reason: 'event not selected in the trigger', request: signed(cintBody),
		setup: { parameters: { events: ['session-updated'] } }, eventType: 'target-group-updated',
		message: 'Event `target-group-updated` arrived but is not selected in Events.',
	},

	// Screeb: the secret in the credential, one body signature header.
	{
		provider: 'screeb', name: 'wrong secret', status: 401, check: 'mismatch', reason: 'signature does not match', request: forged(screebBody),
		message: "The signature does not match the secret in credential 'My screebWebhookApi'. Copy the webhook secret again from Screeb › Integrations › Webhook.",
	},
	{
		provider: 'screeb', name: 'no signature', status: 401, check: 'missing', reason: 'missing x-screeb-hmac-signature-body header', request: unsigned(screebBody),
		message: 'Missing x-screeb-hmac-signature-body header: Screeb always sends it, so the request did not come from Screeb, or a proxy removed it.',
	},
	{
		provider: 'screeb', name: 'signature of another length', status: 401, check: 'malformed',
		reason: 'malformed x-screeb-hmac-signature-body header: 16 bytes, expected 32 (HMAC-SHA256) or 64 (HMAC-SHA512)',
		request: unsigned(screebBody, { 'x-screeb-hmac-signature-body': Buffer.alloc(16, 1).toString('base64') }),
		message: 'Malformed x-screeb-hmac-signature-body header: 16 bytes, expected 32 (HMAC-SHA256) or 64 (HMAC-SHA512): Screeb does not send it in this form, so the request did not come from Screeb, or a proxy changed it.',
	},
	{
		provider: 'screeb', name: 'another digest', status: 401, check: 'malformed', reason: 'unsupported x-screeb-hmac-digest',
		request: (profile) => {
			const auth = profile.authenticate(screebBody);
			return { body: screebBody, auth: { ...auth, headers: { ...auth.headers, 'x-screeb-hmac-digest': 'HMAC-MD5-HEX' } } };
		},
		message: 'Unsupported x-screeb-hmac-digest: Screeb does not send it in this form, so the request did not come from Screeb, or a proxy changed it.',
	},
	{
		provider: 'screeb', name: 'credential without secret', status: 401, check: 'setup', reason: 'the Screeb credential has no secret', request: signed(screebBody),
		setup: { credentials: { screebWebhookApi: { secret: '' } } },
		message: 'The Screeb credential has no secret. Paste the webhook secret from Screeb › Integrations › Webhook into the credential.',
	},
	{
		provider: 'screeb', name: 'body not JSON', status: 400, check: 'body', reason: 'request body is not valid JSON', message: notJson('Screeb', 'request body is not valid JSON'),
		// Sent as text: n8n itself answers 422 to a JSON content type it cannot parse.
		request: (profile) => {
			const body = '{"event_type":';
			const auth = profile.authenticate(body);
			return { body, auth: { ...auth, headers: { ...auth.headers, 'content-type': 'text/plain' } } };
		},
	},
	{
		provider: 'screeb', name: 'event not selected', status: 200, check: 'not-selected', reason: 'event not selected in the trigger', request: signed(screebBody),
		setup: { parameters: { events: ['response.answered'] } }, eventType: 'response.ended', message: 'Event `response.ended` arrived but is not selected in Events.',
	},

	// Refiner: the token in the credential, in any documented-plausible form.
	{
		provider: 'refiner', name: 'wrong token', status: 401, check: 'mismatch', reason: 'secret token missing or wrong', request: forged(refinerBody),
		message: "No header or ?token= carries the secret token of credential 'My refinerWebhookApi'. Copy the token again from Refiner › Integrations › Webhooks, or set Verification to None if you left it empty in Refiner.",
	},
	{
		provider: 'refiner', name: 'short token', status: 401, check: 'setup', reason: 'the Refiner secret token is shorter than 16 characters', request: unsigned(refinerBody, { 'x-refiner-token': 'tok-12345' }),
		setup: { credentials: { refinerWebhookApi: { secretToken: 'tok-12345' } } },
		message: 'The Refiner secret token is shorter than 16 characters. Every delivery is refused until it is longer. Set a longer token in Refiner and in the credential.',
	},
	{
		provider: 'refiner', name: 'credential without token', status: 401, check: 'setup', reason: 'the Refiner credential has no secret token', request: signed(refinerBody),
		setup: { credentials: { refinerWebhookApi: { secretToken: '' } } },
		message: 'The Refiner credential has no secret token. Set the secret token of Refiner › Integrations › Webhooks in the credential, or set Verification to None.',
	},
	{ provider: 'refiner', name: 'body a string', status: 400, check: 'body', reason: 'request body is not a JSON object', request: signed('"hello"'), message: notJson('Refiner', 'request body is not a JSON object') },
	{
		provider: 'refiner', name: 'event not selected', status: 200, check: 'not-selected', reason: 'event not selected in the trigger', request: signed(refinerBody),
		setup: { parameters: { events: ['Saw Survey'] } }, eventType: 'Completed Survey', message: 'Event `Completed Survey` arrived but is not selected in Events.',
	},

	// Poltio: the token this trigger put into the URL it registered.
	{
		provider: 'poltio', name: 'wrong token', status: 401, check: 'mismatch', reason: 'token does not match', request: forged(poltioBody),
		message: 'The URL token does not match the one this trigger registered with Poltio: the request was sent to an outdated or guessed URL. If Poltio still posts to an old URL, publish the workflow again.',
	},
	{
		provider: 'poltio', name: 'no token', status: 401, check: 'missing', reason: 'missing token', request: unsigned(poltioBody),
		message: 'Missing token: Poltio always sends it, so the request did not come from Poltio, or a proxy removed it.',
	},
	{
		provider: 'poltio', name: 'not published yet', status: 401, check: 'setup', reason: 'the trigger has no token yet: publish the workflow again', request: signed(poltioBody),
		setup: { staticData: {} }, message: 'The trigger has no token yet: publish the workflow again.',
	},
	{ provider: 'poltio', name: 'body not UTF-8', status: 400, check: 'body', reason: 'request body is not valid UTF-8', request: signed('{"a":"\xff"}'), message: notJson('Poltio', 'request body is not valid UTF-8') },
	{
		provider: 'poltio', name: 'event not selected', status: 200, check: 'not-selected', reason: 'event not selected in the trigger', request: signed(poltioBody),
		setup: { parameters: { events: ['session.incomplete'] } }, eventType: 'session.completed', message: 'Event `session.completed` arrived but is not selected in Events.',
	},
];

// Messages name the timestamp's age in seconds: the clock stands still while a case runs.
beforeEach(() => pinClock(Date.UTC(2026, 10, 29, 12, 0, 0)));
afterEach(() => jest.useRealTimers());

async function send(testCase: Case, mode: Harness['mode']) {
	const base = byProvider(testCase.provider);
	const profile: Profile = {
		...base,
		staticData: testCase.setup?.staticData ?? base.staticData,
		credentials: (testCase.setup?.credentials as Profile['credentials']) ?? base.credentials,
		parameters: { ...base.parameters, ...testCase.setup?.parameters },
	};
	const { server, harness } = await serveProfile(profile);
	harness.mode = mode;
	try {
		const { body, auth } = testCase.request(profile);
		// A body that is not valid UTF-8 is sent as the bytes written.
		const bytes = testCase.name === 'body not UTF-8' ? Buffer.from(body, 'latin1') : Buffer.from(body, 'utf8');
		const result = await post(`${server.url}${auth.query}`, bytes, auth.headers);
		return { result, executions: server.executions, harness };
	} finally {
		await server.close();
	}
}

describe.each(CASES)('$provider: $name', (testCase) => {
	const answer = testCase.status === 200 ? { status: 'ignored', reason: testCase.reason } : { error: testCase.reason };

	it('answers the provider, starts no run and logs why in production', async () => {
		const { result, executions, harness } = await send(testCase, 'webhook');
		expect(result).toEqual({ status: testCase.status, body: answer });
		expect(executions).toHaveLength(0);
		// An event not selected may be one the user wants: a rate-limited info line. Refusals warn.
		const level = testCase.status === 200 ? 'info' : 'warn';
		// Other lines (Prolific asks for a replaced secret, without a credential here) are not about the refusal.
		const lines = harness.logs.filter((line) => line.level === level && line.message.includes(' in workflow '));
		const verb = testCase.status === 200 ? 'ignored a delivery: ' : `refused a delivery with HTTP ${testCase.status} (${testCase.reason}): `;
		const suffix = ' (count since the previous line: 1)';
		expect(lines.map((line) => line.message)).toEqual([
			`${byProvider(testCase.provider).node.description.displayName} "Trigger" in workflow "Survey follow-up" (${harness.workflowId}) ${verb}${testCase.message}${suffix}`,
		]);
		expect(JSON.stringify([result, harness.logs])).not.toContain(SECRET);
	});

	it('answers the same while listening for a test event, and the test run shows why', async () => {
		const { result, executions } = await send(testCase, 'manual');
		expect(result).toEqual({ status: testCase.status, body: answer });
		expect(executions).toHaveLength(1);
		expect(executions[0].map((item) => item.json)).toEqual([
			{
				provider: testCase.provider,
				refused: true,
				status: testCase.status,
				check: testCase.check,
				reason: testCase.reason,
				message: testCase.message,
				...(testCase.eventType ? { eventType: testCase.eventType } : {}),
				receivedAt: expect.stringMatching(/^20\d\d-\d\d-\d\dT/),
			},
		]);
		expect(JSON.stringify(executions)).not.toContain(SECRET);
	});
});

describe('replays of a signed delivery', () => {
	const timestamped = PROVIDERS.filter((entry) => entry.covers.time).map((entry) => entry.provider);
	it.each(timestamped)('%s: the second copy is answered 200, with a test item saying why', async (provider) => {
		const profile = byProvider(provider);
		const { server, harness } = await serveProfile(profile);
		harness.mode = 'manual';
		try {
			const body = mainSample(provider);
			const { headers } = profile.authenticate(body);
			expect((await post(server.url, body, headers)).status).toBe(200);
			expect(await post(server.url, body, headers)).toEqual({ status: 200, body: { status: 'ignored', reason: 'this signed delivery was already accepted' } });
			expect(server.executions).toHaveLength(2);
			expect(server.executions[0][0].json.refused).toBeUndefined();
			expect(server.executions[1][0].json).toMatchObject({ refused: true, status: 200, check: 'replay', message: ALREADY });
		} finally {
			await server.close();
		}
	});
});

describe('refusal log lines in production', () => {
	it('100 forged deliveries write one line per workflow and check, and the next line counts them', async () => {
		const profile = byProvider('screeb');
		const { server, harness } = await serveProfile(profile);
		try {
			for (let i = 0; i < 100; i++) {
				expect((await post(server.url, screebBody, profile.forge().headers)).status).toBe(401);
			}
			expect((await post(server.url, screebBody, { 'content-type': 'application/json' })).status).toBe(401);
			const warnings = harness.logs.filter((line) => line.level === 'warn').map((line) => line.message);
			expect(warnings).toHaveLength(2);
			expect(warnings[0]).toContain('(signature does not match)');
			expect(warnings[0]).toMatch(/\(count since the previous line: 1\)$/);
			expect(warnings[1]).toContain('(missing x-screeb-hmac-signature-body header)');
			expect(server.executions).toHaveLength(0);
		} finally {
			await server.close();
		}
	});

	it('a line a minute per key, counting every refusal since the previous line', () => {
		const lines: string[] = [];
		const logger = { warn: (message: string) => lines.push(message) } as never;
		const start = 1_700_000_000_000;
		for (let i = 0; i < 100; i++) warnRateLimited(logger, 'refused\nwf-a\nTrigger\nmismatch', 'forged', start + i * 100);
		warnRateLimited(logger, 'refused\nwf-b\nTrigger\nmismatch', 'forged elsewhere', start + 200);
		warnRateLimited(logger, 'refused\nwf-a\nTrigger\nmismatch', 'forged', start + 60_000);
		expect(lines).toEqual([
			'forged (count since the previous line: 1)',
			'forged elsewhere (count since the previous line: 1)',
			'forged (count since the previous line: 100)',
		]);
	});
});
