/**
 * An action node's execute() run through n8n-core's own ExecuteContext: real parameter and
 * expression resolution, request helpers and deduplication helpers. What n8n's CLI provides is
 * provided here: the credentials store (coreAdditionalData) and the processed-items store, kept in
 * memory per workflow and node as n8n's database keeps it.
 */
import type {
	ICheckProcessedContextData,
	ICheckProcessedOptions,
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataDeduplicator,
	IDataObject,
	IExecuteFunctions,
	INode,
	INodeExecutionData,
	INodeType,
} from 'n8n-workflow';
import { createRunExecutionData, Workflow } from 'n8n-workflow';

import { loadModule } from '../../scripts/lib/load';
import { coreAdditionalData } from './real-n8n-core';

const core = loadModule('n8n-core') as unknown as typeof import('n8n-core');

/** n8n's processed-items store, in memory: entries per workflow (and node), oldest evicted first. */
export class MemoryProcessedStore implements IDataDeduplicator {
	readonly entries = new Map<string, string[]>();

	private scopeOf(context: string, data: ICheckProcessedContextData) {
		return context === 'node' ? `${data.workflow.id}:${data.node?.id}` : data.workflow.id;
	}

	async checkProcessedAndRecord(
		items: Array<string | number>,
		context: 'node' | 'workflow',
		data: ICheckProcessedContextData,
		options: ICheckProcessedOptions,
	) {
		const scope = this.scopeOf(context, data);
		const kept = this.entries.get(scope) ?? [];
		const output = { new: [] as Array<string | number>, processed: [] as Array<string | number> };
		for (const item of items) {
			if (kept.includes(String(item))) output.processed.push(item);
			else {
				output.new.push(item);
				kept.push(String(item));
			}
		}
		this.entries.set(scope, kept.slice(-(options.maxEntries ?? Infinity)));
		return output;
	}

	async removeProcessed(
		items: Array<string | number>,
		context: 'node' | 'workflow',
		data: ICheckProcessedContextData,
	) {
		const scope = this.scopeOf(context, data);
		const gone = new Set(items.map(String));
		this.entries.set(
			scope,
			(this.entries.get(scope) ?? []).filter((entry) => !gone.has(entry)),
		);
	}

	async clearAllProcessedItems(context: 'node' | 'workflow', data: ICheckProcessedContextData) {
		this.entries.delete(this.scopeOf(context, data));
	}

	async getProcessedDataCount(context: 'node' | 'workflow', data: ICheckProcessedContextData) {
		return (this.entries.get(this.scopeOf(context, data)) ?? []).length;
	}
}

export const processedStore = new MemoryProcessedStore();
let storeReady: Promise<void> | undefined;

export interface ExecuteRun {
	nodeType: INodeType;
	parameters: INode['parameters'];
	credentialType: ICredentialType;
	credentials: ICredentialDataDecryptedObject;
	items?: IDataObject[];
	/** Runs the node as n8n runs it for an AI agent (its type name ends in "Tool"). */
	asTool?: boolean;
	/** The same id runs the same node of the same workflow (its processed-items store). */
	workflowId?: string;
	continueOnFail?: boolean;
}

export async function executeNode(run: ExecuteRun): Promise<IDataObject[]> {
	storeReady ??= core.DataDeduplicationService.init(processedStore);
	await storeReady;
	const name = run.nodeType.description.name;
	// As n8n registers a usableAsTool node for agents: the same node under "<name>Tool", so that
	// parameters shown only with the @tool display option are kept.
	const nodeType: INodeType = run.asTool
		? Object.assign(Object.create(run.nodeType) as INodeType, {
				description: { ...run.nodeType.description, name: `${name}Tool` },
			})
		: run.nodeType;
	const node: INode = {
		id: 'a1b2c3d4-0000-4000-8000-00000000000a',
		name: 'Prolific',
		type: `n8n-nodes-survey-triggers.${name}${run.asTool ? 'Tool' : ''}`,
		typeVersion: 1,
		position: [0, 0],
		parameters: run.parameters,
		continueOnFail: run.continueOnFail,
		credentials: {
			[run.credentialType.name]: { id: 'cred-1', name: `My ${run.credentialType.name}` },
		},
	};
	const workflow = new Workflow({
		id: run.workflowId ?? 'wf-execute',
		name: 'Prolific follow-up',
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: {
			getByName: () => nodeType,
			getByNameAndVersion: () => nodeType,
			getKnownTypes: () => ({}),
		},
	});
	const { additionalData } = coreAdditionalData(run.credentialType, run.credentials);
	const items: INodeExecutionData[] = (run.items ?? [{}]).map((json) => ({ json }));
	const inputData = { main: [items] };
	const ctx = new core.ExecuteContext(
		workflow,
		node,
		additionalData,
		'manual',
		createRunExecutionData(),
		0,
		items,
		inputData,
		{ node, data: inputData, source: null },
		[],
	) as unknown as IExecuteFunctions;
	const [output] = (await nodeType.execute!.call(ctx)) as INodeExecutionData[][];
	return output.map((item) => item.json);
}
