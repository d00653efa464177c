/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- Node-side code (tests, emulators, scripts), never loaded by n8n */
/**
 * What the editor shows of each trigger, in the user's words: the subtitle names the selected
 * events as Events shows them (evaluated by n8n's expression engine); the outputs are Event and
 * Problems, resolved as n8n's editor resolves them, with Event the one output it can pin; the
 * waiting panel names n8n's own buttons, WEBHOOK_URL and the Options a user sets, and says that a
 * refusal still shows as a green step; the canvas line is one short sentence; Screeb and Refiner
 * give their test steps word for word in panel, notice, README and docs.
 */
import { readFileSync } from 'fs';
import path from 'path';
import {
	NodeHelpers,
	Workflow,
	type INode,
	type INodeOutputConfiguration,
	type INodeType,
	type INodeTypes,
} from 'n8n-workflow';

import { REFINER_TEST_STEPS } from '../nodes/Refiner/test-steps';
import { SCREEB_TEST_STEPS } from '../nodes/Screeb/test-steps';
import { simplifyProperty } from '../nodes/shared/properties';
import { PROVIDERS } from '../scripts/lib/providers';
import { loadNode } from './helpers/trigger-profiles';

const root = path.resolve(__dirname, '..');
const README = readFileSync(path.join(root, 'README.md'), 'utf8');
const PROVIDERS_DOC = readFileSync(path.join(root, 'docs', 'providers.md'), 'utf8');
/** Markdown as it reads: emphasis and line breaks do not count. */
const plain = (text: string) => text.replace(/[*_`]/g, '').replace(/\s+/g, ' ');
const TEST_STEPS: Record<string, string> = {
	screeb: SCREEB_TEST_STEPS,
	refiner: REFINER_TEST_STEPS,
};

const workflowWith = (node: INode, nodeType: INodeType) => {
	const nodeTypes = {
		getByName: () => nodeType,
		getByNameAndVersion: () => nodeType,
		getKnownTypes: () => ({}),
	} as unknown as INodeTypes;
	return new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
};

const subtitleOf = (node: INode, subtitle: string, nodeType: INodeType) =>
	workflowWith(node, nodeType).expression.getSimpleParameterValue(
		node,
		subtitle,
		'internal',
		{},
		undefined,
		'',
	);

describe.each(PROVIDERS.map((entry) => [entry.displayName, entry] as const))(
	'%s Trigger',
	(_, entry) => {
		const nodeType = loadNode(entry.nodeFile);
		const { description } = nodeType;

		const node: INode = {
			id: '1',
			name: 'Trigger',
			type: description.name,
			typeVersion: 2,
			position: [0, 0],
			parameters: {},
		};

		it('has an Event and a Problems output, and n8n’s editor can pin Event (its one main output outside the error category)', () => {
			// The editor's checks: a static list of several outputs offers no Pin; an expression is resolved.
			expect(typeof description.outputs).toBe('string');
			const outputs = NodeHelpers.getNodeOutputs(
				workflowWith(node, nodeType),
				node,
				description,
			) as INodeOutputConfiguration[];
			expect(outputs).toEqual([
				{ type: 'main', displayName: 'Event' },
				{ type: 'main', displayName: 'Problems', category: 'error' },
			]);
			expect(outputs.filter((output) => output.category !== 'error')).toHaveLength(1);
			expect(description.outputNames).toEqual(['Event', 'Problems']);
		});

		const panel = description.triggerPanel as {
			executionsHelp: { inactive: string; active: string };
			activationHint: { inactive: string; active: string };
		};
		const texts = {
			canvas: description.eventTriggerDescription ?? '',
			inactive: panel.executionsHelp.inactive,
			active: panel.executionsHelp.active,
			hintInactive: panel.activationHint.inactive,
			hintActive: panel.activationHint.active,
		};

		it('keeps the canvas line to one short sentence; the steps are in the panel', () => {
			expect(texts.canvas.length).toBeLessThanOrEqual(60);
			expect(texts.canvas).not.toMatch(/[.:;]/);
		});

		it('names n8n’s buttons as both lines show them, WEBHOOK_URL, Pin, and the green step of a refusal', () => {
			expect(texts.inactive).toContain('<b>Execute step</b>');
			expect(texts.inactive).toContain('<b>Test this trigger</b>');
			expect(Object.values(texts).join(' ')).not.toMatch(/Listen for test event/i);
			expect(texts.inactive).toContain('WEBHOOK_URL');
			expect(texts.inactive).toContain('Problems');
			expect(texts.inactive).toContain('Node executed successfully');
			expect(texts.inactive).toContain('<b>Pin</b>');
		});

		it('names the Option a user may have changed, not a bare number, and promises no alert on publish', () => {
			expect(texts.active).toContain('Options › Problem Report Window');
			expect(texts.active).toContain('Stop and Error');
			expect(texts.active.replace(/\(10 minutes unless changed\)/, '')).not.toMatch(/10 minutes/);
			expect(Object.values(texts).join(' ')).not.toMatch(/reports as failed|provider reports/i);
		});

		it('uses activationHint’s {inactive, active} form, and says “(activate it on n8n 1.x)” once per text at most', () => {
			expect(texts.hintInactive).toContain('publish the workflow (activate it on n8n 1.x)');
			expect(texts.hintActive).toContain('published');
			for (const text of Object.values(texts))
				expect(text.split('(activate it on n8n 1.x)').length).toBeLessThanOrEqual(2);
		});

		it('labels the event selector as every other trigger does', () => {
			const events = description.properties.find((property) => property.name === 'events');
			expect(events?.displayName).toBe('Event Names or IDs');
		});

		const steps = TEST_STEPS[entry.provider];
		if (steps)
			it('gives the test steps that never move the production URL, word for word in panel, notice, README and docs', () => {
				const notice = description.properties.find((property) => property.name === 'setupNotice');
				expect(texts.inactive).toContain(steps);
				expect(notice?.displayName).toContain(steps);
				expect(plain(README)).toContain(steps);
				expect(plain(PROVIDERS_DOC)).toContain(steps);
				expect(steps).not.toMatch(/for a moment|back afterwards/);
			});

		const subtitle = description.subtitle as string;
		const named = entry.eventOptions.filter((option) => option.value !== '*').slice(0, 2);
		// Poltio's subtitle names its scope, not events.
		if (subtitle.includes('events'))
			it('names the selected events as Events shows them in the subtitle', () => {
				const withEvents: INode = {
					...node,
					parameters: { events: [...named.map((option) => String(option.value)), 'custom.type'] },
				};
				expect(subtitleOf(withEvents, subtitle, nodeType)).toBe(
					[...named.map((option) => option.name), 'custom.type'].join(', '),
				);
			});
	},
);

it('the Simplify hint lists the fields an item really starts with, in their order', () => {
	const hint = String(simplifyProperty.hint);
	const order = ['provider', 'eventId', 'dedupeKey', 'eventType', 'receivedAt', 'replayKey'];
	const positions = order.map((field) => hint.indexOf(field));
	expect(positions.every((position) => position >= 0)).toBe(true);
	expect([...positions].sort((a, b) => a - b)).toEqual(positions);
});
