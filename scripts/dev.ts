/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions -- Node-side code (tests, emulators, scripts), never loaded by n8n */
/**
 * `npm run dev` — builds the package, provisions Node 24 and n8n if missing (cached outside the
 * checkout), installs the packed package the way n8n's community installer does, and starts n8n on
 * http://127.0.0.1:5678 (sqlite, telemetry and outbound calls off). Ctrl-C stops everything.
 *
 * `npm run dev -- --demo` also creates the owner account and one published workflow per trigger,
 * wired to local provider emulators, and sends a sample event to each every 20 seconds.
 */
import { execFileSync } from 'child_process';
import { randomUUID } from 'crypto';
import path from 'path';

import { DEMO_OWNER, N8nRest } from './lib/rest';
import {
	CACHE_DIR,
	cleanEnv,
	ensureN8n,
	ensureNode,
	installPackedPackage,
	N8N_MAJOR,
	REPO,
	startN8n,
	type RunningN8n,
} from './lib/runtime';
import { setAt, type JsonObject } from './lib/json-tree';
import { providerEntry } from './lib/providers';
import { sampleBody, send, signDelivery } from './lib/samples';
import type { ProlificEmulator } from './lib/emulators/prolific';
import { createTriggerWorkflow, Emulators, triggerSetups } from './lib/setups';

const log = (message: string) => process.stdout.write(`[dev] ${message}\n`);
const args = process.argv.slice(2);
const demo = args.includes('--demo');
const port = Number(args[args.indexOf('--port') + 1] || 5678) || 5678;

async function startDemo(n8n: RunningN8n, emulators: Emulators) {
	const rest = new N8nRest(n8n.url);
	await rest.signIn(DEMO_OWNER);
	const existing: Array<{ id: string; name: string }> = await rest.call('GET', '/rest/workflows');
	for (const workflow of existing.filter((w) => w.name.startsWith('Demo: '))) {
		await rest.unpublish(workflow.id).catch(() => undefined);
		await rest.call('DELETE', `/rest/workflows/${workflow.id}`).catch(() => undefined);
	}
	// A study for the Prolific node to list, review and pay (the demo's Prolific credential reaches it).
	emulators.of<ProlificEmulator>('prolific')?.addStudy(
		{ id: '60f6acb180a7b59ac0621f9e', name: 'Demo: reading habits' },
		['11', '12', '13'].map((n) => ({
			id: `60d9aadeb86739de712fa0${n}`,
			participant: `60bf9310e8dec401be6e00${n}`,
		})),
	);
	const published: Array<{ provider: string; url: string; secret: () => string; event: string }> =
		[];
	for (const setup of triggerSetups(emulators)) {
		const { workflowId, url } = await createTriggerWorkflow(
			rest,
			setup,
			`Demo: ${setup.provider} trigger`,
		);
		await rest.publish(workflowId);
		published.push({
			provider: setup.provider,
			url,
			secret: () => setup.secret(url),
			event: setup.event,
		});
		log(`published "Demo: ${setup.provider} trigger" (${url})`);
	}
	const sendAll = async () => {
		for (const target of published) {
			// Each round a new event (its own id), or the trigger would take it for the provider's resend.
			const delivery = signDelivery(
				target.provider,
				target.url,
				newEvent(target.provider, target.event),
				target.secret(),
			);
			const result = await send(delivery).catch((error: Error) => ({
				status: 0,
				body: error.message,
			}));
			log(`${target.provider} ${target.event} → HTTP ${result.status}`);
		}
	};
	await sendAll();
	setInterval(() => void sendAll(), 20_000);
	log(`Owner login: ${DEMO_OWNER.email} / ${DEMO_OWNER.password}`);
	log('Open Overview › Executions to watch events arrive (a new round every 20 s).');
}

/** The provider's sample of an event, made a new event: a fresh id wherever the provider carries one in the body. */
function newEvent(provider: string, event: string): string {
	const body = JSON.parse(sampleBody(provider, event)) as JsonObject;
	const { eventIdAt } = providerEntry(provider);
	if (eventIdAt !== 'beside the body') for (const at of eventIdAt) setAt(body, at, randomUUID());
	return JSON.stringify(body);
}

async function main() {
	log('Building the package …');
	execFileSync('npm', ['run', 'build', '--silent'], {
		cwd: REPO,
		stdio: 'inherit',
		env: cleanEnv(),
	});
	const node = ensureNode(log);
	const n8nBinary = ensureN8n(node, log);
	// One home per n8n version: a database migrated by one major is not for the other.
	const userFolder = path.join(CACHE_DIR, N8N_MAJOR >= 2 ? 'dev-home' : `dev-home-n8n${N8N_MAJOR}`);
	installPackedPackage(userFolder, log);
	const n8n = await startN8n(
		node,
		n8nBinary,
		{ port, userFolder, logFile: path.join(userFolder, 'n8n.log') },
		log,
	);
	const emulators = demo ? await new Emulators().start() : undefined;
	let stopping = false;
	const stop = async () => {
		if (stopping) return;
		stopping = true;
		log('Stopping n8n …');
		await Promise.all([n8n.stop(), emulators?.stop()]);
		process.exit(0);
	};
	process.on('SIGINT', () => void stop());
	process.on('SIGTERM', () => void stop());
	n8n.process.on('exit', (code) => {
		if (!stopping) {
			log(`n8n exited (code ${code}); see ${path.join(userFolder, 'n8n.log')}`);
			process.exit(1);
		}
	});
	if (emulators) await startDemo(n8n, emulators);
	log('');
	log(`n8n is running at ${n8n.url} with the survey triggers installed (data in ${userFolder}).`);
	log(
		demo
			? 'Sign in with the owner login above.'
			: 'Create the owner account in the browser, then add a trigger: search "Prolific", "Cint", "Screeb", "Refiner" or "Poltio".',
	);
	log(
		'Try a workflow without a provider account: npm run send -- <provider> <event> --url <webhook URL> --secret <secret>',
	);
	log('Press Ctrl-C to stop.');
}

main().catch((error: Error) => {
	process.stderr.write(`[dev] ${error.message}\n`);
	process.exit(1);
});
