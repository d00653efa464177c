/**
 * The tolerant reader: a verified delivery is never lost to our schema. The encodings providers
 * commonly use for the same thing arrive normalised and without warnings; whatever still does not
 * fit is left out of the shaped item, named in `warnings`, kept whole in `body`, and logged once.
 */
import { createHmac } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

import { fixture } from '../helpers/fixtures';
import { byProvider, serveProfile, SECRET } from '../helpers/trigger-profiles';
import { post } from '../helpers/webhook-server';
import { deleteAt, setAt, type JsonObject } from '../../scripts/lib/json-tree';
import { PROVIDERS } from '../../scripts/lib/providers';

async function deliver(
	provider: string,
	body: string,
	options: { events?: string[]; headers?: Record<string, string> } = {},
) {
	const profile = byProvider(provider);
	const configured = options.events
		? { ...profile, parameters: { ...profile.parameters, events: options.events } }
		: profile;
	const { server, harness } = await serveProfile(configured);
	try {
		const authenticated = profile.authenticate(body);
		const result = await post(server.url + authenticated.query, body, {
			...authenticated.headers,
			...options.headers,
		});
		return {
			status: result.status,
			response: result.body,
			items: server.executions.map((execution) => execution[0].json),
			logs: harness.logs,
		};
	} finally {
		await server.close();
	}
}

const edit = (provider: string, name: string, change: (event: JsonObject) => void) => {
	const event = JSON.parse(fixture(provider, name));
	change(event);
	return JSON.stringify(event);
};

describe('common encodings arrive normalised, without warnings', () => {
	it.each<[string, string, string, (event: JsonObject) => void, IDataObject]>([
		[
			'poltio',
			'session-completed',
			'result: []',
			(e) => setAt(e, 'result', []),
			{ result: { id: null, title: null } },
		],
		[
			'poltio',
			'session-completed',
			'numeric answer values',
			(e) => setAt(e, 'answers.0.answers.0.answer', 42),
			{ answers: { 'Example Question Title': ['42'] } },
		],
		[
			'poltio',
			'session-completed',
			'complete_session as "1"',
			(e) => setAt(e, 'complete_session', '1'),
			{ eventType: 'session.completed' },
		],
		[
			'refiner',
			'completed-survey',
			'response.data: []',
			(e) => setAt(e, 'response.data', []),
			{ answers: {} },
		],
		[
			'refiner',
			'completed-survey',
			'attributes: []',
			(e) => setAt(e, 'attributes', []),
			{ attributes: {} },
		],
		[
			'refiner',
			'completed-survey',
			'form: []',
			(e) => setAt(e, 'form', []),
			{ survey: { uuid: null, name: null } },
		],
		[
			'refiner',
			'completed-survey',
			'show_counter as a string',
			(e) => setAt(e, 'response.show_counter', '3'),
			{ response: expect.objectContaining({ showCounter: 3 }) },
		],
		[
			'screeb',
			'response.ended',
			'hidden_fields: []',
			(e) => setAt(e, 'payload.response.hidden_fields', []),
			{ response: expect.objectContaining({ hiddenFields: {} }) },
		],
		[
			'screeb',
			'response.ended',
			'scenario_version as a string',
			(e) => setAt(e, 'payload.survey.scenario_version', '9'),
			{ survey: expect.objectContaining({ scenarioVersion: 9 }) },
		],
		[
			'prolific',
			'study.status.change',
			'metadata: []',
			(e) => setAt(e, 'metadata', []),
			{ metadata: {} },
		],
		[
			'prolific',
			'submission.status.change',
			'a numeric resource_id',
			(e) => setAt(e, 'resource_id', 4711),
			{ resourceId: '4711', submissionId: '4711' },
		],
		[
			'prolific',
			'submission.status.change',
			'a status event without status',
			(e) => deleteAt(e, 'status'),
			{ status: null },
		],
		[
			'cint',
			'session-updated',
			'an envelope without time',
			(e) => deleteAt(e, 'time'),
			{ occurredAt: null },
		],
		[
			'cint',
			'session-updated',
			'data.sequence_number as a string',
			(e) => setAt(e, 'data.sequence_number', '5'),
			{ sequenceNumber: 5 },
		],
		[
			'cint',
			'session-updated',
			'optional fields as null',
			(e) => setAt(e, 'source', null),
			{ eventType: 'session-updated' },
		],
	])('%s: %s (%s)', async (provider, name, _what, change, expected) => {
		const { status, items } = await deliver(provider, edit(provider, name, change));
		expect(status).toBe(200);
		expect(items).toHaveLength(1);
		expect(items[0]).toMatchObject(expected);
		expect(items[0]).not.toHaveProperty('warnings');
		expect(items[0]).not.toHaveProperty('body');
	});
});

describe('what does not fit is delivered with warnings and the untouched body', () => {
	it.each<[string, string, (event: JsonObject) => void, string[], IDataObject]>([
		[
			'screeb',
			'response.ended',
			(e) => setAt(e, 'payload.survey', 'Measure NPS'),
			['payload.survey: Expected object, received string (left out)'],
			{ survey: { id: null, name: null, scenarioId: null, scenarioVersion: null } },
		],
		[
			'poltio',
			'session-completed',
			(e) => setAt(e, 'answers', { first: 'yes' }),
			['answers: Expected array, received object (left out)'],
			{ answers: {}, eventType: 'session.completed' },
		],
		[
			'refiner',
			'completed-survey',
			(e) => setAt(e, 'segments', 'VIP'),
			['segments: Expected array, received string (left out)'],
			{ segments: [] },
		],
		[
			'cint',
			'session-updated',
			(e) =>
				setAt(e, 'data.changes', [
					{ object: ['respondent'] },
					{ object: 'client_status_code_change', new_value: 3 },
				]),
			[
				'data.changes.0.object: Expected string, received array (left out)',
				'data.changes.0: Required at data.changes.0.object (left out)',
			],
			{ changes: { client_status_code: 3 } },
		],
		[
			'prolific',
			'study.status.change',
			(e) => setAt(e, 'metadata', 'none'),
			['metadata: Expected object, received string (left out)'],
			{ metadata: null, status: 'AWAITING REVIEW' },
		],
	])('%s: %s', async (provider, name, change, warnings, expected) => {
		const body = edit(provider, name, change);
		const { status, items, logs } = await deliver(provider, body);
		expect(status).toBe(200);
		expect(items).toHaveLength(1);
		expect(items[0]).toMatchObject({ ...expected, warnings, body: JSON.parse(body) });
		expect(items[0].eventId).toEqual(expect.any(String));
		const warned = logs.filter((line) => line.level === 'warn');
		expect(warned).toHaveLength(1);
		expect(warned[0].message).toContain(
			'delivered a verified event that does not fit the documented payload, with warnings: ',
		);
		expect(warned[0].message).toContain(warnings[0]);
		expect(JSON.stringify(logs)).not.toContain(SECRET);
	});

	it('logs at most one line a minute per workflow, however many misfits arrive', async () => {
		const profile = byProvider('prolific');
		const { server, harness } = await serveProfile(profile);
		try {
			for (let i = 0; i < 25; i++) {
				const body = `{"resource_id":"r${i}","event_type":"study.status.change","status":"ACTIVE","metadata":"none"}`;
				expect((await post(server.url, body, profile.authenticate(body).headers)).status).toBe(200);
			}
			expect(server.executions).toHaveLength(25);
			expect(harness.logs.filter((line) => line.level === 'warn')).toHaveLength(1);
		} finally {
			await server.close();
		}
	});

	it('still refuses a body that is not a JSON object', async () => {
		for (const body of ['[{"event_type":"study.status.change"}]', '"text"', '42', 'null']) {
			const { status, response, items } = await deliver('prolific', body);
			expect([status, response, items]).toEqual([
				400,
				{ error: 'request body is not a JSON object' },
				[],
			]);
		}
	});
});

describe('events whose type cannot be read', () => {
	it.each(PROVIDERS)('$provider: run only when every event is selected', async (entry) => {
		const body = edit(entry.provider, entry.samples[entry.event], (e) =>
			deleteAt(e, entry.typeField),
		);
		const partial = await deliver(entry.provider, body, { events: [entry.event] });
		expect([partial.status, partial.items]).toEqual([200, []]);
		const every = await deliver(entry.provider, body);
		expect(every.status).toBe(200);
		expect(every.items).toHaveLength(1);
		expect(every.items[0]).toMatchObject({ eventType: 'unknown', eventId: expect.any(String) });
	});

	it('a readable type the trigger does not know stays ignored unless All Events is chosen', async () => {
		const body = edit('prolific', 'study.status.change', (e) =>
			setAt(e, 'event_type', 'study.archived'),
		);
		expect((await deliver('prolific', body)).items).toEqual([]);
		const refiner = edit('refiner', 'completed-survey', (e) =>
			setAt(e, 'triggered_event', 'User Entered Segment'),
		);
		expect(
			(await deliver('refiner', refiner, { events: ['Completed Survey', 'Saw Survey'] })).items,
		).toEqual([]);
		expect((await deliver('refiner', refiner, { events: ['*'] })).items).toHaveLength(1);
	});
});

describe('signatures as they may really arrive', () => {
	const screebBody = fixture('screeb', 'response.ended');

	it('Screeb: a 64-byte body signature is checked as HMAC-SHA512 (the length Screeb’s own example has)', async () => {
		const sha512 = createHmac('sha512', SECRET).update(screebBody).digest('base64');
		expect(Buffer.from(sha512, 'base64')).toHaveLength(64);
		const accepted = await deliver('screeb', screebBody, {
			headers: { 'x-screeb-hmac-signature-body': sha512 },
		});
		expect([accepted.status, accepted.items.length]).toEqual([200, 1]);
		const wrong = createHmac('sha512', 'another-secret').update(screebBody).digest('base64');
		const refused = await deliver('screeb', screebBody, {
			headers: { 'x-screeb-hmac-signature-body': wrong },
		});
		expect([refused.status, refused.response]).toEqual([
			401,
			{ error: 'signature does not match' },
		]);
	});

	it('Screeb: a signature of neither length says so', async () => {
		const sixteen = Buffer.alloc(16, 1).toString('base64');
		const refused = await deliver('screeb', screebBody, {
			headers: { 'x-screeb-hmac-signature-body': sixteen },
		});
		expect(refused.response).toEqual({
			error:
				'malformed x-screeb-hmac-signature-body header: 16 bytes, expected 32 (HMAC-SHA256) or 64 (HMAC-SHA512)',
		});
	});

	it('Refiner: a "Token <value>" authorization and an upper-case hex digest are accepted', async () => {
		const body = fixture('refiner', 'completed-survey');
		const token = await deliver('refiner', body, {
			headers: { 'x-refiner-token': '', authorization: `Token ${SECRET}` },
		});
		expect(token.items[0]?.verification).toEqual({
			method: 'token token',
			header: 'authorization',
		});
		const upper = createHmac('sha256', SECRET).update(body).digest('hex').toUpperCase();
		const hex = await deliver('refiner', body, {
			headers: { 'x-refiner-token': '', 'x-refiner-signature': upper },
		});
		expect(hex.items[0]?.verification).toEqual({
			method: 'hmac-sha256 hex',
			header: 'x-refiner-signature',
		});
	});

	it('Cint: signature elements other than t and v1 are ignored, even with "=" in them', async () => {
		const profile = byProvider('cint');
		const body = fixture('cint', 'quota-fill-registered');
		const header = profile.authenticate(body).headers['cint-signature'];
		const { server } = await serveProfile(profile);
		try {
			const result = await post(server.url, body, {
				'content-type': 'application/json',
				'cint-signature': `${header},v0=YWJjZA==,scheme=next`,
			});
			expect(result.status).toBe(200);
			expect(server.executions).toHaveLength(1);
		} finally {
			await server.close();
		}
	});
});

it('Screeb: a version field of any shape is read without failing (found by the schema property test)', async () => {
	const body = edit('screeb', 'response.displayed', (e) => setAt(e, 'version', { toString: null }));
	const { status, items } = await deliver('screeb', body);
	expect(status).toBe(200);
	expect(items[0]).toMatchObject({
		eventType: 'response.displayed',
		warnings: ['version: Expected string, received object (left out)'],
	});
});

describe('Screeb v1.3.0 deliveries carry the right ids', () => {
	it('maps correlation_id to id on question and answer field, and respondent id/alias to the user', async () => {
		const legacy = {
			event_id: 'legacy-1',
			event_type: 'response.answered',
			version: '1.3.0',
			payload: {
				respondent: { id: 'resp-anon-42', alias: 'customer-7', email: 'c7@example.test' },
				response: {
					correlation_id: 'response-9',
					question: {
						correlation_id: 'question-3',
						id: 'old-question-id',
						type: 'nps',
						title: 'How likely…?',
					},
					answer: {
						field: { correlation_id: 'field-5', id: 'old-field-id', type: 'number', value: '9' },
					},
				},
			},
		};
		const { items } = await deliver('screeb', JSON.stringify(legacy));
		expect(items[0]).toMatchObject({
			response: expect.objectContaining({ id: 'response-9' }),
			question: { id: 'question-3', type: 'nps', title: 'How likely…?' },
			answer: expect.objectContaining({ value: 9 }),
			user: expect.objectContaining({
				anonymousId: 'resp-anon-42',
				userId: 'customer-7',
				email: 'c7@example.test',
			}),
		});
		expect(items[0]).not.toHaveProperty('warnings');
	});
});

describe('a body with many misfitting list items', () => {
	it('keeps every fitting item, in order, while at most 100 do not fit', async () => {
		const event = JSON.parse(fixture('refiner', 'completed-survey'));
		event.segments = Array.from({ length: 200 }, (_, index) =>
			index % 2 ? `bad ${index}` : { uuid: `s${index}`, name: `Segment ${index}` },
		);
		const { status, items, logs } = await deliver('refiner', JSON.stringify(event));
		expect(status).toBe(200);
		const [item] = items;
		expect((item.segments as string[]).length).toBe(100);
		expect((item.segments as string[]).slice(0, 2)).toEqual(['Segment 0', 'Segment 2']);
		const warnings = item.warnings as string[];
		expect(warnings).toHaveLength(100);
		expect(warnings[0]).toBe('segments.1: Expected object, received string (left out)');
		expect((item.body as { segments: unknown[] }).segments).toHaveLength(200);
		expect(logs.filter((line) => line.level === 'warn')).toHaveLength(1);
	});

	it('leaves a list out whole, in one warning, once more than 100 of its items do not fit; body keeps it', async () => {
		const event = JSON.parse(fixture('refiner', 'completed-survey'));
		event.segments = Array.from({ length: 40_000 }, (_, index) =>
			index % 2 ? `bad ${index}` : { uuid: `s${index}`, name: `Segment ${index}` },
		);
		const { status, items, logs } = await deliver('refiner', JSON.stringify(event));
		expect(status).toBe(200);
		const [item] = items;
		expect(item.segments).toEqual([]);
		expect(item.warnings).toEqual([
			'segments: more than 100 of its 40000 items do not fit (left out)',
		]);
		expect(item.answers).toEqual(JSON.parse(fixture('refiner', 'completed-survey')).response.data);
		expect((item.body as { segments: unknown[] }).segments).toHaveLength(40_000);
		expect(logs.filter((line) => line.level === 'warn')).toHaveLength(1);
	});
});
