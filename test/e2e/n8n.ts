/**
 * The real n8n shared by the end-to-end tests: started once in globalSetup (see global-setup.ts),
 * found here through a small state file, and driven through its REST API.
 */
import { readFileSync } from 'fs';
import os from 'os';
import path from 'path';
import { parse } from 'flatted';

import { N8nRest } from '../../scripts/lib/rest';

export const STATE_FILE = path.join(os.tmpdir(), 'survey-triggers-e2e.json');

export interface E2eState {
	url: string;
	pid: number;
	userFolder: string;
	logFile: string;
	proxyLog: string;
}

export const e2eState = (): E2eState => JSON.parse(readFileSync(STATE_FILE, 'utf8'));

export async function signedInRest(): Promise<N8nRest> {
	const rest = new N8nRest(e2eState().url);
	await rest.signIn();
	return rest;
}

/** Output items of one node in one execution. */
export async function nodeOutput(rest: N8nRest, executionId: string, nodeName: string): Promise<Array<Record<string, unknown>>> {
	const execution = await rest.execution(executionId);
	const data = parse(execution.data);
	const runs = data.resultData.runData[nodeName] ?? [];
	return runs.flatMap((run: any) => (run.data?.main?.[0] ?? []).map((item: any) => item.json));
}

/** Waits until `check` returns a value that is not undefined/false, or fails after `ms`. */
export async function eventually<T>(check: () => Promise<T | undefined | false> | T | undefined | false, ms = 15_000, what = 'condition'): Promise<T> {
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
