/**
 * Prolific: subscriptions per event through its API, base64 HMAC-SHA256 of timestamp + body,
 * X-Event-ID beside the body, event types listed by its API, a workspace secret read again on a mismatch.
 */
import { PROLIFIC_EVENTS } from '../../../nodes/Prolific/events';
import { prolificReceiver } from '../../../nodes/Prolific/receiver';
import { eventNamesOf } from '../../../nodes/shared/pipeline';
import { PROLIFIC_EXTRA_EVENT, ProlificEmulator } from '../emulators/prolific';
import { nowSeconds, prolificSignature } from '../provider-signing';
import { randomUUID } from 'crypto';
import { asText, forgedBase64, jsonHeaders as json, type ProviderEntry } from './types';

export const prolific: ProviderEntry<ProlificEmulator> = {
	provider: 'prolific',
	displayName: 'Prolific',
	nodeName: 'prolificTrigger',
	nodeFile: 'Prolific/ProlificTrigger.node',
	actionNode: { displayName: 'Prolific', nodeName: 'prolific', nodeFile: 'Prolific/Prolific.node' },
	catchUpNode: {
		displayName: 'Prolific Missed Events',
		nodeName: 'prolificMissedEvents',
		nodeFile: 'Prolific/ProlificMissedEvents.node',
	},
	credentialType: 'prolificApi',
	samples: {
		'submission.status.change': 'submission.status.change',
		'study.status.change': 'study.status.change',
		'study.progress.change': 'study.progress.change',
		'study.has_high_return_rate': 'study.has_high_return_rate',
	},
	event: 'submission.status.change',
	unselected: 'study.progress.change',
	fixtures: [
		'submission.status.change',
		'study.status.change',
		'study.progress.change',
		'study.has_high_return_rate',
	],
	typeField: 'event_type',
	eventOptions: PROLIFIC_EVENTS,
	receiver: prolificReceiver,
	allEvents: { workspaceId: 'w1', events: eventNamesOf(PROLIFIC_EVENTS) },
	secretAt: (secret) => ({ staticData: { secret, workspaceId: 'w1' } }),
	sign: (url, body, secret, { eventId = randomUUID(), timestamp = nowSeconds() } = {}) => ({
		url,
		body: asText(body),
		headers: {
			...json,
			'x-prolific-request-signature': prolificSignature(secret, timestamp, body),
			'x-prolific-request-timestamp': timestamp,
			...(eventId ? { 'x-event-id': eventId } : {}),
			'x-timestamp': new Date().toISOString(),
		},
	}),
	eventIdAt: 'beside the body',
	forge: (url) => ({
		url,
		body: '',
		headers: {
			...json,
			'x-prolific-request-signature': forgedBase64,
			'x-prolific-request-timestamp': nowSeconds(),
		},
	}),
	malformed: () => ({
		'x-prolific-request-signature': 'not base64!',
		'x-prolific-request-timestamp': nowSeconds(),
	}),
	carrier: 'x-prolific-request-signature',
	covers: { body: true, time: true },
	keyed: {
		put: (event, names, value) =>
			(event.metadata = Object.fromEntries(names.map((name, i) => [name, value(i)]))),
		read: (item) => item.metadata,
	},
	pad: (event, filler) => (event.metadata = { note: filler }),
	secondCandidateUpTo: 16 * 1024,
	listedEvent: {
		loadOptionsMethod: 'listEventTypes',
		event: PROLIFIC_EXTRA_EVENT,
		body: {
			resource_id: '65aa0c0ffee',
			event_type: PROLIFIC_EXTRA_EVENT,
			participant_id: '5f00beef',
		},
		item: {
			eventType: PROLIFIC_EXTRA_EVENT,
			submissionId: '65aa0c0ffee',
			studyId: null,
			participantId: '5f00beef',
		},
	},
	sampleItem: {
		exact: {
			provider: 'prolific',
			eventType: 'submission.status.change',
			resourceId: '64f0c0ffee',
			studyId: null,
			submissionId: '64f0c0ffee',
			participantId: '5f00beef',
			status: 'APPROVED',
			metadata: null,
			workspaceId: '6655aa00bb11cc22dd33ee44',
		},
	},
	emulator: () => new ProlificEmulator(),
	rereadsSecret: true,
	setup: (prolific) => ({
		credential: () => ({ apiToken: prolific.token, baseUrl: prolific.url }),
		parameters: () => ({
			workspaceId: prolific.workspaces[0].id,
			events: ['submission.status.change', 'study.status.change'],
			simple: true,
			options: {},
		}),
		registrations: (url) =>
			[...prolific.subscriptions.values()].filter((s) => s.target_url === url && s.confirmed)
				.length,
		registrationsPerWorkflow: 2,
		secret: () => prolific.secrets.get(prolific.workspaces[0].id)!.value,
	}),
	registration: {
		create: {
			method: 'POST',
			path: /^\/api\/v1\/hooks\/subscriptions\/$/,
			step: 'subscribe to submission.status.change',
		},
		perEvent: true,
		leftovers: (prolific, url) =>
			[...prolific.subscriptions.values()].filter((s) => s.target_url === url).length,
	},
};
