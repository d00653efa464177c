/**
 * One ready trigger setup per provider (from the registry, scripts/lib/providers/), wired to the local
 * provider emulators, and the workflow that holds it. Shared by `npm run dev -- --demo`, the
 * end-to-end and reliability suites and the benchmarks.
 */
import { randomUUID } from 'crypto';

import type { Emulator } from './emulators/emulator';
import { PROVIDERS, type EmulatedSetup } from './providers';
import type { N8nRest } from './rest';

/** One provider's trigger wired to the emulators (scripts/lib/providers/), with its node and credential type. */
export interface TriggerSetup extends EmulatedSetup {
	provider: string;
	node: string;
	credentialType: string;
	/** A selected event with a sample, and one the workflow does not select. */
	event: string;
	unselected: string;
}

export { REFINER_TOKEN, SCREEB_SECRET } from './providers';

/** The API emulator of every provider that has one (the registry's `emulator`), by provider. */
export class Emulators {
	private readonly running = new Map<string, Emulator>(
		PROVIDERS.flatMap((entry) =>
			entry.emulator ? [[entry.provider, entry.emulator()] as const] : [],
		),
	);

	/** A provider's emulator; undefined for a provider whose webhook is pasted into its dashboard. */
	of<E extends Emulator = Emulator>(provider: string): E | undefined {
		return this.running.get(provider) as E | undefined;
	}

	/** Secrets the emulators issued on their own (access tokens), for the leak checks. */
	issuedSecrets(): string[] {
		return [...this.running.values()].flatMap((emulator) => emulator.issuedSecrets());
	}

	async start() {
		await Promise.all([...this.running.values()].map((emulator) => emulator.start()));
		return this;
	}

	async stop() {
		await Promise.all([...this.running.values()].map((emulator) => emulator.stop()));
	}
}

export function triggerSetups(emulators: Emulators): TriggerSetup[] {
	return PROVIDERS.map((entry) => ({
		provider: entry.provider,
		node: entry.nodeName,
		credentialType: entry.credentialType,
		event: entry.event,
		unselected: entry.unselected,
		...entry.setup(emulators.of(entry.provider)),
	}));
}

/**
 * Creates a workflow starting with the trigger (node "Trigger" unless named), with a new credential
 * unless one is given; returns its production URL.
 */
export async function createTriggerWorkflow(
	rest: N8nRest,
	setup: TriggerSetup,
	name: string,
	extraNodes: unknown[] = [],
	connections: Record<string, unknown> = {},
	{
		credential,
		nodeName = 'Trigger',
		reportProblems = true,
		settings,
		position = [0, 0],
		typeVersion = 2,
	}: {
		credential?: { id: string; name: string };
		nodeName?: string;
		/** The workflow's settings beside execution order v1, e.g. its Error Workflow. */
		settings?: Record<string, unknown>;
		position?: [number, number];
		/** The trigger's type version: the one a new node gets unless a test says otherwise. */
		typeVersion?: number;
		/** Off for suites that count runs of refused deliveries (none); on is the node's default. */
		reportProblems?: boolean;
	} = {},
): Promise<{ workflowId: string; url: string }> {
	const parameters = setup.parameters();
	if (!reportProblems)
		parameters.options = { ...(parameters.options as object), reportProblems: false };
	const credentialName = credential?.name ?? `${name} credential`;
	const credentialId =
		credential?.id ??
		(await rest.createCredential(credentialName, setup.credentialType, setup.credential())).id;
	const webhookId = randomUUID();
	const workflow = await rest.createWorkflow({
		name,
		nodes: [
			{
				id: randomUUID(),
				name: nodeName,
				type: `n8n-nodes-survey-triggers.${setup.node}`,
				typeVersion,
				position,
				webhookId,
				parameters,
				credentials: { [setup.credentialType]: { id: credentialId, name: credentialName } },
			},
			...extraNodes,
		],
		connections,
		...(settings ? { settings: { executionOrder: 'v1', ...settings } } : {}),
	});
	return { workflowId: workflow.id, url: `${rest.url}/webhook/${webhookId}/webhook` };
}

/** n8n's No Operation node: a "next node" whose runs and input a test reads. */
export function noOpNode(name = 'Next', position: [number, number] = [300, 0]) {
	return {
		id: randomUUID(),
		name,
		type: 'n8n-nodes-base.noOp',
		typeVersion: 1,
		position,
		parameters: {},
	};
}

/** n8n's Remove Duplicates node as README's recipe sets it up: values seen in previous executions of this node are dropped. */
export function removeDuplicatesNode(dedupeValue: string, position: [number, number] = [300, 0]) {
	return {
		id: randomUUID(),
		name: 'Remove Duplicates',
		type: 'n8n-nodes-base.removeDuplicates',
		typeVersion: 2,
		position,
		parameters: {
			operation: 'removeItemsSeenInPreviousExecutions',
			logic: 'removeItemsWithAlreadySeenKeyValues',
			dedupeValue,
			options: {},
		},
	};
}

/** The credential values that are secrets (tokens, client secrets), for leak checks. */
export const secretFields = (setup: TriggerSetup): string[] =>
	Object.entries(setup.credential())
		.filter(([key]) => /token|secret/i.test(key))
		.map(([, value]) => String(value));
