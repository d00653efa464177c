/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions -- Node-side code (tests, emulators, scripts), never loaded by n8n */
/**
 * Provisions and runs a real n8n for development and end-to-end tests: a Node that n8n 2.x accepts
 * and n8n itself, both from the npm registry and cached outside the checkout; our packed package
 * installed the way n8n's community-node installer lays it out; n8n started offline on loopback.
 */
import { execFileSync, spawn, type ChildProcess } from 'child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'fs';
import net, { type AddressInfo } from 'net';
import os from 'os';
import path from 'path';

/** The n8n line to run: 2.41.1 by default; `N8N_VERSION=1.123.81` for n8n 1.x (what CI proves). */
export const N8N_VERSION = process.env.N8N_VERSION || '2.41.1';
export const N8N_MAJOR = Number(N8N_VERSION.split('.')[0]);
/** The n8n versions CI runs the end-to-end suite against (README's compatibility table). */
export const N8N_VERSIONS_PROVEN = ['2.41.1', '1.123.81'];
const NODE_MAJOR = 24;
export const REPO = path.resolve(__dirname, '..', '..');
export const CACHE_DIR =
	process.env.SURVEY_TRIGGERS_CACHE ??
	path.join(os.homedir(), '.cache', 'n8n-nodes-survey-triggers');

export type Log = (message: string) => void;

/**
 * The environment without npm's own per-project settings: when this runs under `npm run`, npm
 * exports the project's config (e.g. ignore-scripts) as npm_config_* variables, which must not
 * leak into the installs of Node and n8n.
 */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
	const env = Object.fromEntries(
		Object.entries(process.env).filter(([key]) => !/^npm_(config|package|lifecycle)_/i.test(key)),
	);
	return { ...env, ...extra };
}

function run(
	command: string,
	args: string[],
	options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
) {
	execFileSync(command, args, {
		stdio: ['ignore', 'inherit', 'inherit'],
		cwd: options.cwd,
		env: options.env ?? cleanEnv(),
	});
}

/** A Node binary of major version ≥ 24: this process's own, or one installed from the npm registry. */
export function ensureNode(log: Log): string {
	if (Number(process.versions.node.split('.')[0]) >= NODE_MAJOR) return process.execPath;
	const pkg = `node-${process.platform}-${process.arch}`;
	const dir = path.join(CACHE_DIR, `node${NODE_MAJOR}`);
	const binary = path.join(dir, 'node_modules', pkg, 'bin', 'node');
	if (!existsSync(binary)) {
		log(`Installing Node ${NODE_MAJOR} (${pkg}) into ${dir} …`);
		mkdirSync(dir, { recursive: true });
		writeFileSync(path.join(dir, 'package.json'), '{"private":true}');
		run(
			'npm',
			[
				'install',
				'--no-audit',
				'--no-fund',
				'--ignore-scripts',
				'--no-save',
				`${pkg}@${NODE_MAJOR}`,
			],
			{ cwd: dir },
		);
	}
	return binary;
}

const withNode = (nodeBinary: string): NodeJS.ProcessEnv =>
	cleanEnv({ PATH: `${path.dirname(nodeBinary)}${path.delimiter}${process.env.PATH ?? ''}` });

/**
 * n8n installed with its install scripts off (one of its dependencies downloads from GitHub, which
 * this kind of machine cannot reach), then sqlite3 built from source against the Node 24 headers.
 */
export function ensureN8n(nodeBinary: string, log: Log): string {
	const dir = path.join(CACHE_DIR, `n8n-${N8N_VERSION}`);
	const binary = path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
	const marker = path.join(dir, 'ready');
	if (existsSync(marker)) return binary;
	rmSync(dir, { recursive: true, force: true });
	mkdirSync(dir, { recursive: true });
	// n8n 1.x depends on an xlsx tarball from a CDN; the registry's xlsx release stands in for it.
	const overrides = N8N_MAJOR < 2 ? { overrides: { xlsx: '0.18.5' } } : {};
	writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ private: true, ...overrides }));
	const env = withNode(nodeBinary);
	log(`Installing n8n ${N8N_VERSION} into ${dir} (first run only, a few minutes) …`);
	run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', `n8n@${N8N_VERSION}`], {
		cwd: dir,
		env,
	});
	log('Building sqlite3 for this Node …');
	const nodeDir = path.resolve(path.dirname(nodeBinary), '..');
	run('npm', ['rebuild', 'sqlite3'], {
		cwd: dir,
		env: {
			...env,
			npm_config_build_from_source: 'true',
			npm_config_nodedir: nodeDir,
			npm_config_ignore_scripts: 'false',
		},
	});
	writeFileSync(marker, new Date().toISOString());
	return binary;
}

/**
 * Packs this repository and installs the tarball into `<userFolder>/.n8n/nodes/node_modules/<name>`,
 * as n8n's community installer does: dev, peer and optional dependencies stripped, then
 * `npm install --ignore-scripts`. So only dist/ and runtime dependencies exist there — zod comes
 * from n8n itself.
 */
export function installPackedPackage(userFolder: string, log: Log): string {
	const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8'));
	const packDir = path.join(userFolder, 'pack');
	mkdirSync(packDir, { recursive: true });
	const tarball = execFileSync(
		'npm',
		['pack', '--ignore-scripts', '--silent', '--pack-destination', packDir],
		{ cwd: REPO, encoding: 'utf8' },
	)
		.trim()
		.split('\n')
		.pop()!;
	const target = path.join(userFolder, '.n8n', 'nodes', 'node_modules', pkg.name);
	rmSync(target, { recursive: true, force: true });
	mkdirSync(target, { recursive: true });
	execFileSync('tar', ['-xzf', path.join(packDir, tarball), '-C', target, '--strip-components=1']);
	const installed = JSON.parse(readFileSync(path.join(target, 'package.json'), 'utf8'));
	delete installed.devDependencies;
	delete installed.peerDependencies;
	delete installed.optionalDependencies;
	writeFileSync(path.join(target, 'package.json'), JSON.stringify(installed, null, 2));
	run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--no-package-lock'], {
		cwd: target,
	});
	log(`Installed ${tarball} into ${target}`);
	return target;
}

export interface N8nOptions {
	port: number;
	userFolder: string;
	logFile: string;
	env?: NodeJS.ProcessEnv;
	/** `start` (main, the default), or `worker` / `webhook` for queue mode. */
	command?: 'start' | 'worker' | 'webhook';
	/** Where to wait for readiness (default: the main/webhook readiness endpoint on `port`). */
	readinessUrl?: string;
}

/** The environment of an offline, loopback-only n8n with telemetry and outbound calls off. */
export function n8nEnvironment(
	nodeBinary: string,
	{ port, userFolder, env }: N8nOptions,
): NodeJS.ProcessEnv {
	const base = `http://127.0.0.1:${port}/`;
	return {
		...withNode(nodeBinary),
		// n8n quits silently under NODE_ENV=test, which test runners set.
		NODE_ENV: 'production',
		N8N_USER_FOLDER: userFolder,
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		N8N_WEBHOOK_URL: base,
		N8N_EDITOR_BASE_URL: base,
		N8N_SECURE_COOKIE: 'false',
		N8N_ENCRYPTION_KEY: 'survey-triggers-local-development-key',
		DB_TYPE: 'sqlite',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_AI_ENABLED: 'false',
		N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
		// 2.x only: 1.x refuses to start with a module name it does not know.
		...(N8N_MAJOR >= 2 ? { N8N_DISABLED_MODULES: 'mcp-registry' } : {}),
		N8N_VERIFIED_PACKAGES_ENABLED: 'false',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		N8N_RUNNERS_MODE: 'internal',
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_RUNNERS_BROKER_PORT: String(port + 1),
		N8N_RUNNERS_TASK_TIMEOUT: '60',
		N8N_LOG_LEVEL: 'info',
		...env,
	};
}

export interface RunningN8n {
	url: string;
	process: ChildProcess;
	stop(): Promise<void>;
}

export async function startN8n(
	nodeBinary: string,
	n8nBinary: string,
	options: N8nOptions,
	log: Log,
): Promise<RunningN8n> {
	mkdirSync(options.userFolder, { recursive: true });
	const logFd = openSync(options.logFile, 'a');
	const child = spawn(nodeBinary, [n8nBinary, options.command ?? 'start'], {
		env: n8nEnvironment(nodeBinary, options),
		stdio: ['ignore', logFd, logFd],
		detached: true, // own process group: stop() ends n8n and its task runner together
	});
	const url = `http://127.0.0.1:${options.port}`;
	const stop = () =>
		new Promise<void>((resolve) => {
			if (child.exitCode !== null) return resolve();
			child.once('exit', () => resolve());
			try {
				process.kill(-child.pid!, 'SIGTERM');
			} catch {
				resolve();
			}
			setTimeout(() => {
				try {
					process.kill(-child.pid!, 'SIGKILL');
				} catch {
					// already gone
				}
			}, 15_000).unref();
		});
	const deadline = Date.now() + 180_000;
	while (Date.now() < deadline) {
		if (child.exitCode !== null)
			throw new Error(`n8n exited with code ${child.exitCode}; see ${options.logFile}`);
		try {
			const response = await fetch(options.readinessUrl ?? `${url}/healthz/readiness`);
			// n8n 1.x reports ready a moment before its REST API is mounted: the main process waits for both.
			const restMounted =
				(options.command ?? 'start') !== 'start' ||
				(await fetch(`${url}/rest/settings`)).status !== 404;
			if (response.status === 200 && restMounted) {
				log(`n8n ${options.command ?? 'start'} is ready at ${url}`);
				return { url, process: child, stop };
			}
		} catch {
			// not listening yet
		}
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	await stop();
	throw new Error(`n8n did not become ready within 180 s; see ${options.logFile}`);
}

/** A TCP port that is free on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
	const server = net.createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	await new Promise((resolve) => server.close(resolve));
	return port;
}
