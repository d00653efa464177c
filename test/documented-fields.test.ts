/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- Node-side code (tests, emulators, scripts), never loaded by n8n */
/**
 * Simplify may rename, regroup and convert, never drop: every field of each provider's own sample
 * payload (test/fixtures/documented, sources in its SOURCES.md) reaches the Simplified item, sent
 * over real HTTP to the trigger. The rules below are the reviewed list of what the check allows.
 */
import { readdirSync, readFileSync } from 'fs';
import path from 'path';
import type { IDataObject } from 'n8n-workflow';

import { cintEventName } from '../nodes/Cint/events';
import { PROVIDERS } from '../scripts/lib/providers';
import { mainSample } from './helpers/fixtures';
import { missingFields, type CoverageRules } from './helpers/field-coverage';
import { byProvider, serveProfileEachTest } from './helpers/trigger-profiles';
import { post } from './helpers/webhook-server';

const DOCUMENTED = path.join(__dirname, 'fixtures', 'documented');
const serveProfile = serveProfileEachTest();

const valuesOf = (value: unknown): unknown[] =>
	typeof value === 'object' && value !== null ? Object.values(value) : [];

/** What each provider's item may call a field, and what it may leave out (with why). */
const RULES: Record<string, CoverageRules> = {
	screeb: {
		aliases: {
			time: ['occurredAt'],
			time_ms: ['occurredAt', 'time'],
			scenario_time_ms: ['scenarioTime'],
			replied_at_ms: ['repliedAt'],
			group_names: ['groups'],
			time_to_complete_second: ['durationSeconds'],
			// A question's id and title, in the answer list.
			id: ['questionId'],
			title: ['question'],
		},
	},
	refiner: {
		aliases: { triggered_event: ['eventType'], data: ['answers'] },
	},
	poltio: {
		aliases: {
			poltio_user_id: ['userId'],
			session_id: ['id'],
			session_start_date: ['startedAt'],
			session_end_date: ['endedAt'],
			event_time: ['occurredAt'],
			content_type: ['type'],
			content_id: ['id'],
			complete_session: ['complete'],
			answer_id: ['id'],
			result_id: ['id'],
			result_title: ['title'],
			result_image: ['image'],
			result_desc: ['description'],
			right_answer: ['rightAnswers'],
		},
	},
	cint: {
		transport: {
			specversion: 'CloudEvents version of the envelope, always 1.0',
			datacontenttype: 'the envelope’s content type, always application/json',
			dataschema: 'the JSON Schema the data follows, the same for every event of a type',
		},
		aliases: { id: ['eventId', 'changelogId'], time: ['occurredAt'], occurred_at: ['changedAt'] },
		equivalent: {
			// com.cint.target-group.updated is the subscription event target-group-updated.
			type: (value, item) => item.eventType === cintEventName(value as string),
			// Changes are keyed by what changed: `filling_goal_change` → changes.filling_goal.
			'data.changes[].object': (value, item) =>
				Object.keys((item.changes as object) ?? {}).includes(String(value).replace(/_change$/, '')),
			'data.changes[].new_value': (value, item) =>
				valuesOf(item.changes).some(
					(change) => change === value || (change as IDataObject)?.new === value,
				),
		},
	},
	prolific: { aliases: {} },
};

const SAMPLES = readdirSync(DOCUMENTED)
	.filter((file) => file.endsWith('.json'))
	.map((file) => ({ file, provider: file.split('.')[0] }));

async function simplifiedItem(provider: string, body: string): Promise<IDataObject> {
	const profile = byProvider(provider);
	const { server } = await serveProfile(profile);
	const auth = profile.authenticate(body);
	const result = await post(`${server.url}${auth.query}`, body, {
		'content-type': 'application/json',
		...auth.headers,
	});
	expect(result.status).toBe(200);
	expect(server.executions).toHaveLength(1);
	return server.executions[0][0].json;
}

it('holds a documented sample of every provider', () => {
	expect(new Set(SAMPLES.map((sample) => sample.provider))).toEqual(new Set(Object.keys(RULES)));
});

describe.each(SAMPLES)('$file', ({ file, provider }) => {
	const body = readFileSync(path.join(DOCUMENTED, file), 'utf8');

	it('every documented field reaches the Simplified item', async () => {
		const item = await simplifiedItem(provider, body);
		expect(item.warnings).toBeUndefined();
		expect(missingFields(JSON.parse(body), item, RULES[provider])).toEqual([]);
	});
});

describe('the check itself', () => {
	it('names the fields an item drops', async () => {
		const body = readFileSync(path.join(DOCUMENTED, 'screeb.response.ended.json'), 'utf8');
		const item = await simplifiedItem('screeb', body);
		const survey = item.survey as IDataObject;
		delete survey.scenarioTime;
		delete (item.response as IDataObject).time;
		expect(missingFields(JSON.parse(body), item, RULES.screeb)).toEqual([
			'payload.survey.scenario_time',
			'payload.survey.scenario_time_ms',
			'payload.response.time',
			'payload.response.time_ms',
		]);
	});

	it('finds a null field by its name alone, and an instant in any writing', () => {
		const sent = {
			first_data_reception_at: null,
			time_ms: 1627566309325,
			at: '2021-07-29T13:45:09.325344042Z',
		};
		expect(missingFields(sent, {})).toEqual(['first_data_reception_at', 'time_ms', 'at']);
		expect(
			missingFields(sent, {
				firstDataReceptionAt: null,
				timeMs: '2021-07-29T13:45:09.325Z',
				at: '2021-07-29T13:45:09.325Z',
			}),
		).toEqual([]);
		expect(
			missingFields(sent, {
				firstDataReceptionAt: null,
				timeMs: '2021-07-29T13:45:09.326Z',
				at: 'x',
			}),
		).toEqual(['time_ms', 'at']);
	});
});

/**
 * The item each provider's registry entry documents for its main sample (README, docs, the e2e
 * suite compares n8n's item with it): the item the trigger makes, so a change to shaping shows here
 * first, not in n8n.
 */
describe.each(PROVIDERS)('$provider registry sample item', (entry) => {
	it('is what the trigger makes of its main sample', async () => {
		const body = mainSample(entry.provider);
		const item = await simplifiedItem(entry.provider, body);
		// The event id, how it was verified and the workspace depend on the delivery and the
		// registration (the e2e suite's), not on the body.
		const exact = { ...(entry.sampleItem.exact as IDataObject) };
		for (const key of ['eventId', 'verification', 'workspaceId']) delete exact[key];
		expect(item).toEqual(
			expect.objectContaining({
				...exact,
				...Object.fromEntries(
					Object.entries(entry.sampleItem.contains ?? {}).map(([key, value]) => [
						key,
						expect.objectContaining(value),
					]),
				),
			}),
		);
	});
});
