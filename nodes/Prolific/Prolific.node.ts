import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { asNodeError } from '../shared/api';
import { prolificApi } from './registration';
import { payBonus } from './bonus';
import { properties } from './description';
import {
	searchStudies,
	searchSubmissions,
	sendMessage,
	studyOperation,
	submissionOperation,
} from './operations';

/**
 * What decides what a participant is paid: approving releases the study reward, rejecting withholds
 * it, asking for a return gives the place (and its reward) back, and a bonus pays. An AI agent may
 * run them only with Allow AI Agents to Move Money on.
 */
const MONEY_OPERATIONS: Record<string, string[]> = {
	submission: ['approve', 'reject', 'requestReturn'],
	bonus: ['pay'],
};

/** n8n runs a node used by an AI agent as a type named after it with "Tool" appended (and says so on 2.x). */
const runByAgent = (ctx: IExecuteFunctions) =>
	ctx.getNode().type.endsWith('Tool') ||
	(typeof ctx.isToolExecution === 'function' && ctx.isToolExecution());

function refuseAgentUnlessAllowed(
	ctx: IExecuteFunctions,
	resource: string,
	operation: string,
	index: number,
): void {
	if (!MONEY_OPERATIONS[resource]?.includes(operation) || !runByAgent(ctx)) return;
	if (ctx.getNodeParameter('allowAgentMoney', index, false)) return;
	throw new NodeOperationError(
		ctx.getNode(),
		'AI agents may not approve, reject, return or pay with this node',
		{
			itemIndex: index,
			description:
				'Each of these decides what a participant is paid. Turn on "Allow AI Agents to Move Money" in the node to let an agent do it; nothing was sent.',
		},
	);
}

/**
 * Programmatic rather than declarative: every call goes through the package's API layer (bounded
 * retries, errors that quote Prolific without secrets, the credential's custom endpoints), and
 * Approve, Reject and Pay need logic around their calls (a status read first, the idempotency store).
 */
export class Prolific implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Prolific',
		name: 'prolific',
		icon: { light: 'file:prolific.svg', dark: 'file:prolific.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description:
			'Review, approve or reject Prolific submissions, pay bonuses once, read studies and message participants',
		defaults: { name: 'Prolific' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'prolificApi', required: true }],
		properties,
	};

	methods = { listSearch: { searchStudies, searchSubmissions } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const output: INodeExecutionData[] = [];
		// The credential is read once per execution, not per item.
		const api = await prolificApi(this);
		for (let index = 0; index < items.length; index++) {
			const resource = this.getNodeParameter('resource', index) as string;
			const operation = this.getNodeParameter('operation', index) as string;
			try {
				refuseAgentUnlessAllowed(this, resource, operation, index);
				let result: IDataObject | IDataObject[];
				if (resource === 'submission')
					result = await submissionOperation(this, api, operation, index);
				else if (resource === 'study') result = await studyOperation(this, api, operation, index);
				else if (resource === 'bonus') result = await payBonus(this, api, items[index], index);
				else result = await sendMessage(this, api, index);
				for (const json of Array.isArray(result) ? result : [result])
					output.push({ json, pairedItem: { item: index } });
			} catch (error) {
				if (!this.continueOnFail()) throw asNodeError(this, error);
				output.push({
					json: { error: error instanceof Error ? error.message : String(error) },
					pairedItem: { item: index },
				});
			}
		}
		return [output];
	}
}
