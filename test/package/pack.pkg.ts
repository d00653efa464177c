/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions -- Node-side code (tests, emulators, scripts), never loaded by n8n */
/**
 * What users install: the packed package holds the built nodes, credentials, icons and codex files,
 * nothing else, and its package.json follows n8n's community-package rules. Needs dist/:
 * `npm run test:package` builds first.
 */
import { execFileSync } from 'child_process';
import { existsSync, readFileSync } from 'fs';
import path from 'path';
import { loadModule } from '../../scripts/lib/load';

type Icon = { light: string; dark: string };

const root = path.join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

describe('package.json', () => {
	it('installs nothing and runs nothing in n8n: no runtime dependencies, no install-time scripts', () => {
		// What n8n's community-package rules forbid; the rest is checked by `npm run scan`.
		expect(pkg.dependencies ?? {}).toEqual({});
		for (const script of [
			'preinstall',
			'install',
			'postinstall',
			'prepare',
			'prepack',
			'postpack',
			'prepublish',
		]) {
			expect(pkg.scripts).not.toHaveProperty(script);
		}
	});
});

describe('npm pack', () => {
	const builtNode = path.join(root, 'dist/nodes/Prolific/ProlificTrigger.node.js');

	it('contains exactly the built files n8n loads', () => {
		if (!existsSync(builtNode))
			throw new Error('dist/ is missing: run `npm run test:package`, which builds first');
		const [report] = JSON.parse(
			execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
				cwd: root,
				encoding: 'utf8',
			}),
		);
		const files: string[] = report.files.map((file: { path: string }) => file.path).sort();

		for (const entry of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) expect(files).toContain(entry);
		for (const nodePath of pkg.n8n.nodes as string[]) {
			expect(files).toContain(nodePath.replace(/\.js$/, '.json'));
		}
		for (const entry of [...pkg.n8n.nodes, ...pkg.n8n.credentials] as string[]) {
			// n8n loads the class named like the file (a credential file may export helpers beside it).
			const Type = loadModule(path.join(root, entry))[
				path.basename(entry).split('.')[0]
			] as new () => { description?: { icon: Icon }; icon?: Icon };
			const instance = new Type();
			const icon = (instance.description?.icon ?? instance.icon) as Icon;
			for (const file of [icon.light, icon.dark] as string[]) {
				expect(files).toContain(
					path.posix.join(path.posix.dirname(entry), file.replace(/^file:/, '')),
				);
			}
		}
		const unexpected = files.filter(
			(file) =>
				!/^(package\.json|index\.js|README\.md|LICENSE(\.md)?|dist\/.+\.(js|json|svg))$/.test(file),
		);
		expect(unexpected).toEqual([]);
		expect(files.some((file) => file.startsWith('dist/test') || file.endsWith('.ts'))).toBe(false);
	});

	it('lists nodes whose built files load and describe themselves', () => {
		for (const nodePath of pkg.n8n.nodes as string[]) {
			const exported = loadModule(path.join(root, nodePath));
			const [NodeClass] = Object.values(exported) as Array<
				new () => { description: { name: string; icon: unknown } }
			>;
			const instance = new NodeClass();
			expect(path.basename(nodePath, '.node.js').toLowerCase()).toBe(
				instance.description.name.toLowerCase(),
			);
			const codex = JSON.parse(
				readFileSync(path.join(root, nodePath.replace(/\.js$/, '.json')), 'utf8'),
			);
			expect(codex.node).toBe(`n8n-nodes-survey-triggers.${instance.description.name}`);
		}
	});
});
