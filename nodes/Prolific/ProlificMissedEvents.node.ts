import type {
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';

import { missedEventsProperties, pollMissedEvents } from '../shared/catch-up';
import { OUTPUT_NAMES, TRIGGER_OUTPUTS } from '../shared/properties';
import { prolificMissedEvents } from './missed';

export class ProlificMissedEvents implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Prolific Missed Events',
		name: 'prolificMissedEvents',
		icon: { light: 'file:prolific.svg', dark: 'file:prolific.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: 'Events the Prolific Trigger missed',
		description:
			'Runs the Prolific events that the workflow’s Prolific Trigger missed while n8n was down or unreachable, read from Prolific’s delivery log',
		defaults: { name: 'Prolific Missed Events' },
		polling: true,
		inputs: [],
		outputs: TRIGGER_OUTPUTS,
		outputNames: OUTPUT_NAMES,
		credentials: [{ name: 'prolificApi', required: true }],
		properties: missedEventsProperties('Prolific', 'FAILED after about 12 attempts over 24 hours'),
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return pollMissedEvents(this, prolificMissedEvents);
	}
}
