/* eslint-disable @n8n/community-nodes/no-restricted-imports -- Node-side code (tests, emulators, scripts), never loaded by n8n */
/**
 * Serves a trigger node's webhook() over real HTTP on 127.0.0.1 and answers the way n8n's webhook
 * handler does: a JSON body that does not parse is refused with 422 before the node runs; a response
 * the node wrote itself is sent as written; `webhookResponse` is sent with 200; `workflowData` starts
 * an execution (its Event and Problems outputs recorded here), answered 200 unless the node wrote its own response. A node that throws, or that claims to have answered
 * without writing anything (a request that would hang in n8n), is recorded as a fault.
 */
import http from 'http';
import type { AddressInfo } from 'net';
import type { INodeExecutionData, INodeType } from 'n8n-workflow';

import { responseRecorder, webhookContext, type Harness } from './n8n-context';

export interface WebhookServer {
	url: string;
	/** The Event output of every run that had an event on it. */
	executions: INodeExecutionData[][];
	/** Every item of the Problems output, in order, and how many runs carried any. */
	problems: INodeExecutionData[];
	problemRuns: number;
	/** Every run started, as how many items it had on Event and on Problems. */
	runs: Array<{ events: number; problems: number }>;
	faults: string[];
	close(): Promise<void>;
}

export async function startWebhookServer(
	node: INodeType,
	harness: Harness,
): Promise<WebhookServer> {
	const executions: INodeExecutionData[][] = [];
	const problems: INodeExecutionData[] = [];
	let problemRuns = 0;
	const runs: WebhookServer['runs'] = [];
	const faults: string[] = [];
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => void handle(Buffer.concat(chunks)));

		const reply = (status: number, body: unknown) => {
			res.writeHead(status, { 'content-type': 'application/json' });
			res.end(JSON.stringify(body));
		};

		async function handle(rawBody: Buffer) {
			const url = new URL(req.url ?? '/', 'http://127.0.0.1');
			if ((req.headers['content-type'] ?? '').includes('json') && rawBody.length > 0) {
				try {
					JSON.parse(rawBody.toString('utf8'));
				} catch {
					return reply(422, { message: 'Failed to parse request body' });
				}
			}
			const recorder = responseRecorder();
			try {
				const result = await node.webhook!.call(
					webhookContext(
						harness,
						{
							rawBody,
							headers: req.headers,
							query: Object.fromEntries(url.searchParams),
							params: paramsOf(url),
						},
						recorder,
					),
				);
				// As in n8n: workflowData starts a run, also beside a response the node wrote itself.
				const [events = [], reported = []] = result.workflowData ?? [];
				if (result.workflowData) runs.push({ events: events.length, problems: reported.length });
				if (events.length) executions.push(events);
				if (reported.length) {
					problems.push(...reported);
					problemRuns++;
				}
				if (result.noWebhookResponse) {
					if (recorder.statusCode === undefined) {
						faults.push('noWebhookResponse without a written response');
						return reply(599, { message: 'node wrote no response' });
					}
					return reply(recorder.statusCode, recorder.body);
				}
				if (result.workflowData) return reply(200, { message: 'Workflow was started' });
				return reply(200, result.webhookResponse ?? { message: 'Workflow was started' });
			} catch (error) {
				faults.push(`webhook() threw: ${(error as Error).message}`);
				return reply(500, { message: 'Error in workflow' });
			}
		}
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/webhook`,
		executions,
		problems,
		get problemRuns() {
			return problemRuns;
		},
		runs,
		faults,
		close: () => new Promise((resolve) => server.close(() => resolve())),
	};
}

/** The `setup` webhook's path parameter (`/setup/:token`, see n8n-context.ts); none for `/webhook`. */
function paramsOf(url: URL): Record<string, string> {
	const [, token] = /^\/setup\/([^/]+)$/.exec(url.pathname) ?? [];
	return token === undefined ? {} : { token: decodeURIComponent(token) };
}

export { post, type PostResult } from '../../scripts/lib/post';
