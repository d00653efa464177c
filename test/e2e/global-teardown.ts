/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- Node-side code (tests, emulators, scripts), never loaded by n8n */
/** Stops n8n (its whole process group) and the recording proxy, and checks nothing is left running. */
import { existsSync, readFileSync } from 'fs';
import type { Server } from 'http';

import type { RunningN8n } from '../../scripts/lib/runtime';
import { e2eState, leakedSecrets, secretsFile } from './n8n';

export default async function globalTeardown() {
	const { __n8n: n8n, __proxy: proxy } = globalThis as unknown as {
		__n8n?: RunningN8n;
		__proxy?: Server;
	};
	await n8n?.stop();
	await new Promise((resolve) => (proxy ? proxy.close(resolve) : resolve(undefined)));
	if (existsSync(secretsFile())) {
		const count = readFileSync(secretsFile(), 'utf8').split('\n').filter(Boolean).length;
		const leaked = leakedSecrets(readFileSync(e2eState().logFile, 'utf8'));
		if (leaked.length)
			throw new Error(
				`${leaked.length} secret(s) used by the suite appear in n8n's log (${e2eState().logFile})`,
			);
		process.stdout.write(
			`[e2e] n8n's log holds none of the ${count} secrets and tokens the suite used\n`,
		);
	}
	if (n8n?.process.pid) {
		let alive = true;
		try {
			process.kill(-n8n.process.pid, 0);
		} catch {
			alive = false;
		}
		if (alive) throw new Error('n8n processes are still running after the suite');
		process.stdout.write('[e2e] n8n and its task runner stopped; no process left running\n');
	}
}
