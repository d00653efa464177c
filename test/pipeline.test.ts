/**
 * Provider-independent rules of the shared receive pipeline, with a minimal receiver written here:
 * the "all events" selection, the 500 answer for an unexpected fault, and string raw bodies.
 */
import type { INodeType, IWebhookFunctions } from 'n8n-workflow';
import { z } from 'zod';

import { ALL_EVENTS, receiveDelivery } from '../nodes/shared/pipeline';
import type { WebhookReceiver } from '../nodes/shared/types';
import { accept, isRefusal, refuse, singleHeader } from '../nodes/shared/verify';
import { createHarness, responseRecorder, webhookContext } from './helpers/n8n-context';
import { post, startWebhookServer } from './helpers/webhook-server';

const receiver: WebhookReceiver<{ id: string; kind: string }> = {
	provider: 'example',
	displayName: 'Example',
	secretHeaders: ['x-token'],
	mismatchHelp: "The token does not match credential '{credential}'.",
	secret: { registration: 'token', missing: refuse('setup', 'no token stored') },
	verify: (delivery, secret) => {
		const token = singleHeader(delivery, 'x-token');
		if (isRefusal(token)) return token;
		return token === secret
			? accept({ details: { method: 'header' } })
			: refuse('mismatch', 'wrong token');
	},
	schema: z.object({ id: z.string(), kind: z.string() }).passthrough(),
	events: [
		{ name: 'Created', value: 'created' },
		{ name: 'Explode', value: 'explode' },
	],
	eventName: (event) => {
		if (event.kind === 'crash') throw new Error('reading bug');
		return event.kind === 'mystery' ? undefined : event.kind;
	},
	eventId: (event) => event.id,
	retries: { horizonSeconds: 3600 },
	shape: (event) => {
		if (event.kind === 'explode') throw new Error('shaping bug');
		return { eventType: event.kind };
	},
};

const exampleNode = {
	description: {} as INodeType['description'],
	webhook(this: IWebhookFunctions) {
		return receiveDelivery(this, receiver);
	},
} as INodeType;

async function serve(events: string[]) {
	const harness = createHarness({
		nodeType: 'example',
		parameters: { events, simple: true, options: {} },
		staticData: { token: 'let-me-in' },
	});
	return { harness, server: await startWebhookServer(exampleNode, harness) };
}

const headers = { 'content-type': 'application/json', 'x-token': 'let-me-in' };

it('passes every event, even unknown kinds, when All Events is selected', async () => {
	const { server } = await serve([ALL_EVENTS]);
	await post(server.url, '{"id":"1","kind":"mystery"}', headers);
	await post(server.url, '{"id":"2","kind":"created"}', headers);
	expect(server.executions.map((e) => e[0].json.eventId)).toEqual(['1', '2']);
	expect(server.executions[0][0].json).toMatchObject({
		provider: 'example',
		verification: { method: 'header' },
	});
	await server.close();
});

it('answers 200 without an execution for kinds the receiver does not know', async () => {
	const { server } = await serve(['created']);
	const result = await post(server.url, '{"id":"1","kind":"mystery"}', headers);
	expect(result.status).toBe(200);
	expect(server.executions).toHaveLength(0);
	await server.close();
});

it('delivers the body with a warning, and logs, when shaping fails', async () => {
	const { server, harness } = await serve(['explode']);
	const result = await post(server.url, '{"id":"1","kind":"explode"}', headers);
	expect(result.status).toBe(200);
	expect(server.executions[0][0].json).toMatchObject({
		eventId: '1',
		eventType: 'unknown',
		warnings: ['(body): could not be shaped (shaping bug)'],
		body: { id: '1', kind: 'explode' },
	});
	expect(server.faults).toEqual([]);
	expect(harness.logs[0]).toEqual({
		level: 'error',
		message:
			'Example Trigger could not shape a delivery: shaping bug (count since the previous line: 1)',
	});
	await server.close();
});

it('answers 500 (so the provider retries) and logs without throwing on an unexpected fault', async () => {
	const { server, harness } = await serve(['created']);
	const result = await post(server.url, '{"id":"1","kind":"crash"}', headers);
	expect(result).toEqual({
		status: 500,
		body: { error: 'internal error while processing the delivery' },
	});
	expect(server.faults).toEqual([]);
	expect(harness.logs).toEqual([
		{
			level: 'error',
			message:
				'Example Trigger could not process a delivery: reading bug (count since the previous line: 1)',
		},
	]);
	await server.close();
});

it('answers the same 500 while listening for a test event, and the test run says so on the Problems output', async () => {
	const { server, harness } = await serve(['created']);
	harness.mode = 'manual';
	const result = await post(server.url, '{"id":"1","kind":"crash"}', headers);
	expect(result).toEqual({
		status: 500,
		body: { error: 'internal error while processing the delivery' },
	});
	expect(server.executions).toEqual([]);
	expect(server.problems.map((item) => item.json)).toEqual([
		{
			provider: 'example',
			problem: 'internal',
			count: 1,
			firstSeenAt: expect.any(String),
			lastSeenAt: expect.any(String),
			status: 500,
			reason: 'internal error while processing the delivery',
			message:
				"The delivery could not be processed (n8n's log has the error); it was answered 500 so that Example delivers it again.",
			checks: { internal: 1 },
		},
	]);
	await server.close();
});

it('runs an event whose type cannot be read only when every event is selected', async () => {
	const unreadable = '{"id":"u","kind":"mystery"}';
	const some = await serve(['created']);
	await post(some.server.url, unreadable, headers);
	expect(some.server.executions).toHaveLength(0);
	await some.server.close();
	const every = await serve(['created', 'explode']);
	await post(every.server.url, unreadable, headers);
	expect(every.server.executions).toHaveLength(1);
	await every.server.close();
});

it('reads a raw body handed over as a string, and treats a missing one as empty', async () => {
	const harness = createHarness({
		nodeType: 'example',
		parameters: { events: ['created'], simple: true, options: {} },
		staticData: { token: 'let-me-in' },
	});
	const asString = responseRecorder();
	const result = await receiveDelivery(
		webhookContext(
			harness,
			{ rawBody: '{"id":"s","kind":"created"}', headers: { 'x-token': 'let-me-in' } },
			asString,
		),
		receiver,
	);
	expect(result.workflowData?.[0][0].json.eventId).toBe('s');
	const missing = responseRecorder();
	await receiveDelivery(
		webhookContext(harness, { headers: { 'x-token': 'let-me-in' } }, missing),
		receiver,
	);
	expect([missing.statusCode, missing.body]).toEqual([400, { error: 'request body is empty' }]);
});

it('from type version 2, reads a body n8n left unread (a content type n8n does not parse) with n8n’s reader; a multipart body has no bytes left; a body n8n cannot read answers 500', async () => {
	const { server } = await serve(['created']);
	const unparsed = { 'content-type': 'application/octet-stream', 'x-token': 'let-me-in' };
	expect((await post(server.url, '{"id":"o","kind":"created"}', unparsed)).status).toBe(200);
	expect(server.executions.map((run) => run[0].json.eventId)).toEqual(['o']);
	expect(
		(await post(server.url, '{"id":"p","kind":"created"}', { ...unparsed, 'x-token': 'no' }))
			.status,
	).toBe(401);
	const multipart = await post(server.url, '--b\r\n\r\n--b--', {
		'content-type': 'multipart/form-data; boundary=b',
		'x-token': 'let-me-in',
	});
	expect([multipart.status, multipart.body]).toEqual([400, { error: 'request body is empty' }]);
	expect(server.executions).toHaveLength(1);
	await server.close();

	const harness = createHarness({
		nodeType: 'example',
		parameters: { events: ['created'], simple: true, options: {} },
		staticData: { token: 'let-me-in' },
	});
	const response = responseRecorder();
	const ctx = webhookContext(harness, { headers: unparsed }, response);
	const tooLarge = Object.assign(ctx, {
		getRequestObject: () => ({
			headers: unparsed,
			readRawBody: async () => {
				throw new Error('request entity too large');
			},
		}),
	});
	const result = await receiveDelivery(tooLarge, receiver);
	expect(response.statusCode).toBe(500);
	expect(result.workflowData?.[0] ?? []).toEqual([]);
});

it('digests the body without the fields a receiver declares as changing on a resend', async () => {
	const resending: WebhookReceiver<{ id: string; kind: string }> = {
		...receiver,
		retries: { horizonSeconds: 3600, changesOnResend: ['sentAt'] },
	};
	const harness = createHarness({
		nodeType: 'example',
		parameters: { events: ['created'], simple: true, options: {} },
		staticData: { token: 'let-me-in' },
	});
	const runs = async (rawBody: string) => {
		const context = webhookContext(
			harness,
			{ rawBody, headers: { 'x-token': 'let-me-in' } },
			responseRecorder(),
		);
		return (await receiveDelivery(context, resending)).workflowData?.[0].length ?? 0;
	};
	expect(await runs('{"id":"r","kind":"created","sentAt":1}')).toBe(1);
	// The provider's resend: only the declared field changed.
	expect(await runs('{"id":"r","kind":"created","sentAt":2}')).toBe(0);
	// Another event under the same id.
	expect(await runs('{"id":"r","kind":"created","sentAt":3,"note":"changed"}')).toBe(1);
});
