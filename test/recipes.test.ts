/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- Node-side code (tests, emulators, scripts), never loaded by n8n */
/**
 * docs/recipes as a user imports them: every trigger has one for its common case; each package
 * trigger is the current type version with Problems wired to Stop and Error; a sticky note says
 * what to change; nothing that looks like a real ID is filled in (credentials, documents, studies
 * and codes are left empty for the user); README names every recipe.
 */
import { readdirSync, readFileSync } from 'fs';
import path from 'path';

import { PROVIDERS } from '../scripts/lib/providers';
import { readRecipe, RECIPES } from './e2e/recipes';

const files = readdirSync(RECIPES).filter((file) => file.endsWith('.json'));
const README = readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
/** Every text a user reads in parameters; n8n's own condition `id`s are not the user's data. */
const strings = (value: unknown): string[] =>
	typeof value === 'string'
		? [value]
		: Array.isArray(value)
			? value.flatMap(strings)
			: value && typeof value === 'object'
				? Object.entries(value)
						.filter(([key]) => key !== 'id')
						.flatMap(([, inner]) => strings(inner))
				: [];

it('has a recipe for every trigger', () => {
	const triggerTypes = files.flatMap((file) =>
		readRecipe(file).nodes.map((node) => node.type.split('.')[1]),
	);
	for (const { provider } of PROVIDERS) expect(triggerTypes).toContain(`${provider}Trigger`);
});

describe.each(files)('%s', (file) => {
	const recipe = readRecipe(file);
	const triggers = recipe.nodes.filter(
		(node) => node.type.startsWith('n8n-nodes-survey-triggers.') && node.type.endsWith('Trigger'),
	);

	it('starts with at most one trigger of this package, of the current version, whose Problems output goes to Stop and Error', () => {
		expect(triggers.length).toBeLessThanOrEqual(1);
		for (const trigger of triggers) {
			expect(trigger.typeVersion).toBe(2);
			const [, problems] = recipe.connections[trigger.name].main;
			const stop = recipe.nodes.find((node) => node.name === problems?.[0]?.node);
			expect(stop?.type).toBe('n8n-nodes-base.stopAndError');
		}
	});

	it('has a sticky note that names what to change', () => {
		const note = recipe.nodes.find((node) => node.type === 'n8n-nodes-base.stickyNote');
		expect(String(note?.parameters.content)).toMatch(/credential/);
		if (triggers.length) expect(String(note?.parameters.content)).toMatch(/Stop and Error/);
	});

	it('leaves IDs and credentials empty for the user', () => {
		for (const node of recipe.nodes) {
			for (const credential of Object.values(node.credentials ?? {}))
				expect(credential.id).toBe('');
			const idLike = strings(node.parameters).filter((text) =>
				/\b[0-9a-f]{24}\b|\b[0-9A-HJKMNP-TV-Z]{26}\b|\b[0-9a-f]{8}-[0-9a-f]{4}-/i.test(text),
			);
			expect([node.name, idLike]).toEqual([node.name, []]);
		}
	});

	it('is named in README', () => {
		expect(README).toContain(`docs/recipes/${file}`);
	});
});
