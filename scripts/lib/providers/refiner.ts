/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets -- Node-side code (tests, emulators, scripts), never loaded by n8n */
/** Refiner: a dashboard webhook with a secret token sent in a form Refiner does not document; no event id. */
import { REFINER_EVENTS } from '../../../nodes/Refiner/events';
import { refinerReceiver } from '../../../nodes/Refiner/receiver';
import { objectAt } from '../json-tree';
import { asText, everySecond, jsonHeaders as json, type ProviderEntry } from './types';

export const REFINER_TOKEN = 'rf_tok_demo_8c1e5b9a2d7f4e6c0b3a';

export const refiner: ProviderEntry<undefined> = {
	provider: 'refiner',
	displayName: 'Refiner',
	nodeName: 'refinerTrigger',
	nodeFile: 'Refiner/RefinerTrigger.node',
	credentialType: 'refinerWebhookApi',
	samples: {
		'Completed Survey': 'completed-survey',
		'Saw Survey': 'saw-survey',
		'Dismissed Survey': 'dismissed-survey',
		'User Identified': 'contact-only',
		'User Entered Segment': 'user-entered-segment',
	},
	event: 'Completed Survey',
	unselected: 'Saw Survey',
	fixtures: [
		'completed-survey',
		'saw-survey',
		'dismissed-survey',
		'contact-only',
		'user-entered-segment',
	],
	typeField: 'triggered_event',
	eventOptions: REFINER_EVENTS,
	receiver: refinerReceiver,
	allEvents: { verification: 'token', events: ['*'] },
	secretAt: (secretToken) => ({ credentials: { refinerWebhookApi: { secretToken } } }),
	// Refiner documents a secret token but not how it travels; the trigger accepts every plausible form.
	sign: (url, body, secret) => ({
		url,
		body: asText(body),
		headers: { ...json, 'x-refiner-token': secret },
	}),
	eventIdAt: ['uuid', 'response.uuid'],
	eventIdCoversBody: true,
	forge: (url) => ({
		url,
		body: '',
		headers: { ...json, 'x-refiner-token': 'guessed-token-0123456789' },
	}),
	malformed: () => ({ 'x-refiner-token': 'not-the-token-0123456789' }),
	carrier: 'x-refiner-token',
	covers: { body: false, time: false, repeatable: true },
	keyed: {
		put: (event, names, value) => {
			event.response ??= { uuid: 'r-fuzz' };
			objectAt(event, 'response').data = Object.fromEntries(
				names.map((name, i) => [name, value(i)]),
			);
		},
		read: (item) => item.answers,
	},
	pad: (event, filler) => (objectAt(event, 'attributes').note = filler),
	misfitItems: (event, count, misfits = everySecond) => {
		event.segments = Array.from({ length: count }, (_, index) =>
			misfits(index) ? 1 : { uuid: `s${index}`, name: `Segment ${index}` },
		);
	},
	sampleItem: {
		exact: {
			provider: 'refiner',
			eventId: '18de5430-c64c-11ec-aa71-e1784a46b058:Completed Survey:f7d933ff1344f422',
			eventType: 'Completed Survey',
			answers: { nps: '9', what_could_we_improve: 'Faster exports', role: 'Product Manager' },
			verification: { method: 'header token', header: 'x-refiner-token' },
		},
	},
	setup: () => ({
		credential: () => ({ secretToken: REFINER_TOKEN }),
		parameters: () => ({
			verification: 'token',
			events: ['Completed Survey'],
			simple: true,
			options: {},
		}),
		secret: () => REFINER_TOKEN,
	}),
};
