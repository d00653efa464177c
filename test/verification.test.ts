/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- Node-side code (tests, emulators, scripts), never loaded by n8n */
/**
 * The lines of README's "n8n verification" checklist that the sources show, checked over what
 * package.json ships (its `n8n` block), so that a node or credential added later is checked too.
 */
import { readdirSync, readFileSync } from 'fs';
import type { ICredentialType, INodeType } from 'n8n-workflow';
import path from 'path';

import { firstExport } from '../scripts/lib/load';

const root = path.join(__dirname, '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
/** The source file of a built entry of package.json's n8n block. */
const source = (entry: string) =>
	path.join(root, entry.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
const nodes = (pkg.n8n.nodes as string[]).map(
	(entry) => new (firstExport<new () => INodeType>(source(entry)))(),
);
const credentials = (pkg.n8n.credentials as string[]).map(
	(entry) => new (firstExport<new () => ICredentialType>(source(entry)))(),
);

it('is MIT licensed', () => {
	expect(pkg.license).toBe('MIT');
	expect(readFileSync(path.join(root, 'LICENSE.md'), 'utf8')).toMatch(/^MIT License\n/);
});

it('names its repository, homepage and author, and keeps the n8n-community-node-package keyword', () => {
	expect(pkg.repository.url).toMatch(/^git\+https:\/\/github\.com\/[^/]+\/[^/]+\.git$/);
	expect(pkg.homepage).toMatch(/^https:\/\/www\.npmjs\.com\/package\/n8n-nodes-survey-triggers#/);
	expect(pkg.author.name).toBeTruthy();
	expect(pkg.author.email).toMatch(/@/);
	expect(pkg.keywords).toContain('n8n-community-node-package');
});

it('has no runtime dependencies; n8n-workflow is its only peer', () => {
	expect(pkg.dependencies ?? {}).toEqual({});
	expect(Object.keys(pkg.peerDependencies)).toEqual(['n8n-workflow']);
});

it('gives every webhook trigger checkExists, create and delete, and every polling trigger poll()', () => {
	const triggers = nodes.filter(
		(node) => node.description.group.includes('trigger') && !node.description.polling,
	);
	expect(triggers.length).toBeGreaterThan(0);
	const pollers = nodes.filter((node) => node.description.polling);
	for (const node of pollers)
		expect([node.description.name, typeof node.poll]).toEqual([node.description.name, 'function']);
	for (const node of triggers) {
		const hooks = node.webhookMethods?.default ?? {};
		expect([node.description.name, Object.keys(hooks).sort()]).toEqual([
			node.description.name,
			['checkExists', 'create', 'delete'],
		]);
		for (const hook of Object.values(hooks)) expect(typeof hook).toBe('function');
	}
});

it('gives every credential a test: a test request, or a credential test of the node that uses it', () => {
	for (const credential of credentials) {
		const testedBy = nodes
			.flatMap((node) =>
				(node.description.credentials ?? [])
					.filter((used) => used.name === credential.name)
					.map((used) => ({ node, used })),
			)
			.filter(
				({ node, used }) =>
					typeof used.testedBy === 'string' &&
					typeof node.methods?.credentialTest?.[used.testedBy] === 'function',
			);
		expect([credential.name, Boolean(credential.test) || testedBy.length > 0]).toEqual([
			credential.name,
			true,
		]);
	}
});

it('speaks English only: no letter outside the Latin script in nodes and credentials', () => {
	const walk = (dir: string): string[] =>
		readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) =>
			entry.isDirectory()
				? walk(path.join(dir, entry.name))
				: /\.(ts|json)$/.test(entry.name)
					? [path.join(dir, entry.name)]
					: [],
		);
	const files = ['nodes', 'credentials'].flatMap((dir) => walk(dir));
	expect(files.length).toBeGreaterThan(20);
	const foreign = files.flatMap((file) =>
		[...readFileSync(path.join(root, file), 'utf8').matchAll(/[^\P{L}\p{Script=Latin}]/gu)].map(
			(match) => `${file}: ${match[0]}`,
		),
	);
	expect(foreign).toEqual([]);
});
