/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- Node-side code (tests, emulators, scripts), never loaded by n8n */
/**
 * The real n8n shared by the end-to-end tests: started once in globalSetup (see global-setup.ts),
 * found here through a small state file, and driven through its REST API.
 */
import { appendFileSync, readFileSync } from 'fs';
import os from 'os';
import path from 'path';
import { parse } from 'flatted';

import { N8nRest } from '../../scripts/lib/rest';

/** Set by global setup for the test workers it starts, so concurrent suites never share state. */
export const STATE_FILE =
	process.env.SURVEY_TRIGGERS_E2E_STATE ??
	path.join(os.tmpdir(), `survey-triggers-e2e-${process.pid}.json`);

export interface E2eState {
	url: string;
	pid: number;
	userFolder: string;
	logFile: string;
	proxyLog: string;
}

export const e2eState = (): E2eState => JSON.parse(readFileSync(STATE_FILE, 'utf8'));

/** Secrets and tokens the suite used; global teardown checks that none of them is in n8n's log. */
export const secretsFile = () => `${e2eState().userFolder}/secrets-used.txt`;

export function recordSecrets(...values: Array<string | undefined>): void {
	const real = values.filter(
		(value): value is string => typeof value === 'string' && value.length >= 8,
	);
	if (real.length) appendFileSync(secretsFile(), real.map((value) => `${value}\n`).join(''));
}

/** The recorded secrets that appear in `text`. */
export function leakedSecrets(text: string): string[] {
	const secrets = readFileSync(secretsFile(), 'utf8').split('\n').filter(Boolean);
	return [...new Set(secrets.filter((secret) => text.includes(secret)))];
}

export async function signedInRest(): Promise<N8nRest> {
	const rest = new N8nRest(e2eState().url);
	await rest.signIn();
	return rest;
}

/** The part of an execution's data that holds each node's output items. */
type RunData = {
	resultData: {
		runData: Record<
			string,
			Array<{ data?: { main?: Array<Array<{ json: Record<string, unknown> }>> } }>
		>;
	};
};

/** Output items of one node in one execution: its first output (a trigger's Event), or another (1: Problems). */
export async function nodeOutput(
	rest: N8nRest,
	executionId: string,
	nodeName: string,
	output = 0,
): Promise<Array<Record<string, unknown>>> {
	const execution = await rest.execution(executionId);
	const data = parse(execution.data) as RunData;
	const runs = data.resultData.runData[nodeName] ?? [];
	return runs.flatMap((run) => (run.data?.main?.[output] ?? []).map((item) => item.json));
}

/**
 * The file a node output as its first item's binary `data`: inline (base64) or, where n8n keeps
 * binary data outside the execution, downloaded as the editor does.
 */
export async function binaryOutput(
	rest: N8nRest,
	executionId: string,
	nodeName: string,
): Promise<string> {
	const execution = await rest.execution(executionId);
	const runs = (parse(execution.data) as RunData).resultData.runData[nodeName] ?? [];
	const item = runs[0]?.data?.main?.[0]?.[0] as
		| { binary?: Record<string, { id?: string; data?: string }> }
		| undefined;
	const file = item?.binary?.data;
	if (!file) throw new Error(`${nodeName} output no binary data`);
	return file.id
		? (await rest.binaryData(file.id)).toString('utf8')
		: Buffer.from(file.data ?? '', 'base64').toString('utf8');
}

/** The names of the nodes that ran in one execution. */
export async function nodesRun(rest: N8nRest, executionId: string): Promise<string[]> {
	const execution = await rest.execution(executionId);
	return Object.keys((parse(execution.data) as RunData).resultData.runData);
}

/** Waits until `check` returns a value that is not undefined/false, or fails after `ms`. */
export async function eventually<T>(
	check: () => Promise<T | undefined | false> | T | undefined | false,
	ms = 15_000,
	what = 'condition',
): Promise<T> {
	const deadline = Date.now() + ms;
	let last: unknown;
	while (Date.now() < deadline) {
		try {
			const value = await check();
			if (value !== undefined && value !== false) return value as T;
		} catch (error) {
			last = error;
		}
		await new Promise((resolve) => setTimeout(resolve, 150));
	}
	throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}
