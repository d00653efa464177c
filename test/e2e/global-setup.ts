/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- Node-side code (tests, emulators, scripts), never loaded by n8n */
/**
 * Starts one real n8n for the end-to-end suite: provisions Node 24 and n8n (cached), installs the
 * packed package as n8n's community installer would, and routes every outbound HTTP(S) request n8n
 * makes to a recording proxy on 127.0.0.1 that refuses non-loopback targets (loopback is exempt
 * through NO_PROXY), so the suite can assert n8n tried to reach nothing outside this machine.
 */
import { appendFileSync, mkdtempSync, writeFileSync } from 'fs';
import http from 'http';
import type { AddressInfo } from 'net';
import os from 'os';
import path from 'path';

import {
	ensureN8n,
	ensureNode,
	freePort,
	installPackedPackage,
	startN8n,
	type RunningN8n,
} from '../../scripts/lib/runtime';
import { STATE_FILE } from './n8n';

const log = (message: string) => process.stdout.write(`[e2e] ${message}\n`);

function startRecordingProxy(logFile: string): Promise<http.Server> {
	const record = (target: string) =>
		appendFileSync(logFile, `${new Date().toISOString()} ${target}\n`);
	const server = http.createServer((req, res) => {
		record(`${req.method} ${req.url}`);
		res.writeHead(502).end('outbound traffic is not allowed in tests');
	});
	server.on('connect', (req, socket) => {
		record(`CONNECT ${req.url}`);
		socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
	});
	return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

export default async function globalSetup() {
	const started = Date.now();
	const node = ensureNode(log);
	const n8n = ensureN8n(node, log);
	const userFolder = mkdtempSync(path.join(os.tmpdir(), 'survey-triggers-e2e-'));
	installPackedPackage(userFolder, log);
	const proxyLog = path.join(userFolder, 'outbound.log');
	writeFileSync(proxyLog, '');
	const proxy = await startRecordingProxy(proxyLog);
	const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
	const port = await freePort();
	const logFile = path.join(userFolder, 'n8n.log');
	const running: RunningN8n = await startN8n(
		node,
		n8n,
		{
			port,
			userFolder,
			logFile,
			env: {
				HTTP_PROXY: proxyUrl,
				HTTPS_PROXY: proxyUrl,
				http_proxy: proxyUrl,
				https_proxy: proxyUrl,
				NO_PROXY: '127.0.0.1,localhost,::1',
				no_proxy: '127.0.0.1,localhost,::1',
				N8N_EXPRESSION_ENGINE: 'legacy',
			},
		},
		log,
	);
	process.env.SURVEY_TRIGGERS_E2E_STATE = STATE_FILE;
	writeFileSync(
		STATE_FILE,
		JSON.stringify({ url: running.url, pid: running.process.pid, userFolder, logFile, proxyLog }),
	);
	Object.assign(globalThis, { __n8n: running, __proxy: proxy });
	log(`n8n up in ${Math.round((Date.now() - started) / 1000)} s (log: ${logFile})`);
}
