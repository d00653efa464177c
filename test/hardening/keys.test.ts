/**
 * Any string a survey author or a provider chooses can become a key of the item: `constructor`,
 * `toString`, `__proto__`, `hasOwnProperty`. Every answer must arrive as an own, enumerable
 * property, and no prototype may change.
 */
import type { IDataObject } from 'n8n-workflow';

import { cintEventName } from '../../nodes/CintTrigger/events';
import { fixture } from '../helpers/fixtures';
import { post } from '../helpers/webhook-server';
import { byProvider, serveProfile } from '../helpers/trigger-profiles';

export const PROTOTYPE_NAMES = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf', 'prototype'];

async function deliver(provider: string, body: string): Promise<IDataObject> {
	const profile = byProvider(provider);
	const { server } = await serveProfile(profile);
	try {
		const authenticated = profile.authenticate(body);
		const result = await post(server.url + authenticated.query, body, authenticated.headers);
		expect(result.status).toBe(200);
		expect(server.executions).toHaveLength(1);
		return server.executions[0][0].json;
	} finally {
		await server.close();
	}
}

/** Every name is an own, enumerable key holding its own value, on an ordinary object. */
function expectOwnKeys(object: unknown, expected: Record<string, unknown>) {
	expect(Object.getPrototypeOf(object)).toBe(Object.prototype);
	const record = object as Record<string, unknown>;
	for (const [key, value] of Object.entries(expected)) {
		expect(Object.prototype.propertyIsEnumerable.call(record, key)).toBe(true);
		expect(Object.getOwnPropertyDescriptor(record, key)?.value).toEqual(value);
	}
	expect(Object.keys(record)).toEqual(expect.arrayContaining(Object.keys(expected)));
}

it('Screeb keeps an answer to every question, whatever its title', async () => {
	const event = JSON.parse(fixture('screeb', 'response.ended'));
	event.payload.response.items = PROTOTYPE_NAMES.map((title, index) => ({
		question: { id: `q${index}`, type: 'text', title },
		answer: { fields: [{ id: `f${index}`, type: 'text', value: `answer ${index}`, text: `answer ${index}` }] },
	}));
	const item = await deliver('screeb', JSON.stringify(event));
	expectOwnKeys(item.answers, Object.fromEntries(PROTOTYPE_NAMES.map((title, index) => [title, `answer ${index}`])));
	expect((item.answerList as IDataObject[]).map((answer) => answer.question)).toEqual(PROTOTYPE_NAMES);
});

it('Poltio keeps an answer to every question, whatever its title', async () => {
	const event = JSON.parse(fixture('poltio', 'session-completed'));
	event.answers = PROTOTYPE_NAMES.map((question, index) => ({ question_id: index, question, answers: [{ answer_id: index, answer: `answer ${index}`, parent: null }] }));
	const item = await deliver('poltio', JSON.stringify(event));
	expectOwnKeys(item.answers, Object.fromEntries(PROTOTYPE_NAMES.map((title, index) => [title, [`answer ${index}`]])));
});

it('Cint keeps every change, whatever its object name, and its prototype stays put', async () => {
	const event = JSON.parse(fixture('cint', 'session-updated'));
	event.data.changes = PROTOTYPE_NAMES.map((name, index) => ({ object: name, new_value: index }));
	const item = await deliver('cint', JSON.stringify(event));
	expectOwnKeys(item.changes, Object.fromEntries(PROTOTYPE_NAMES.map((name, index) => [name, index])));

	const changelog = JSON.parse(fixture('cint', 'target-group-updated'));
	changelog.data.changes = PROTOTYPE_NAMES.map((name, index) => ({ object: `${name}_change`, new_value: index, old_value: null }));
	const shaped = await deliver('cint', JSON.stringify(changelog));
	expectOwnKeys(shaped.changes, Object.fromEntries(PROTOTYPE_NAMES.map((name, index) => [name, { new: index, old: null }])));
});

it('Cint maps no event type to a member of Object.prototype', () => {
	for (const name of PROTOTYPE_NAMES) expect(cintEventName(name)).toBeUndefined();
});

it('Refiner keeps every answer and attribute key', async () => {
	const event = JSON.parse(fixture('refiner', 'completed-survey'));
	// Object.fromEntries makes `__proto__` an own key, as JSON.parse does for a real delivery.
	const answers = Object.fromEntries(PROTOTYPE_NAMES.map((name, index) => [name, `answer ${index}`]));
	const body = JSON.stringify({ ...event, response: { ...event.response, data: answers }, attributes: answers });
	expect(body).toContain('"__proto__":"answer 2"');
	const item = await deliver('refiner', body);
	expectOwnKeys(item.answers, answers);
	expectOwnKeys(item.attributes, answers);
});

it('Prolific keeps metadata keys named like prototype members', async () => {
	const metadata = `{${PROTOTYPE_NAMES.map((name, index) => `"${name}": ${index}`).join(', ')}}`;
	const body = `{"resource_id": "st-1", "event_type": "study.status.change", "status": "ACTIVE", "metadata": ${metadata}}`;
	const item = await deliver('prolific', body);
	expectOwnKeys(item.metadata, JSON.parse(metadata));
});
