/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- Node-side code (tests, emulators, scripts), never loaded by n8n */
/**
 * A real n8n for the benchmarks that measure inside it: Node 24 and n8n from the cache (installed
 * on first use), our packed package installed as n8n's community installer lays it out, the
 * provider emulators, and a signed-in REST client. Everything stops and is removed afterwards.
 */
import http from 'http';
import { mkdtempSync, rmSync } from 'fs';
import os from 'os';
import path from 'path';

import { N8nRest } from '../lib/rest';
import { ensureN8n, ensureNode, freePort, installPackedPackage, startN8n } from '../lib/runtime';
import { Emulators } from '../lib/setups';

const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

export interface BenchN8n {
	rest: N8nRest;
	emulators: Emulators;
}

/** Runs `measure` against a fresh n8n started with `env` beside the usual offline settings. */
export async function withRealN8n<T>(
	env: NodeJS.ProcessEnv,
	measure: (n8n: BenchN8n) => Promise<T>,
): Promise<T> {
	const node = ensureNode(log);
	const n8nBinary = ensureN8n(node, log);
	const userFolder = mkdtempSync(path.join(os.tmpdir(), 'survey-triggers-bench-'));
	try {
		installPackedPackage(userFolder, log);
		const n8n = await startN8n(
			node,
			n8nBinary,
			{ port: await freePort(), userFolder, logFile: path.join(userFolder, 'n8n.log'), env },
			log,
		);
		const emulators = await new Emulators().start();
		try {
			const rest = new N8nRest(n8n.url);
			await rest.signIn();
			return await measure({ rest, emulators });
		} finally {
			await emulators.stop();
			await n8n.stop();
		}
	} finally {
		rmSync(userFolder, { recursive: true, force: true });
	}
}

/**
 * Milliseconds from sending a request to the last byte of n8n's answer, and its status. One
 * connection per request, as providers (and most forgers) send them.
 */
export function timedPost(
	url: string,
	body: Buffer,
	headers: Record<string, string>,
): Promise<{ ms: number; status: number }> {
	return new Promise((resolve, reject) => {
		const started = performance.now();
		const request = http.request(
			url,
			{
				method: 'POST',
				headers: { ...headers, 'content-length': String(body.length) },
				agent: false,
			},
			(response) => {
				response.resume();
				response.on('end', () =>
					resolve({ ms: performance.now() - started, status: response.statusCode ?? 0 }),
				);
			},
		);
		request.on('error', reject);
		request.setTimeout(30_000, () => request.destroy(new Error('request timed out')));
		request.end(body);
	});
}
