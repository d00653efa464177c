/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets -- Node-side code (tests, emulators, scripts), never loaded by n8n */
/** Screeb: a dashboard webhook, base64 HMAC-SHA256 of the body, `event_id` kept on its resend. */
import { SCREEB_EVENTS } from '../../../nodes/Screeb/events';
import { screebReceiver } from '../../../nodes/Screeb/receiver';
import { eventNamesOf } from '../../../nodes/shared/pipeline';
import { objectAt } from '../json-tree';
import { screebSignature } from '../provider-signing';
import { asText, forgedBase64, jsonHeaders as json, type ProviderEntry } from './types';

export const SCREEB_SECRET = 'scr_whsec_demo_5f1c0a9e7b3d4c2a';

export const screeb: ProviderEntry<undefined> = {
	provider: 'screeb',
	displayName: 'Screeb',
	nodeName: 'screebTrigger',
	nodeFile: 'Screeb/ScreebTrigger.node',
	credentialType: 'screebWebhookApi',
	samples: {
		'response.displayed': 'response.displayed',
		'response.answered': 'response.answered-2.0.0',
		'response.ended': 'response.ended',
	},
	event: 'response.ended',
	unselected: 'response.displayed',
	fixtures: [
		'response.displayed',
		'response.answered-2.0.0',
		'response.answered-2.1.0',
		'response.answered-1.3.0',
		'response.ended',
	],
	typeField: 'event_type',
	eventOptions: SCREEB_EVENTS,
	receiver: screebReceiver,
	allEvents: { events: eventNamesOf(SCREEB_EVENTS) },
	secretAt: (secret) => ({ credentials: { screebWebhookApi: { secret } } }),
	sign: (url, body, secret) => ({
		url,
		body: asText(body),
		headers: {
			...json,
			'x-screeb-hmac-digest': 'HMAC-SHA256-BASE64',
			'x-screeb-hmac-signature-body': screebSignature(secret, body),
		},
	}),
	eventIdAt: ['event_id'],
	forge: (url) => ({
		url,
		body: '',
		headers: { ...json, 'x-screeb-hmac-signature-body': forgedBase64 },
	}),
	malformed: () => ({ 'x-screeb-hmac-signature-body': 'c2hvcnQ=' }),
	carrier: 'x-screeb-hmac-signature-body',
	covers: { body: true, time: false },
	keyed: {
		put: (event, names, value) => {
			objectAt(event, 'payload', 'response').items = names.map((title, i) => ({
				question: { id: `q${i}`, type: 'text', title },
				answer: { fields: [{ id: `f${i}`, type: 'text', value: value(i), text: value(i) }] },
			}));
		},
		read: (item) => item.answers,
	},
	pad: (event, filler) => (objectAt(event, 'payload', 'response', 'hidden_fields').note = filler),
	sampleItem: {
		exact: {
			provider: 'screeb',
			eventId: '64c7ea3b-827b-4679-b25d-7fd61f6c3d33',
			eventType: 'response.ended',
			survey: {
				id: '9b913c69-3daf-4a6e-a26d-042004fc7881',
				name: 'Measure NPS',
				scenarioId: 'cc4a3710-e8ee-4672-a35c-5c17485ec441',
				scenarioVersion: 9,
				scenarioTime: '2021-07-29T00:08:31.069Z',
			},
		},
		contains: {
			answers: {
				'How likely are you to recommend us?': 9,
				'Which features do you use?': ['Dashboards', 'Exports'],
			},
		},
	},
	setup: () => ({
		credential: () => ({ secret: SCREEB_SECRET }),
		parameters: () => ({
			events: ['response.ended', 'response.answered'],
			simple: true,
			options: {},
		}),
		secret: () => SCREEB_SECRET,
	}),
};
