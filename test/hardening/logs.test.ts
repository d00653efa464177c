/**
 * Logs and test items stay readable whatever a request says: strings taken from it (event names,
 * body keys, errors about it) are cut to about 100 characters and every character that could break
 * or disguise a log line is escaped; an unexpected fault logs one line a minute, not one per request.
 * Over real HTTP.
 */
import { z } from 'zod';

import { printable } from '../../nodes/shared/log';
import { tolerate } from '../../nodes/shared/tolerate';
import { validatorOf } from '../../nodes/shared/validate';
import { byProvider, serveProfile } from '../helpers/trigger-profiles';
import { post } from '../helpers/webhook-server';

const HOSTILE = `\u001b[31mPAID\nINFO forged log line\u2028\u202e${'x'.repeat(1_000_000)}`;
/** Whether a text holds a character that breaks or disguises a log line. */
const CONTROL = {
	test: (text: string) =>
		[...text].some(
			(char) =>
				char.charCodeAt(0) < 0x20 ||
				(char >= '\u007f' && char <= '\u009f') ||
				['\u2028', '\u2029', '\u202e'].includes(char),
		),
};

it('an unselected event with a hostile 1 MB name reaches the problem report and the log escaped and cut', async () => {
	const profile = byProvider('prolific');
	const body = JSON.stringify({ resource_id: 'r1', event_type: HOSTILE, status: 'ACTIVE' });
	for (const reportUnselected of [true, false]) {
		const { server, harness } = await serveProfile(profile, { reportUnselected });
		harness.parameters.events = ['study.status.change'];
		try {
			const { headers } = profile.authenticate(body);
			expect((await post(server.url, body, headers)).status).toBe(200);
			const lines = harness.logs.map((line) => line.message);
			for (const text of [...lines, ...server.problems.map((item) => JSON.stringify(item.json))]) {
				expect(CONTROL.test(text)).toBe(false);
				expect(text.length).toBeLessThan(600);
			}
			expect(server.executions).toEqual([]);
			if (reportUnselected) {
				const item = server.problems[0].json;
				expect(item.eventType).toBe(
					`\\u001b[31mPAID\\u000aINFO forged log line\\u2028\\u202e${'x'.repeat(68)}…`,
				);
				expect(item.message).toContain('\\u000aINFO forged log line');
			} else {
				expect(server.problems).toEqual([]);
			}
			expect(lines.some((line) => line.includes('\\u001b[31mPAID'))).toBe(true);
		} finally {
			await server.close();
		}
	}
});

it('misfit warnings name body-chosen keys escaped and cut', () => {
	const validate = validatorOf(
		z.object({ scores: z.record(z.string(), z.number()) }).passthrough(),
	);
	const key = `bad\nkey\u001b${'k'.repeat(500)}`;
	const { warnings } = tolerate({ scores: { [key]: 'not a number', fine: 1 } }, validate);
	expect(warnings).toHaveLength(1);
	expect(CONTROL.test(warnings[0])).toBe(false);
	expect(warnings[0]).toContain(`scores.bad\\u000akey\\u001b${'k'.repeat(92)}…`);
	expect(warnings[0].length).toBeLessThan(200);
});

it('an unexpected fault (the credential was deleted) logs one error line a minute, however many requests', async () => {
	const profile = byProvider('screeb');
	const { server, harness } = await serveProfile(profile);
	harness.credentials = {};
	try {
		const body = '{"event_type":"response.ended"}';
		for (let i = 0; i < 20; i++)
			expect((await post(server.url, body, profile.authenticate(body).headers)).status).toBe(500);
		const errors = harness.logs.filter((line) => line.level === 'error');
		expect(errors).toHaveLength(1);
		expect(errors[0].message).toContain('Screeb Trigger could not process a delivery');
	} finally {
		await server.close();
	}
});

it('printable keeps ordinary text as it is', () => {
	expect(printable('submission.status.change')).toBe('submission.status.change');
	expect(printable('Café ☕ response')).toBe('Café ☕ response');
});

it('Screeb uses a short secret (its length is undocumented) and says once a minute that it is short', async () => {
	const profile = byProvider('screeb');
	const { server, harness } = await serveProfile(profile);
	harness.credentials = { screebWebhookApi: { secret: 'short-secret' } };
	try {
		const body = '{"event_type":"response.ended"}';
		for (let i = 0; i < 3; i++)
			expect(
				(await post(server.url, body, profile.authenticate(body, 'short-secret').headers)).status,
			).toBe(200);
		expect(server.executions).toHaveLength(3);
		const warnings = harness.logs.filter(
			(line) => line.level === 'warn' && line.message.includes('shorter than 16 characters'),
		);
		expect(warnings).toHaveLength(1);
		expect(warnings[0].message).not.toContain('short-secret');
	} finally {
		await server.close();
	}
});
