import type {
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';

import { missedEventsProperties, pollMissedEvents } from '../shared/catch-up';
import { OUTPUT_NAMES, TRIGGER_OUTPUTS } from '../shared/properties';
import { cintMissedEvents } from './missed';

export class CintMissedEvents implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Cint Missed Events',
		name: 'cintMissedEvents',
		icon: { light: 'file:cint.svg', dark: 'file:cint.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: 'Events the Cint Trigger missed',
		description:
			'Runs the Cint events that the workflow’s Cint Trigger missed while n8n was down or unreachable, read from Cint’s delivery log',
		defaults: { name: 'Cint Missed Events' },
		polling: true,
		inputs: [],
		outputs: TRIGGER_OUTPUTS,
		outputNames: OUTPUT_NAMES,
		credentials: [{ name: 'cintApi', required: true }],
		properties: missedEventsProperties('Cint', 'bounced or expired'),
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return pollMissedEvents(this, cintMissedEvents);
	}
}
