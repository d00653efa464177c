/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- Node-side code (tests, emulators, scripts), never loaded by n8n */
/**
 * Workflows saved before the nodes moved into one folder per provider keep working: a workflow
 * exported from n8n before the move (every node of the package; the Screeb, Refiner and Poltio
 * Triggers at type version 1, as released) is imported as it is, with the user's credentials,
 * published, and each trigger runs its next node once on its provider's event.
 */
import { randomUUID } from 'crypto';
import { readFileSync } from 'fs';
import path from 'path';

import type { N8nRest } from '../../scripts/lib/rest';
import { sampleBody, send, signDelivery } from '../../scripts/lib/samples';
import { Emulators, secretFields, triggerSetups } from '../../scripts/lib/setups';
import { eventually, nodeOutput, recordSecrets, signedInRest } from './n8n';

let rest: N8nRest;
const emulators = new Emulators();
const setups = triggerSetups(emulators);

beforeAll(async () => {
	rest = await signedInRest();
	await emulators.start();
});
afterAll(async () => {
	recordSecrets(...emulators.issuedSecrets());
	await emulators.stop();
});

interface ExportedNode {
	name: string;
	type: string;
	typeVersion: number;
	webhookId?: string;
	credentials?: Record<string, { id: string; name: string }>;
	[key: string]: unknown;
}

it('imports a workflow exported before the folder move, publishes it, and every trigger runs its next node once', async () => {
	const exported = JSON.parse(
		readFileSync(
			path.join(__dirname, '..', 'fixtures', 'workflows', 'every-node-before-folder-move.json'),
			'utf8',
		),
	) as { name: string; nodes: ExportedNode[]; connections: Record<string, unknown> };
	const credentials: Record<string, { id: string; name: string }> = {};
	for (const setup of setups) {
		const name = `${setup.provider} upgrade ${randomUUID().slice(0, 6)}`;
		const { id } = await rest.createCredential(name, setup.credentialType, setup.credential());
		credentials[setup.credentialType] = { id, name };
		recordSecrets(...secretFields(setup));
	}
	for (const node of exported.nodes) {
		for (const type of Object.keys(node.credentials ?? {}))
			node.credentials![type] = credentials[type];
		if (node.webhookId) node.webhookId = randomUUID();
	}
	expect(
		exported.nodes
			.filter((node) => node.type.endsWith('Trigger'))
			.map((node) => node.typeVersion)
			.sort(),
	).toEqual([1, 1, 1, 2, 2]);
	const workflow = await rest.createWorkflow({
		name: `${exported.name} ${randomUUID().slice(0, 6)}`,
		nodes: exported.nodes,
		connections: exported.connections,
	});
	await rest.publish(workflow.id);

	for (const setup of setups) {
		const trigger = exported.nodes.find((node) => node.name === `${setup.provider} trigger`)!;
		const url = `${rest.url}/webhook/${trigger.webhookId}/webhook`;
		const secret = setup.secret(url);
		recordSecrets(secret);
		expect(
			(
				await send(
					signDelivery(setup.provider, url, sampleBody(setup.provider, setup.event), secret),
				)
			).status,
		).toBe(200);
	}
	const next = await eventually(
		async () => {
			const runs = (await rest.executions(workflow.id)).filter((run) => run.status === 'success');
			if (runs.length < setups.length) return undefined;
			const ran: Record<string, number> = {};
			for (const run of runs)
				for (const setup of setups)
					ran[setup.provider] =
						(ran[setup.provider] ?? 0) +
						(await nodeOutput(rest, run.id, `${setup.provider} next`)).length;
			return ran;
		},
		60_000,
		'a run per trigger',
	);
	expect(next).toEqual(Object.fromEntries(setups.map((setup) => [setup.provider, 1])));
	await rest.unpublish(workflow.id);
});
