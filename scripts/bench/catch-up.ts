/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- Node-side code (tests, emulators, scripts), never loaded by n8n */
/**
 * Catch-up: Prolific Missed Events (the built node in dist/) working off a backlog of 10 000
 * FAILED deliveries in the Prolific emulator's log, poll after poll, with a minimal poll context
 * (credential header as the Prolific API credential sets it, node and global static data kept
 * between polls as n8n keeps them). Prints the polls it took against the documented bound, each
 * event emitted once, and the peak heap during a poll.
 */
import type { IDataObject, INodeExecutionData, INodeType, IPollFunctions } from 'n8n-workflow';
import path from 'path';

import { ProlificEmulator } from '../lib/emulators/prolific';
import { firstExport } from '../lib/load';

const DIST = path.resolve(__dirname, '..', '..', 'dist', 'nodes');
const BACKLOG = 10_000;

function pollContext(
	emulator: ProlificEmulator,
	nodeData: IDataObject,
	globalData: IDataObject,
): IPollFunctions {
	const node = { name: 'Missed Events', type: 'prolificMissedEvents', typeVersion: 1 };
	return {
		getNode: () => node,
		getWorkflow: () => ({ id: 'bench', name: 'bench', active: true }),
		getMode: () => 'trigger',
		getActivationMode: () => 'activate',
		getNodeParameter: (name: string, fallback?: unknown) => (name === 'simple' ? true : fallback),
		getWorkflowStaticData: (type: string) => (type === 'global' ? globalData : nodeData),
		getCredentials: async () => ({ apiToken: emulator.token, baseUrl: emulator.url }),
		logger: { debug() {}, info() {}, warn() {}, error() {} },
		helpers: {
			returnJsonArray: (items: IDataObject[]) => items.map((json) => ({ json })),
			httpRequestWithAuthentication: async (
				_type: string,
				request: { method: string; url: string; qs?: Record<string, unknown> },
			) => {
				const url = new URL(request.url);
				for (const [key, value] of Object.entries(request.qs ?? {}))
					url.searchParams.set(key, String(value));
				const response = await fetch(url, {
					method: request.method,
					headers: { authorization: `Token ${emulator.token}`, accept: 'application/json' },
				});
				return { statusCode: response.status, headers: {}, body: await response.json() };
			},
		},
	} as unknown as IPollFunctions;
}

export async function benchCatchUp(report: (line: string, ok: boolean) => void): Promise<void> {
	const { CATCH_UP_LIMITS } = (await import(
		path.join(DIST, 'shared', 'catch-up.js')
	)) as typeof import('../../nodes/shared/catch-up');
	const Node = firstExport<new () => INodeType>(
		path.join(DIST, 'Prolific', 'ProlificMissedEvents.node.js'),
	);
	const node = new Node();
	const emulator = new ProlificEmulator();
	await emulator.start();
	try {
		const subscription = 'sub-bench';
		emulator.subscriptions.set(subscription, {
			id: subscription,
			event_type: 'submission.status.change',
			target_url: 'https://n8n.example.test/webhook/bench/webhook',
			workspace_id: emulator.workspaces[0].id,
			is_enabled: true,
			confirmed: true,
		} as never);
		const at = new Date().toISOString();
		emulator.log.set(
			subscription,
			Array.from({ length: BACKLOG }, (_, i) => ({
				id: `evt-${i}`,
				datetime_created: at,
				datetime_updated: at,
				event_type: 'submission.status.change',
				resource_id: `sub-${i}`,
				status: 'FAILED' as const,
				payload: {
					resource_id: `64f0c0ffee${String(i).padStart(14, '0')}`,
					event_type: 'submission.status.change',
					participant_id: '5f00beef',
					status: 'APPROVED',
				},
			})),
		);
		const globalData: IDataObject = {
			surveyTriggerRegistrations: {
				Trigger: {
					provider: 'prolific',
					node: 'Trigger',
					ids: [subscription],
					webhookUrl: 'https://n8n.example.test/webhook/bench/webhook',
					publishedAt: at,
					state: { workspaceId: emulator.workspaces[0].id },
				},
			},
		};
		const nodeData: IDataObject = {};
		const seen = new Set<string>();
		let emitted = 0;
		let polls = 0;
		let peak = 0;
		const started = Date.now();
		for (;;) {
			(global as { gc?: () => void }).gc?.();
			const before = process.memoryUsage().heapUsed;
			const sampler = setInterval(() => {
				peak = Math.max(peak, process.memoryUsage().heapUsed - before);
			}, 5);
			const result = (await node.poll!.call(pollContext(emulator, nodeData, globalData))) as
				| INodeExecutionData[][]
				| null;
			clearInterval(sampler);
			peak = Math.max(peak, process.memoryUsage().heapUsed - before);
			if (!result) break;
			polls++;
			for (const item of result[0]) {
				seen.add(String(item.json.eventId));
				emitted++;
			}
			if (polls > 50) break;
		}
		const bound = Math.ceil(BACKLOG / CATCH_UP_LIMITS.eventsPerPoll);
		const seconds = (Date.now() - started) / 1000;
		report(
			`catch-up prolific backlog ${BACKLOG}: ${polls} polls (documented: ${bound}), ${emitted} events emitted, ${seen.size} distinct, ${seconds.toFixed(1)} s, peak heap during a poll ${(peak / 2 ** 20).toFixed(1)} MiB; node static data ${(JSON.stringify(nodeData).length / 1024).toFixed(0)} KiB`,
			polls <= bound && emitted === BACKLOG && seen.size === BACKLOG,
		);
	} finally {
		await emulator.stop();
	}
}
