/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- Node-side code (tests, emulators, scripts), never loaded by n8n */
/**
 * A provider is one unit: every trigger package.json lists has everything CONTRIBUTING's "Adding a
 * provider" names — its credential (listed too), codex file, both icons, a registry file, fixtures,
 * a README section with Troubleshooting, a section of docs/providers.md, its screenshots (made by
 * the e2e editor test) and a test folder. A provider may also have an action node (nodes/<Provider>/),
 * named by its registry entry, on the trigger's credential, with its own README section. A forgotten
 * piece fails here with a message that names it.
 */
import { existsSync, readdirSync, readFileSync } from 'fs';
import type { INodeType, INodeTypeDescription } from 'n8n-workflow';
import path from 'path';

import { firstExport } from '../scripts/lib/load';
import { PROVIDERS } from '../scripts/lib/providers';

const ROOT = path.resolve(__dirname, '..');
const packageJson = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
	n8n: { nodes: string[]; credentials: string[] };
};
const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** The source file of a dist path in package.json (dist/nodes/X/X.node.js → nodes/X/X.node.ts). */
const sourceOf = (distPath: string) =>
	path.join(ROOT, distPath.replace(/^dist\//, '').replace(/\.js$/, '.ts'));

/** The README section of a heading (`## Prolific`) up to the next section of that level. */
function readmeSection(title: string): string | undefined {
	const start = readme.indexOf(`\n## ${title}\n`);
	if (start < 0) return undefined;
	const next = readme.indexOf('\n## ', start + 1);
	return readme.slice(start, next < 0 ? undefined : next);
}

const nodes = packageJson.n8n.nodes.map((distPath) => {
	const source = sourceOf(distPath);
	const description = existsSync(source)
		? new (firstExport<new () => INodeType>(source))().description
		: undefined;
	return { distPath, source, description };
});

const nodeFileOf = (source: string) =>
	path.relative(path.join(ROOT, 'nodes'), source).replace(/\.ts$/, '');

it('lists at least one trigger, and a registry file for each node and no other', () => {
	expect(nodes.some(({ description }) => description?.group.includes('trigger'))).toBe(true);
	const listed = nodes.map(({ source }) => nodeFileOf(source)).sort();
	const registered = PROVIDERS.flatMap((entry) => [
		entry.nodeFile,
		...(entry.actionNode ? [entry.actionNode.nodeFile] : []),
		...(entry.catchUpNode ? [entry.catchUpNode.nodeFile] : []),
	]);
	expect(registered.sort()).toEqual(listed);
});

describe.each(nodes)('$distPath', ({ source, description }) => {
	const missing: string[] = [];
	const need = (what: string, present: boolean) => {
		if (!present) missing.push(what);
	};
	const folder = path.dirname(source);
	need(`its source ${path.relative(ROOT, source)}`, description !== undefined);
	const node = description as INodeTypeDescription;
	const entry = PROVIDERS.find((candidate) => candidate.nodeFile === nodeFileOf(source));
	const owner = PROVIDERS.find(
		(candidate) => candidate.actionNode?.nodeFile === nodeFileOf(source),
	);
	const catchUpOf = PROVIDERS.find(
		(candidate) => candidate.catchUpNode?.nodeFile === nodeFileOf(source),
	);
	need(
		`a registry file in scripts/lib/providers/ whose nodeFile (or actionNode.nodeFile, catchUpNode.nodeFile) is ${nodeFileOf(source)}, listed in its index.ts`,
		entry !== undefined || owner !== undefined || catchUpOf !== undefined,
	);

	it('has everything "Adding a provider" names', () => {
		if (node) {
			need(
				`the codex file ${path.relative(ROOT, source.replace(/\.ts$/, '.json'))}`,
				existsSync(source.replace(/\.ts$/, '.json')),
			);
			const icon = node.icon as { light?: string; dark?: string } | undefined;
			for (const variant of ['light', 'dark'] as const) {
				const file = icon?.[variant]?.replace(/^file:/, '');
				need(
					`a ${variant} icon (description.icon.${variant}, a file beside the node)`,
					Boolean(file && existsSync(path.join(folder, file))),
				);
			}
			for (const { name } of node.credentials ?? []) {
				const file = `dist/credentials/${name.charAt(0).toUpperCase()}${name.slice(1)}.credentials.js`;
				need(
					`the credential ${name} in credentials/ and listed in package.json as ${file}`,
					packageJson.n8n.credentials.includes(file) && existsSync(sourceOf(file)),
				);
			}
			need('at least one credential', (node.credentials ?? []).length > 0);
			need(
				`the registry entry's node name ${node.name}`,
				(entry?.nodeName ?? owner?.actionNode?.nodeName ?? catchUpOf?.catchUpNode?.nodeName) ===
					node.name,
			);
		}
		if (catchUpOf?.catchUpNode && node) {
			need(
				`the trigger's credential ${catchUpOf.credentialType}`,
				(node.credentials ?? []).some((credential) => credential.name === catchUpOf.credentialType),
			);
			need('polling: true (a polling trigger)', node.polling === true);
			need(
				`${catchUpOf.catchUpNode.displayName} named in README's "## Missed events" and in docs/catch-up.md`,
				Boolean(readmeSection('Missed events')?.includes(catchUpOf.catchUpNode.displayName)) &&
					readFileSync(path.join(ROOT, 'docs', 'catch-up.md'), 'utf8').includes(
						catchUpOf.catchUpNode.displayName,
					),
			);
		}
		if (owner?.actionNode && node) {
			need(
				`the trigger's credential ${owner.credentialType}`,
				(node.credentials ?? []).some((credential) => credential.name === owner.credentialType),
			);
			const heading = `### ${owner.actionNode.displayName} node`;
			need(
				`a "${heading}" in README's "## ${owner.displayName}" section`,
				Boolean(readmeSection(owner.displayName)?.includes(`\n${heading}\n`)),
			);
			need(
				`tests of the node in test/${owner.provider}/`,
				existsSync(path.join(ROOT, 'test', owner.provider, 'node.test.ts')),
			);
		}
		if (entry) {
			const fixtures = path.join(ROOT, 'test', 'fixtures', entry.provider);
			for (const name of entry.fixtures)
				need(
					`the fixture test/fixtures/${entry.provider}/${name}.json`,
					existsSync(path.join(fixtures, `${name}.json`)),
				);
			need(
				'a sample of its main event among the fixtures',
				entry.fixtures.includes(entry.samples[entry.event]),
			);
			const section = readmeSection(entry.displayName);
			need(`a README section "## ${entry.displayName}"`, section !== undefined);
			need(
				`a "### Troubleshooting" in README's "## ${entry.displayName}" section`,
				Boolean(section?.includes('\n### Troubleshooting\n')),
			);
			for (const shot of ['trigger', 'listening', 'refused'])
				need(
					`the screenshot docs/${entry.provider}-${shot}.png (npm run test:e2e makes it)`,
					existsSync(path.join(ROOT, 'docs', `${entry.provider}-${shot}.png`)),
				);
			need(
				`a section "## ${entry.displayName}" in docs/providers.md`,
				readFileSync(path.join(ROOT, 'docs', 'providers.md'), 'utf8').includes(
					`\n## ${entry.displayName}\n`,
				),
			);
			need(
				`a test folder test/${entry.provider}/ with its own tests`,
				existsSync(path.join(ROOT, 'test', entry.provider)),
			);
		}
		expect(missing).toEqual([]);
	});
});

it('keeps each provider in one folder: its files import only their own folder, nodes/shared/ and credentials/', () => {
	const crossings: string[] = [];
	for (const folder of readdirSync(path.join(ROOT, 'nodes'))) {
		if (folder === 'shared') continue;
		for (const file of readdirSync(path.join(ROOT, 'nodes', folder)).filter((name) =>
			name.endsWith('.ts'),
		)) {
			const text = readFileSync(path.join(ROOT, 'nodes', folder, file), 'utf8');
			for (const [, target] of text.matchAll(/from '([^']+)'/g))
				if (
					target.startsWith('.') &&
					!/^\.\/|^\.\.\/shared\/|^\.\.\/\.\.\/credentials\//.test(target)
				)
					crossings.push(`nodes/${folder}/${file} → ${target}`);
		}
	}
	expect(crossings).toEqual([]);
	// One folder per provider of the registry, named as the provider.
	const folders = readdirSync(path.join(ROOT, 'nodes')).filter((name) => name !== 'shared');
	expect(folders.sort()).toEqual(PROVIDERS.map((entry) => entry.displayName).sort());
});
