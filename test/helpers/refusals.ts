/**
 * The refusal catalogue's runner: each provider's test folder lists every reason its trigger
 * declines a delivery (test/<provider>/refusals.test.ts), and this checks each over real HTTP — the
 * provider gets the same answer in production and while the editor listens for a test event; the
 * test run shows one item saying why in plain words; production logs one line per workflow, node and
 * check a minute with the count since the previous line. No secret in any answer, item or line.
 */
import type { IDataObject } from 'n8n-workflow';

import { problemKindOf } from '../../nodes/shared/problems';
import { nowSeconds } from '../../scripts/lib/provider-signing';
import { providerEntry } from '../../scripts/lib/providers';
import { mainSample, pinClock } from './fixtures';
import type { Harness } from './n8n-context';
import {
	byProvider,
	serveProfile,
	SECRET,
	type Authenticated,
	type Profile,
} from './trigger-profiles';
import { post } from './webhook-server';

export interface RefusalCase {
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

export const signed = (body: string, timestamp?: () => string) => (profile: Profile) => ({
	body,
	auth: profile.authenticate(body, SECRET, timestamp?.()),
});
export const forged = (body: string) => (profile: Profile) => ({ body, auth: profile.forge() });
export const unsigned =
	(body: string, headers: Record<string, string> = {}, query = '') =>
	() => ({
		body,
		auth: { headers: { 'content-type': 'application/json', ...headers }, query },
	});
export const secondsAgo = (seconds: number) => String(Number(nowSeconds()) - seconds);

export const TOLERANCE =
	'Timestamp Tolerance is 300 s: check the clock of the n8n server, or raise Timestamp Tolerance in Options.';
export const ALREADY =
	'This signed delivery was already accepted: the same signature within Timestamp Tolerance starts no second run.';
export const notJson = (provider: string, reason: string) =>
	`The body is not a JSON object (${reason}). ${provider} sends JSON objects: a proxy may have changed the body, or the request did not come from ${provider}.`;

// Messages name the timestamp's age in seconds: the clock stands still while a case runs.
beforeEach(() => pinClock(Date.UTC(2026, 10, 29, 12, 0, 0)));
afterEach(() => jest.useRealTimers());

async function send(provider: string, testCase: RefusalCase, mode: Harness['mode']) {
	const base = byProvider(provider);
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
		const bytes =
			testCase.name === 'body not UTF-8' ? Buffer.from(body, 'latin1') : Buffer.from(body, 'utf8');
		const result = await post(`${server.url}${auth.query}`, bytes, auth.headers);
		return { result, executions: server.executions, problems: server.problems, harness };
	} finally {
		await server.close();
	}
}

/**
 * The cases every trigger with a timestamped signature and a registered signing secret has (Prolific,
 * Cint): a timestamp `staleSeconds` old, one `futureSeconds` ahead, and no secret stored yet.
 */
export function signedAndRegisteredCases(
	body: string,
	staleSeconds: number,
	futureSeconds: number,
): RefusalCase[] {
	return [
		{
			name: 'old timestamp',
			status: 401,
			check: 'stale',
			reason: 'timestamp is too old',
			request: signed(body, () => secondsAgo(staleSeconds)),
			message: `The timestamp is ${staleSeconds} s old and ${TOLERANCE}`,
		},
		{
			name: 'future timestamp',
			status: 401,
			check: 'future',
			reason: 'timestamp is in the future',
			request: signed(body, () => secondsAgo(-futureSeconds)),
			message: `The timestamp is ${futureSeconds} s in the future and ${TOLERANCE}`,
		},
		{
			name: 'not published yet',
			status: 401,
			check: 'setup',
			reason:
				'the trigger has no signing secret yet: publish the workflow again (activate it on n8n 1.x)',
			request: signed(body),
			setup: { staticData: {} },
			message:
				'The trigger has no signing secret yet: publish the workflow again (activate it on n8n 1.x).',
		},
	];
}

/** An event of the provider's main sample arriving at a trigger that selects another one (every provider has it). */
function notSelected(provider: string): RefusalCase {
	const entry = providerEntry(provider);
	return {
		name: 'event not selected',
		status: 200,
		check: 'not-selected',
		reason: 'event not selected in the trigger',
		request: signed(mainSample(provider)),
		setup: { parameters: { events: [entry.unselected] } },
		eventType: entry.event,
		message: `Event “${entry.eventOptions.find((option) => option.value === entry.event)!.name}” (${entry.event}) arrived but is not selected in Events.`,
	};
}

/** The catalogue of one provider's refusals (and the event it did not select), each checked in production and while listening. */
export function describeRefusals(provider: string, cases: RefusalCase[]) {
	describe.each([...cases, notSelected(provider)])('$name', (testCase) => {
		const answer =
			testCase.status === 200
				? { status: 'ignored', reason: testCase.reason }
				: { error: testCase.reason };

		const problem = (count: number) => ({
			provider,
			problem: problemKindOf(testCase.check),
			count,
			firstSeenAt: expect.stringMatching(/^20\d\d-\d\d-\d\dT/),
			lastSeenAt: expect.stringMatching(/^20\d\d-\d\d-\d\dT/),
			status: testCase.status,
			reason: testCase.reason,
			message: testCase.message,
			checks: { [testCase.check]: count },
			...(testCase.eventType ? { eventType: testCase.eventType } : {}),
		});

		it('answers the provider, runs nothing on the Event output, reports a refusal on Problems and logs why in production', async () => {
			const { result, executions, problems, harness } = await send(provider, testCase, 'webhook');
			expect(result).toEqual({ status: testCase.status, body: answer });
			expect(executions).toHaveLength(0);
			// An event not selected is normal traffic: reported only when asked for (problems.test.ts).
			expect(problems.map((item) => item.json)).toEqual(
				testCase.status === 200 ? [] : [{ ...problem(1), reportWindowMinutes: 10 }],
			);
			// An event not selected may be one the user wants: a rate-limited info line. Refusals warn.
			const level = testCase.status === 200 ? 'info' : 'warn';
			// Other lines (Prolific asks for a replaced secret, without a credential here) are not about the refusal.
			const lines = harness.logs.filter(
				(line) => line.level === level && line.message.includes(' in workflow '),
			);
			const verb =
				testCase.status === 200
					? 'ignored a delivery: '
					: `refused a delivery with HTTP ${testCase.status} (${testCase.reason}): `;
			const suffix = ' (count since the previous line: 1)';
			expect(lines.map((line) => line.message)).toEqual([
				`${byProvider(provider).node.description.displayName} "Trigger" in workflow "Survey follow-up" (${harness.workflowId}) ${verb}${testCase.message}${suffix}`,
			]);
			expect(JSON.stringify([result, harness.logs])).not.toContain(SECRET);
		});

		it(
			testCase.status === 200
				? 'answers the same while listening for a test event and starts nothing, so n8n keeps listening'
				: 'answers the same while listening for a test event, and the test run shows why on the Problems output only',
			async () => {
				const { result, executions, problems } = await send(provider, testCase, 'manual');
				expect(result).toEqual({ status: testCase.status, body: answer });
				expect(executions).toHaveLength(0);
				expect(problems.map((item) => item.json)).toEqual(
					testCase.status === 200 ? [] : [problem(1)],
				);
				expect(JSON.stringify(problems)).not.toContain(SECRET);
			},
		);
	});
}
