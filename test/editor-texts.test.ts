/**
 * What the editor shows of each trigger, in the user's words: the subtitle names the selected
 * events as Events shows them (evaluated by n8n's expression engine), the waiting panel says what
 * to do in the provider and names WEBHOOK_URL (Screeb and Refiner: how to test with the Test URL),
 * the outputs are Event and Problems, and nothing tells a user to "activate" without n8n 2.x's word.
 */
import { Workflow, type INode, type INodeType, type INodeTypes } from 'n8n-workflow';

import { PROVIDERS } from '../scripts/lib/providers';
import { loadNode } from './helpers/trigger-profiles';

const subtitleOf = (node: INode, subtitle: string, nodeType: INodeType) => {
	const nodeTypes = {
		getByName: () => nodeType,
		getByNameAndVersion: () => nodeType,
		getKnownTypes: () => ({}),
	} as unknown as INodeTypes;
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	return workflow.expression.getSimpleParameterValue(node, subtitle, 'internal', {}, undefined, '');
};

describe.each(PROVIDERS.map((entry) => [entry.displayName, entry] as const))(
	'%s Trigger',
	(_, entry) => {
		const nodeType = loadNode(entry.nodeFile);
		const { description } = nodeType;

		it('has an Event and a Problems output', () => {
			expect(description.outputs).toHaveLength(2);
			expect(description.outputNames).toEqual(['Event', 'Problems']);
		});

		it('says while listening what to do in the provider, and names WEBHOOK_URL', () => {
			expect(description.eventTriggerDescription).toContain('WEBHOOK_URL');
			const panel = description.triggerPanel as {
				executionsHelp: { inactive: string };
				activationHint: string;
			};
			expect(panel.executionsHelp.inactive).toContain('WEBHOOK_URL');
			expect(panel.executionsHelp.inactive).toContain('Problems');
			expect(panel.activationHint).toContain('publish the workflow (activate it on n8n 1.x)');
			if (['screeb', 'refiner'].includes(entry.provider)) {
				expect(description.eventTriggerDescription).toContain('Test URL');
				expect(description.eventTriggerDescription).toContain('Production URL back');
			}
		});

		const subtitle = description.subtitle as string;
		const named = entry.eventOptions.filter((option) => option.value !== '*').slice(0, 2);
		// Poltio's subtitle names its scope, not events.
		if (subtitle.includes('events'))
			it('names the selected events as Events shows them in the subtitle', () => {
				const node: INode = {
					id: '1',
					name: 'Trigger',
					type: description.name,
					typeVersion: 1,
					position: [0, 0],
					parameters: { events: [...named.map((option) => String(option.value)), 'custom.type'] },
				};
				expect(subtitleOf(node, subtitle, nodeType)).toBe(
					[...named.map((option) => option.name), 'custom.type'].join(', '),
				);
			});
	},
);
