import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { asNodeError } from '../shared/api';
import { prolificApi } from '../ProlificTrigger/registration';
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
