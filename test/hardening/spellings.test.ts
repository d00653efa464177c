/**
 * One signed event, one dedupeKey. Prolific's Python-form candidate lets several byte spellings of
 * one signed body verify (whitespace, escapes): each spelling of a captured delivery, sent where
 * the in-process replay memory does not see it (another webhook process, after a restart), carries
 * the dedupeKey of the original, so README's Remove Duplicates recipe stops it. A captured delivery
 * replayed with another X-Event-ID inside the timestamp window carries the original's replayKey.
 * Each "workflow" below is a fresh registration, as another webhook process is.
 */
import type { IDataObject } from 'n8n-workflow';

import { fixture } from '../helpers/fixtures';
import { byProvider, serveProfileEachTest } from '../helpers/trigger-profiles';
import { post } from '../helpers/webhook-server';

const serveProfile = serveProfileEachTest();
const profile = byProvider('prolific');
/** Prolific's documented body, in the form Python's json.dumps writes (what Prolific signs). */
const signedForm = fixture('prolific', 'submission.status.change');

/** The item a fresh registration (another process) makes of one delivery. */
async function itemOf(body: string, headers: Record<string, string>): Promise<IDataObject> {
	const { server } = await serveProfile(profile);
	const result = await post(server.url, body, headers);
	expect(result.status).toBe(200);
	expect(server.executions).toHaveLength(1);
	return server.executions[0][0].json;
}

describe('Prolific: every spelling of one signed event', () => {
	const signed = profile.authenticate(signedForm);
	const parsed = JSON.parse(signedForm) as Record<string, string>;
	const spellings = [
		JSON.stringify(parsed),
		JSON.stringify(parsed, null, 2),
		JSON.stringify(parsed).replace(/:/g, ' : '),
		signedForm.replace('"status"', '"\\u0073tatus"'),
		signedForm.replace('APPROVED', '\\u0041PPROVED'),
		` ${signedForm}\n`,
		signedForm.replace(/, /g, ',\t'),
		signedForm.replace('"participant_id"', '"participant\\u005fid"'),
	];

	it('carries the dedupeKey of the delivery Prolific sent', async () => {
		const original = await itemOf(signedForm, signed.headers);
		const keys = new Set<unknown>();
		for (const spelling of spellings) {
			expect(spelling).not.toBe(signedForm);
			keys.add((await itemOf(spelling, signed.headers)).dedupeKey);
		}
		expect([...keys]).toEqual([original.dedupeKey]);
	});

	it("a genuine retry (same X-Event-ID and body, signed again) shares it; another event's body does not", async () => {
		const original = await itemOf(signedForm, signed.headers);
		const retry = profile.authenticate(
			signedForm,
			undefined,
			String(Number(signed.headers['x-prolific-request-timestamp']) - 7),
		);
		const retried = await itemOf(signedForm, {
			...retry.headers,
			'x-event-id': signed.headers['x-event-id'],
		});
		expect(retried.dedupeKey).toBe(original.dedupeKey);
		const other = signedForm.replace('APPROVED', 'REJECTED');
		const otherSigned = profile.authenticate(other);
		const otherItem = await itemOf(other, {
			...otherSigned.headers,
			'x-event-id': signed.headers['x-event-id'],
		});
		expect(otherItem.dedupeKey).not.toBe(original.dedupeKey);
	});

	it('a replay with another X-Event-ID carries the replayKey of the original, a retry signed again does not', async () => {
		const original = await itemOf(signedForm, signed.headers);
		expect(original.replayKey).toMatch(/^[0-9a-f]{64}$/);
		const replayed = await itemOf(spellings[0], {
			...signed.headers,
			'x-event-id': 'evt-chosen-by-the-replayer',
		});
		expect(replayed.dedupeKey).not.toBe(original.dedupeKey);
		expect(replayed.replayKey).toBe(original.replayKey);
		const retry = profile.authenticate(
			signedForm,
			undefined,
			String(Number(signed.headers['x-prolific-request-timestamp']) - 7),
		);
		expect((await itemOf(signedForm, retry.headers)).replayKey).not.toBe(original.replayKey);
	});
});
