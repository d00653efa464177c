/**
 * Any string a survey author or a provider chooses can become a key of the item: `constructor`,
 * `toString`, `__proto__`, `hasOwnProperty`. Every answer must arrive as an own, enumerable
 * property, no prototype may change, and every key must survive n8n's own copy of the item
 * (n8n-workflow's deepCopy drops `__proto__`, `constructor` and `prototype`): those three, and such
 * a name followed by underscores, carry one more `_` (README, "Keys n8n would drop").
 */
import type { IDataObject } from 'n8n-workflow';
import { deepCopy } from 'n8n-workflow';

import { cintEventName } from '../../nodes/Cint/events';
import { fixture } from '../helpers/fixtures';
import { post } from '../helpers/webhook-server';
import { byProvider, serveProfile } from '../helpers/trigger-profiles';

export const PROTOTYPE_NAMES = [
	'constructor',
	'toString',
	'__proto__',
	'hasOwnProperty',
	'valueOf',
	'prototype',
	'constructor_',
];
/** The same names as items carry them: the documented form, written out. */
const AS_ITEM_KEYS = [
	'constructor_',
	'toString',
	'__proto___',
	'hasOwnProperty',
	'valueOf',
	'prototype_',
	'constructor__',
];
const keyed = (value: (index: number) => unknown) =>
	Object.fromEntries(AS_ITEM_KEYS.map((key, index) => [key, value(index)]));

async function deliver(provider: string, body: string): Promise<IDataObject> {
	const profile = byProvider(provider);
	const { server } = await serveProfile(profile);
	try {
		const authenticated = profile.authenticate(body);
		const result = await post(server.url + authenticated.query, body, authenticated.headers);
		expect(result.status).toBe(200);
		expect(server.executions).toHaveLength(1);
		const item = server.executions[0][0].json;
		// What the workflow's next node sees: n8n's own copy keeps every key.
		expect(deepCopy(item)).toEqual(item);
		return item;
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
		answer: {
			fields: [
				{ id: `f${index}`, type: 'text', value: `answer ${index}`, text: `answer ${index}` },
			],
		},
	}));
	const item = await deliver('screeb', JSON.stringify(event));
	expectOwnKeys(
		item.answers,
		keyed((index) => `answer ${index}`),
	);
	expect((item.answerList as IDataObject[]).map((answer) => answer.question)).toEqual(
		PROTOTYPE_NAMES,
	);
});

it('Poltio keeps an answer to every question, whatever its title', async () => {
	const event = JSON.parse(fixture('poltio', 'session-completed'));
	event.answers = PROTOTYPE_NAMES.map((question, index) => ({
		question_id: index,
		question,
		answers: [{ answer_id: index, answer: `answer ${index}`, parent: null }],
	}));
	const item = await deliver('poltio', JSON.stringify(event));
	expectOwnKeys(
		item.answers,
		keyed((index) => [`answer ${index}`]),
	);
});

it('Cint keeps every change, whatever its object name, and its prototype stays put', async () => {
	const event = JSON.parse(fixture('cint', 'session-updated'));
	event.data.changes = PROTOTYPE_NAMES.map((name, index) => ({ object: name, new_value: index }));
	const item = await deliver('cint', JSON.stringify(event));
	expectOwnKeys(
		item.changes,
		keyed((index) => index),
	);

	const changelog = JSON.parse(fixture('cint', 'target-group-updated'));
	changelog.data.changes = PROTOTYPE_NAMES.map((name, index) => ({
		object: `${name}_change`,
		new_value: index,
		old_value: null,
	}));
	const shaped = await deliver('cint', JSON.stringify(changelog));
	expectOwnKeys(
		shaped.changes,
		keyed((index) => ({ new: index, old: null })),
	);
});

it('Cint maps no event type to a member of Object.prototype: a type named like one stays that name', () => {
	for (const name of PROTOTYPE_NAMES) {
		expect(cintEventName(name)).toBe(name);
		expect(cintEventName(`com.cint.${name}`)).toBe(name);
	}
});

it('Refiner keeps every answer and attribute key', async () => {
	const event = JSON.parse(fixture('refiner', 'completed-survey'));
	// Object.fromEntries makes `__proto__` an own key, as JSON.parse does for a real delivery.
	const answers = Object.fromEntries(
		PROTOTYPE_NAMES.map((name, index) => [name, `answer ${index}`]),
	);
	const body = JSON.stringify({
		...event,
		response: { ...event.response, data: answers },
		attributes: answers,
	});
	expect(body).toContain('"__proto__":"answer 2"');
	const item = await deliver('refiner', body);
	expectOwnKeys(
		item.answers,
		keyed((index) => `answer ${index}`),
	);
	expectOwnKeys(
		item.attributes,
		keyed((index) => `answer ${index}`),
	);
});

it('Prolific keeps metadata keys named like prototype members', async () => {
	const metadata = `{${PROTOTYPE_NAMES.map((name, index) => `"${name}": ${index}`).join(', ')}}`;
	const body = `{"resource_id": "st-1", "event_type": "study.status.change", "status": "ACTIVE", "metadata": ${metadata}}`;
	const item = await deliver('prolific', body);
	expectOwnKeys(
		item.metadata,
		keyed((index) => index),
	);
});
