/** Cint: one webhook through its API, `Cint-Signature` (t, v1), CloudEvents with their `id`, event types listed by its API. */
import { CINT_EVENTS } from '../../../nodes/Cint/events';
import { cintReceiver } from '../../../nodes/Cint/receiver';
import { eventNamesOf } from '../../../nodes/shared/pipeline';
import { CINT_EVENT_TYPES, CINT_EXTRA_EVENT, CintEmulator } from '../emulators/cint';
import { objectAt } from '../json-tree';
import { cintSignatureHeader, nowSeconds } from '../provider-signing';
import { asText, jsonHeaders as json, type ProviderEntry } from './types';

export const cint: ProviderEntry<CintEmulator> = {
	provider: 'cint',
	displayName: 'Cint',
	nodeName: 'cintTrigger',
	nodeFile: 'Cint/CintTrigger.node',
	catchUpNode: {
		displayName: 'Cint Missed Events',
		nodeName: 'cintMissedEvents',
		nodeFile: 'Cint/CintMissedEvents.node',
	},
	credentialType: 'cintApi',
	samples: {
		'session-updated': 'session-updated',
		'target-group-updated': 'target-group-updated',
		'quota-fill-registered': 'quota-fill-registered',
	},
	event: 'target-group-updated',
	unselected: 'quota-fill-registered',
	fixtures: ['session-updated', 'target-group-updated', 'quota-fill-registered'],
	typeField: 'type',
	eventOptions: CINT_EVENTS,
	receiver: cintReceiver,
	allEvents: { events: eventNamesOf(CINT_EVENTS) },
	secretAt: (secret) => ({ staticData: { secret } }),
	sign: (url, body, secret, { timestamp = nowSeconds() } = {}) => ({
		url,
		body: asText(body),
		headers: { ...json, 'cint-signature': cintSignatureHeader(secret, timestamp, body) },
	}),
	eventIdAt: ['id'],
	forge: (url) => ({
		url,
		body: '',
		headers: { ...json, 'cint-signature': `t=${nowSeconds()},v1=${'ab'.repeat(32)}` },
	}),
	malformed: () => ({ 'cint-signature': `t=${nowSeconds()},v1=zz` }),
	carrier: 'cint-signature',
	covers: { body: true, time: true },
	keyed: {
		put: (event, names, value) => {
			event.type = 'com.cint.session.updated';
			objectAt(event, 'data').changes = names.map((name, i) => ({
				object: `${name}_change`,
				new_value: value(i),
			}));
		},
		read: (item) => item.changes,
	},
	pad: (event, filler) => (objectAt(event, 'data').mid = filler),
	listedEvent: {
		loadOptionsMethod: 'listEventTypes',
		event: CINT_EXTRA_EVENT,
		body: {
			id: 'ce-listed-1',
			specversion: '1.0',
			source: 'https://api.cint.com',
			type: CINT_EVENT_TYPES[CINT_EXTRA_EVENT],
			time: '2026-11-30T10:00:00Z',
			data: { account_id: 12345, project_id: '01JPROJ' },
		},
		item: {
			eventId: 'ce-listed-1',
			eventType: CINT_EXTRA_EVENT,
			occurredAt: '2026-11-30T10:00:00.000Z',
			data: { account_id: 12345, project_id: '01JPROJ' },
		},
	},
	sampleItem: {
		exact: {
			provider: 'cint',
			eventId: '5e1f9a3c-2b7d-4c8e-9f01-6a2b3c4d5e6f',
			eventType: 'target-group-updated',
			occurredAt: '2025-02-13T11:39:49.274Z',
			source: 'https://api.cint.com',
			changelogId: 'ef4b7ed0-7408-4646-8750-cc6a33a3375a',
			accountId: 1,
			projectId: '01JH2Q9824364JXCT9R8HDKKR8',
			targetGroupId: '01BX5ZZKBKACTAV9WEVGEMMVS1',
			changedAt: '2025-02-13T11:39:49.274Z',
			user: { type: 'las_user', las_user_id: '9fdf41e9-cbcc-43da-abe4-8a5d45eafd70' },
			users: [{ type: 'las_user', las_user_id: '9fdf41e9-cbcc-43da-abe4-8a5d45eafd70' }],
			changes: {
				filling_goal: { new: 110, old: null },
				live_url: { new: 'https://example.com/test1', old: null },
			},
		},
	},
	emulator: () => new CintEmulator(),
	setup: (cint) => ({
		credential: () => ({
			clientId: cint.clientId,
			clientSecret: cint.clientSecret,
			accountId: cint.accountId,
			apiVersion: '2025-12-18',
			baseUrl: cint.baseUrl,
			authUrl: cint.authUrl,
		}),
		parameters: () => ({
			events: ['session-updated', 'target-group-updated'],
			simple: true,
			options: {},
		}),
		registrations: (url) => cint.webhooksFor(url).length,
		registrationsPerWorkflow: 1,
		secret: (url) => cint.webhooksFor(url)[0].secret,
	}),
	registration: {
		create: { method: 'POST', path: /\/webhooks$/, step: 'create the webhook' },
		renewsTokenOn: [401, 403],
		leftovers: (cint, url) => cint.webhooksFor(url).length,
	},
};
