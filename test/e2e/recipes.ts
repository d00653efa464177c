/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- Node-side code (tests, emulators, scripts), never loaded by n8n */
/**
 * docs/recipes' workflows as a user imports them into n8n, with the user's own choices made: the
 * credentials, the fields a recipe leaves empty for the user, node settings a test varies. A node
 * that needs an account outside this machine (Google Sheets, Slack) is swapped for n8n's Edit
 * Fields node under the same name, which records what that node would have sent: the mapped
 * columns' expressions (or, where the Sheets node maps automatically, the item as it is) and the
 * Slack message's text expression.
 */
import { randomUUID } from 'crypto';
import { readFileSync } from 'fs';
import path from 'path';

import type { N8nRest } from '../../scripts/lib/rest';

export interface RecipeNode {
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	[key: string]: unknown;
}

export interface Recipe {
	name: string;
	nodes: RecipeNode[];
	connections: Record<string, { main: Array<Array<{ node: string }>> }>;
	settings?: Record<string, unknown>;
}

export const RECIPES = path.join(__dirname, '..', '..', 'docs', 'recipes');

export const readRecipe = (file: string): Recipe =>
	JSON.parse(readFileSync(path.join(RECIPES, file), 'utf8')) as Recipe;

/** The node types the stand-in replaces (they need an account this machine cannot reach). */
export const OUTSIDE_NODES = ['n8n-nodes-base.googleSheets', 'n8n-nodes-base.slack'];

const assignment = (name: string, value: unknown) => ({
	id: randomUUID(),
	name,
	value,
	type: typeof value === 'number' ? 'number' : 'string',
});

/** Edit Fields in place of a node that needs an outside account: what it would send, recorded. */
export function standIn(node: RecipeNode): RecipeNode {
	const columns = node.parameters.columns as
		| { mappingMode?: string; value?: Record<string, unknown> }
		| undefined;
	const mapped = columns?.mappingMode === 'defineBelow' ? (columns.value ?? {}) : undefined;
	const assignments = mapped
		? Object.entries(mapped).map(([name, value]) => assignment(name, value))
		: node.type === 'n8n-nodes-base.slack'
			? [assignment('text', node.parameters.text)]
			: [];
	return {
		id: randomUUID(),
		name: node.name,
		type: 'n8n-nodes-base.set',
		typeVersion: 3.4,
		position: node.position,
		parameters: {
			mode: 'manual',
			assignments: { assignments },
			// Sheets' "Map Automatically" writes every field of the item.
			includeOtherFields: columns?.mappingMode === 'autoMapInputData',
			options: {},
		},
	};
}

/**
 * Creates and publishes a recipe: credentials by type, the trigger's webhook id, each stand-in, and
 * `change` for what a user fills in. Returns the workflow and its trigger's production URL.
 */
export async function importRecipe(
	rest: N8nRest,
	file: string,
	credentials: Record<string, { id: string; name: string }>,
	change: (node: RecipeNode) => void = () => {},
): Promise<{ workflowId: string; url: string; recipe: Recipe }> {
	const recipe = readRecipe(file);
	const webhookId = randomUUID();
	recipe.nodes = recipe.nodes.map((original) => {
		const node = OUTSIDE_NODES.includes(original.type) ? standIn(original) : original;
		node.id = randomUUID();
		for (const type of Object.keys(node.credentials ?? {}))
			node.credentials![type] = credentials[type];
		if (node.type.endsWith('Trigger')) node.webhookId = webhookId;
		change(node);
		return node;
	});
	const workflow = await rest.createWorkflow({
		name: `${recipe.name} ${randomUUID().slice(0, 6)}`,
		nodes: recipe.nodes,
		connections: recipe.connections,
		settings: { executionOrder: 'v1', ...recipe.settings },
	});
	await rest.publish(workflow.id);
	return { workflowId: workflow.id, url: `${rest.url}/webhook/${webhookId}/webhook`, recipe };
}
