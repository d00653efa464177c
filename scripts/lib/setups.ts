/**
 * One ready trigger setup per provider, wired to the local provider emulators: credential data,
 * node parameters, how to read the remote registrations and the signing secret. Shared by
 * `npm run dev -- --demo` and the end-to-end suite.
 */
import { randomUUID } from 'crypto';

import { CintEmulator } from './emulators/cint';
import { PoltioEmulator } from './emulators/poltio';
import { ProlificEmulator } from './emulators/prolific';
import type { N8nRest } from './rest';

export interface TriggerSetup {
	provider: string;
	node: string;
	credentialType: string;
	credential: () => Record<string, unknown>;
	parameters: () => Record<string, unknown>;
	/** Remote registrations for a webhook URL (undefined for dashboard-configured providers). */
	registrations?: (url: string) => number;
	/** How many registrations one published workflow has at the provider. */
	registrationsPerWorkflow?: number;
	/** Secret the provider signs with (or the token in the registered URL), once registered. */
	secret: (url: string) => string;
	/** A selected event with a sample, and one the workflow does not select. */
	event: string;
	unselected: string;
}

export const SCREEB_SECRET = 'scr_whsec_demo_5f1c0a9e7b3d4c2a';
export const REFINER_TOKEN = 'rf_tok_demo_8c1e5b9a2d7f4e6c0b3a';

export class Emulators {
	readonly prolific = new ProlificEmulator();
	readonly cint = new CintEmulator();
	readonly poltio = new PoltioEmulator();

	async start() {
		await Promise.all([this.prolific.start(), this.cint.start(), this.poltio.start()]);
		return this;
	}

	async stop() {
		await Promise.all([this.prolific.stop(), this.cint.stop(), this.poltio.stop()]);
	}
}

export function triggerSetups({ prolific, cint, poltio }: Emulators): TriggerSetup[] {
	return [
		{
			provider: 'prolific',
			node: 'prolificTrigger',
			credentialType: 'prolificApi',
			credential: () => ({ apiToken: prolific.token, baseUrl: prolific.url }),
			parameters: () => ({ workspaceId: prolific.workspaces[0].id, events: ['submission.status.change', 'study.status.change'], simple: true, options: {} }),
			registrations: (url) => [...prolific.subscriptions.values()].filter((s) => s.target_url === url && s.confirmed).length,
			registrationsPerWorkflow: 2,
			secret: () => prolific.secrets.get(prolific.workspaces[0].id)!.value,
			event: 'submission.status.change',
			unselected: 'study.progress.change',
		},
		{
			provider: 'cint',
			node: 'cintTrigger',
			credentialType: 'cintApi',
			credential: () => ({ clientId: cint.clientId, clientSecret: cint.clientSecret, accountId: cint.accountId, apiVersion: '2025-12-18', baseUrl: cint.baseUrl, authUrl: cint.authUrl }),
			parameters: () => ({ events: ['session-updated', 'target-group-updated'], simple: true, options: {} }),
			registrations: (url) => cint.webhooksFor(url).length,
			registrationsPerWorkflow: 1,
			secret: (url) => cint.webhooksFor(url)[0].secret,
			event: 'target-group-updated',
			unselected: 'quota-fill-registered',
		},
		{
			provider: 'poltio',
			node: 'poltioTrigger',
			credentialType: 'poltioApi',
			credential: () => ({ apiToken: poltio.token, organizationId: poltio.organizationId, baseUrl: poltio.url }),
			parameters: () => ({ scope: 'content', contentId: 'q1b2c3d4', events: ['session.completed'], deliverySettings: { delay: 10 }, simple: true, options: {} }),
			registrations: (url) => poltio.hooksFor(url).length,
			registrationsPerWorkflow: 1,
			secret: (url) => new URL(poltio.hooksFor(url)[0].url).searchParams.get('token')!,
			event: 'session.completed',
			unselected: 'session.incomplete',
		},
		{
			provider: 'screeb',
			node: 'screebTrigger',
			credentialType: 'screebWebhookApi',
			credential: () => ({ secret: SCREEB_SECRET }),
			parameters: () => ({ events: ['response.ended', 'response.answered'], simple: true, options: {} }),
			secret: () => SCREEB_SECRET,
			event: 'response.ended',
			unselected: 'response.displayed',
		},
		{
			provider: 'refiner',
			node: 'refinerTrigger',
			credentialType: 'refinerWebhookApi',
			credential: () => ({ secretToken: REFINER_TOKEN }),
			parameters: () => ({ verification: 'token', events: ['Completed Survey'], simple: true, options: {} }),
			secret: () => REFINER_TOKEN,
			event: 'Completed Survey',
			unselected: 'Saw Survey',
		},
	];
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
	{ credential, nodeName = 'Trigger' }: { credential?: { id: string; name: string }; nodeName?: string } = {},
): Promise<{ workflowId: string; url: string }> {
	const credentialName = credential?.name ?? `${name} credential`;
	const credentialId = credential?.id ?? (await rest.createCredential(credentialName, setup.credentialType, setup.credential())).id;
	const webhookId = randomUUID();
	const workflow = await rest.createWorkflow({
		name,
		nodes: [
			{
				id: randomUUID(),
				name: nodeName,
				type: `n8n-nodes-survey-triggers.${setup.node}`,
				typeVersion: 1,
				position: [0, 0],
				webhookId,
				parameters: setup.parameters(),
				credentials: { [setup.credentialType]: { id: credentialId, name: credentialName } },
			},
			...extraNodes,
		],
		connections,
	});
	return { workflowId: workflow.id, url: `${rest.url}/webhook/${webhookId}/webhook` };
}

/** The credential values that are secrets (tokens, client secrets), for leak checks. */
export const secretFields = (setup: TriggerSetup): string[] =>
	Object.entries(setup.credential())
		.filter(([key]) => /token|secret/i.test(key))
		.map(([, value]) => String(value));
