/** Poltio: one hook through its API with a random token in its URL (Poltio signs nothing); a session is delivered incomplete, then complete. */
import { createHash } from 'crypto';

import { POLTIO_EVENTS } from '../../../nodes/Poltio/events';
import { poltioReceiver } from '../../../nodes/Poltio/receiver';
import { eventNamesOf } from '../../../nodes/shared/pipeline';
import { PoltioEmulator } from '../emulators/poltio';
import { asText, everySecond, jsonHeaders as json, withQuery, type ProviderEntry } from './types';

export const poltio: ProviderEntry<PoltioEmulator> = {
	provider: 'poltio',
	displayName: 'Poltio',
	nodeName: 'poltioTrigger',
	nodeFile: 'Poltio/PoltioTrigger.node',
	credentialType: 'poltioApi',
	samples: { 'session.completed': 'session-completed', 'session.incomplete': 'session-incomplete' },
	event: 'session.completed',
	unselected: 'session.incomplete',
	fixtures: ['session-completed', 'session-incomplete'],
	typeField: 'complete_session',
	eventOptions: POLTIO_EVENTS,
	receiver: poltioReceiver,
	allEvents: { events: eventNamesOf(POLTIO_EVENTS) },
	// What the trigger keeps of its URL token: the SHA-256, never the token.
	secretAt: (secret) => ({
		staticData: { token: `sha256:${createHash('sha256').update(secret).digest('hex')}` },
	}),
	// Poltio signs nothing: the token the trigger registered travels in the URL.
	sign: (url, body, secret) => ({
		url: withQuery(url, 'token', secret),
		body: asText(body),
		headers: { ...json },
	}),
	eventIdAt: ['session_id'],
	forge: (url) => ({
		url: withQuery(url, 'token', 'guessed-token-0123456789'),
		body: '',
		headers: { ...json },
	}),
	carrier: '?token',
	covers: { body: false, time: false },
	keyed: {
		put: (event, names, value) =>
			(event.answers = names.map((question, i) => ({
				question_id: i,
				question,
				answers: [{ answer_id: i, answer: value(i), parent: null }],
			}))),
		read: (item) =>
			Object.fromEntries(
				Object.entries(item.answers as Record<string, string[]>).map(([key, answers]) => [
					key,
					answers[0],
				]),
			),
	},
	pad: (event, filler) => (event.custom_id = filler),
	misfitItems: (event, count, misfits = everySecond) => {
		event.answers = Array.from({ length: count }, (_, index) =>
			misfits(index)
				? 1
				: {
						question_id: index,
						question: `Question ${index}`,
						answers: [{ answer_id: index, answer: 'Yes' }],
					},
		);
	},
	sampleItem: {
		exact: {
			provider: 'poltio',
			eventId: '22ffdf18-1035-4e56-baa2-8327e3af5242:complete',
			eventType: 'session.completed',
			occurredAt: '2019-09-16T09:07:55.000Z',
			content: { type: 'content', id: '6caaa000-2bd8-4b28-8b9b-bfe1fca94f39' },
			answers: { 'Example Question Title': ['Example Answer Title'] },
		},
		contains: { result: { title: 'Result Title' } },
	},
	emulator: () => new PoltioEmulator(),
	setup: (poltio) => ({
		credential: () => ({
			apiToken: poltio.token,
			organizationId: poltio.organizationId,
			baseUrl: poltio.url,
		}),
		parameters: () => ({
			scope: 'content',
			contentId: 'q1b2c3d4',
			events: ['session.completed'],
			deliverySettings: { delay: 10 },
			simple: true,
			options: {},
		}),
		registrations: (url) => poltio.hooksFor(url).length,
		registrationsPerWorkflow: 1,
		secret: (url) => new URL(poltio.hooksFor(url)[0].url).searchParams.get('token')!,
	}),
	registration: {
		create: { method: 'POST', path: /^\/platform\/hooks\/web$/, step: 'create the webhook' },
		leftovers: (poltio, url) => poltio.hooksFor(url).length,
	},
};
