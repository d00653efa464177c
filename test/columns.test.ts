/**
 * Answers as Columns: a survey response as one flat row, ready for a spreadsheet. Its rules
 * (columns.ts) first, then each survey trigger's row for a multi-question response, over real HTTP.
 */
import type { IDataObject } from 'n8n-workflow';

import { answersAsColumns, cellValue, numberText } from '../nodes/shared/columns';
import { fixture } from './helpers/fixtures';
import { byProvider, serveProfileEachTest } from './helpers/trigger-profiles';
import { post } from './helpers/webhook-server';

const serveProfile = serveProfileEachTest();
const FIXED = {
	provider: 'screeb',
	eventId: 'e1',
	dedupeKey: 'k1',
	eventType: 'response.ended',
	receivedAt: '2026-01-01T00:00:00.000Z',
};

describe('cell values', () => {
	it.each([
		['text', 'Faster exports', 'Faster exports'],
		['a number', 9, 9],
		['a boolean', true, true],
		['chosen options', ['Dashboards', 'Exports'], 'Dashboards, Exports'],
		['options with a blank and a null', ['A', '', null, 3], 'A, 3'],
		['nothing', null, null],
		['an object (as JSON text)', { a: 1 }, '{"a":1}'],
	])('%s', (_, value, cell) => {
		expect(cellValue(value)).toEqual(cell);
	});
});

describe('column names', () => {
	const row = (columns: Parameters<typeof answersAsColumns>[1]) => answersAsColumns(FIXED, columns);

	it('puts the package’s fields first and never lets a later column overwrite them', () => {
		const item = row({
			identifiers: [['email', 'a@example.com']],
			hiddenFields: { provider: 'mine', eventId: 'x' },
			response: [['responseId', 'r1']],
			answers: [{ question: 'receivedAt', value: 'yesterday' }],
		});
		expect(item).toEqual({
			...FIXED,
			email: 'a@example.com',
			'provider (2)': 'mine',
			'eventId (2)': 'x',
			responseId: 'r1',
			'receivedAt (2)': 'yesterday',
		});
		expect(Object.keys(item).slice(0, 5)).toEqual(Object.keys(FIXED));
	});

	it('numbers repeated titles, and a question titled like an identifier or hidden field', () => {
		const item = row({
			identifiers: [['email', 'a@example.com']],
			hiddenFields: { plan: 'pro' },
			response: [],
			answers: [
				{ question: 'Why?', value: 'one' },
				{ question: 'Why?', value: 'two' },
				{ question: 'Why? (2)', value: 'three' },
				{ question: 'email', value: 'b@example.com' },
				{ question: 'plan', value: 'basic' },
				{ question: '  ', value: 'untitled' },
			],
		});
		expect(item).toMatchObject({
			'Why?': 'one',
			'Why? (2)': 'two',
			'Why? (2) (2)': 'three',
			email: 'a@example.com',
			'email (2)': 'b@example.com',
			plan: 'pro',
			'plan (2)': 'basic',
			'Question 6': 'untitled',
		});
	});

	it('escapes titles n8n would drop, and keeps them apart from a title already escaped', () => {
		const item = row({
			identifiers: [],
			response: [],
			answers: [
				{ question: 'constructor', value: 1 },
				{ question: '__proto__', value: 2 },
				{ question: 'constructor_', value: 3 },
				{ question: 'prototype', value: 4 },
			],
		});
		expect(Object.getPrototypeOf(item)).toBe(Object.prototype);
		expect(item).toMatchObject({
			constructor_: 1,
			__proto___: 2,
			constructor__: 3,
			prototype_: 4,
		});
		expect(Object.keys(item)).toHaveLength(9);
	});

	it('gives 10 000 questions with one title 10 000 columns', () => {
		const answers = Array.from({ length: 10_000 }, (_, index) => ({ question: 'Q', value: index }));
		const item = row({ identifiers: [], response: [], answers });
		expect(Object.keys(item)).toHaveLength(10_005);
		expect(item['Q (10000)']).toBe(9999);
	});
});

const isCell = (value: unknown) =>
	value === null || ['string', 'number', 'boolean'].includes(typeof value);

describe.each([
	{
		provider: 'screeb',
		sample: fixture('screeb', 'response.ended'),
		row: {
			provider: 'screeb',
			eventType: 'response.ended',
			surveyId: '9b913c69-3daf-4a6e-a26d-042004fc7881',
			surveyName: 'Measure NPS',
			respondentId: 'samuel@screeb.app',
			email: 'samuel@screeb.app',
			name: 'Samuel Berthe',
			anonymousId: '2eb83fb4-b1b3-4e48-be48-a8fd9c4e5a7d',
			firstname: 'Samuel',
			lastname: 'Berthe',
			locale: 'en-US',
			support: 'desktop',
			timezone: -120,
			responseId: '5854a797-628c-4906-bb4c-da03e418cf47',
			respondedAt: '2021-07-29T13:44:59.831Z',
			completion: 'fully_completed',
			'How likely are you to recommend us?': 9,
			'Which features do you use?': 'Dashboards, Exports',
			'Would you join a beta?': true,
			'How can we improve your experience?': 'The new dashboard is buggy.',
		},
		rowV1: {
			provider: 'screeb',
			eventType: 'response.ended',
			surveyId: '9b913c69-3daf-4a6e-a26d-042004fc7881',
			surveyName: 'Measure NPS',
			userId: 'samuel@screeb.app',
			anonymousId: '2eb83fb4-b1b3-4e48-be48-a8fd9c4e5a7d',
			email: 'samuel@screeb.app',
			name: 'Samuel Berthe',
			firstname: 'Samuel',
			lastname: 'Berthe',
			'email (2)': 'samuel@screeb.app',
			locale: 'en-US',
			support: 'desktop',
			timezone: -120,
			responseId: '5854a797-628c-4906-bb4c-da03e418cf47',
			respondedAt: '2021-07-29T13:44:59.831Z',
			completion: 'fully_completed',
			'How likely are you to recommend us?': 9,
			'Which features do you use?': 'Dashboards, Exports',
			'Would you join a beta?': true,
			'How can we improve your experience?': 'The new dashboard is buggy.',
		},
	},
	{
		provider: 'refiner',
		sample: fixture('refiner', 'completed-survey-columns'),
		row: {
			provider: 'refiner',
			eventType: 'Completed Survey',
			surveyId: '34780fd0-2c11-11ec-8f58-7bd83b655011',
			surveyName: 'NPS Survey',
			respondentId: 'Your-User-ID',
			email: 'user@email.com',
			name: 'Jane Doe',
			contactUuid: '9205e5d0-f728-11ea-95d6-25411f8367ca',
			responseId: '18de5430-c64c-11ec-aa71-e1784a46b058',
			respondedAt: '2022-04-27T17:05:02.000Z',
			rating: 4,
			plan: 'Pro',
			features: 'Dashboards, Exports',
			anything_else: 'Faster exports, please',
		},
		rowV1: {
			provider: 'refiner',
			eventType: 'Completed Survey',
			surveyId: '34780fd0-2c11-11ec-8f58-7bd83b655011',
			surveyName: 'NPS Survey',
			contactUuid: '9205e5d0-f728-11ea-95d6-25411f8367ca',
			remoteId: 'Your-User-ID',
			email: 'user@email.com',
			displayName: 'Jane Doe',
			responseId: '18de5430-c64c-11ec-aa71-e1784a46b058',
			respondedAt: '2022-04-27T17:05:02.000000Z',
			rating: '4',
			plan: 'Pro',
			features: 'Dashboards, Exports',
			anything_else: 'Faster exports, please',
		},
	},
	{
		provider: 'poltio',
		sample: fixture('poltio', 'session-completed-columns'),
		row: {
			provider: 'poltio',
			eventType: 'session.completed',
			surveyId: '6caaa000-2bd8-4b28-8b9b-bfe1fca94f39',
			surveyName: null,
			respondentId: 1234,
			email: 'example@example.com',
			name: 'Name',
			contentType: 'content',
			customId: 'Example Custom ID',
			publisherUuid: 'Example Publisher ID ',
			phone: '+1231231234',
			responseId: '22ffdf18-1035-4e56-baa2-8327e3af5242',
			respondedAt: '2024-01-23T11:59:59.000Z',
			complete: true,
			result: 'Result Title',
			'How would you rate our app?': 4,
			'Which plan are you on?': 'Pro',
			'Which features do you use?': 'Dashboards, Exports',
			'Anything else?': 'Faster exports, please',
		},
		rowV1: {
			provider: 'poltio',
			eventType: 'session.completed',
			contentId: '6caaa000-2bd8-4b28-8b9b-bfe1fca94f39',
			contentType: 'content',
			userId: 1234,
			customId: 'Example Custom ID',
			publisherUuid: 'Example Publisher ID ',
			email: 'example@example.com',
			name: 'Name',
			phone: '+1231231234',
			responseId: '22ffdf18-1035-4e56-baa2-8327e3af5242',
			respondedAt: '2024-01-23T11:59:59.000000Z',
			complete: true,
			result: 'Result Title',
			'How would you rate our app?': '4',
			'Which plan are you on?': 'Pro',
			'Which features do you use?': 'Dashboards, Exports',
			'Anything else?': 'Faster exports, please',
		},
	},
])('$provider Trigger with Answers as Columns', ({ provider, sample, row, rowV1 }) => {
	const profile = byProvider(provider);
	const deliver = async (parameters: IDataObject, typeVersion = 2) => {
		const { server, harness } = await serveProfile(profile, {}, parameters);
		harness.node.typeVersion = typeVersion;
		const auth = profile.authenticate(sample);
		const result = await post(`${server.url}${auth.query}`, sample, {
			'content-type': 'application/json',
			...auth.headers,
		});
		expect(result.status).toBe(200);
		return server.executions[0][0].json;
	};

	it.each([
		[
			'makes one flat row: package fields, the common columns, the provider’s own, hidden fields, response, one column per question; numbers as numbers, a repeated value once',
			2,
		],
		['keeps a version 1 node’s row as it was', 1],
	])('%s', async (_, typeVersion) => {
		const item = await deliver({ answersAsColumns: true }, typeVersion);
		const { provider: rowProvider, eventType, ...rest } = typeVersion === 2 ? row : rowV1;
		const expected = {
			provider,
			eventId: expect.any(String),
			dedupeKey: expect.stringMatching(/^[0-9a-f]{64}$/),
			eventType,
			receivedAt: expect.any(String),
			...rest,
		};
		expect(rowProvider).toBe(provider);
		expect(item).toEqual(expected);
		expect(Object.keys(item)).toEqual(Object.keys(expected));
		expect(Object.values(item).filter((value) => !isCell(value))).toEqual([]);
	});

	it('is off by default, and Simplify off still gives the body as sent', async () => {
		expect(await deliver({})).toHaveProperty('answers', expect.any(Object));
		expect(await deliver({ simple: false, answersAsColumns: true })).toEqual(JSON.parse(sample));
	});
});

it('is offered by the three survey triggers only, shown when Simplify is on', () => {
	for (const provider of ['screeb', 'refiner', 'poltio', 'cint', 'prolific']) {
		const property = byProvider(provider).node.description.properties.find(
			(candidate) => candidate.name === 'answersAsColumns',
		);
		if (['cint', 'prolific'].includes(provider)) expect(property).toBeUndefined();
		else
			expect(property).toMatchObject({
				displayName: 'Answers as Columns',
				type: 'boolean',
				default: false,
				displayOptions: { show: { simple: [true] } },
			});
	}
});

it('the three survey triggers share the first columns of a row, by name and place, and one time format', async () => {
	const rows: IDataObject[] = [];
	for (const [provider, sample] of [
		['screeb', fixture('screeb', 'response.ended')],
		['refiner', fixture('refiner', 'completed-survey-columns')],
		['poltio', fixture('poltio', 'session-completed-columns')],
	]) {
		const profile = byProvider(provider);
		const { server } = await serveProfile(profile, {}, { answersAsColumns: true });
		const auth = profile.authenticate(sample);
		await post(`${server.url}${auth.query}`, sample, {
			'content-type': 'application/json',
			...auth.headers,
		});
		rows.push(server.executions[0][0].json);
	}
	for (const item of rows) {
		expect(Object.keys(item).slice(5, 10)).toEqual([
			'surveyId',
			'surveyName',
			'respondentId',
			'email',
			'name',
		]);
		expect(item.respondedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
		expect(item).toHaveProperty('responseId');
		expect(Object.keys(item).filter((key) => / \(\d+\)$/.test(key))).toEqual([]);
	}
});

describe('answers sent as text that are numbers', () => {
	it.each([
		['4', 4],
		['9.5', 9.5],
		['-1', -1],
		['0', 0],
		['007', '007'],
		['1e3', '1e3'],
		['4 stars', '4 stars'],
		['12345678901234567890', '12345678901234567890'],
		['', ''],
		[' 4', ' 4'],
	])('%j becomes %j', (text, value) => {
		expect(numberText(text)).toEqual(value);
	});
});
