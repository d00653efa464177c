/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- Node-side code (tests, emulators, scripts), never loaded by n8n */
/**
 * The GitHub Actions workflows cannot run here, so their structure is checked: they parse, run on
 * the right events with the right permissions, call npm scripts that exist, run the fresh-clone
 * tests before anything is built, cover both n8n lines, and publish with provenance.
 */
import { readFileSync } from 'fs';
import path from 'path';
import { parse } from 'yaml';

const root = path.join(__dirname, '..');
const scripts = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).scripts as Record<
	string,
	string
>;

interface Step {
	name?: string;
	uses?: string;
	run?: string;
	with?: Record<string, unknown>;
	env?: Record<string, string>;
}
interface Job {
	needs?: string | string[];
	permissions?: Record<string, string>;
	strategy?: { matrix: Record<string, unknown[]> };
	steps: Step[];
}
interface Workflow {
	on: Record<string, unknown>;
	permissions?: Record<string, string>;
	jobs: Record<string, Job>;
}

const workflow = (name: string) =>
	parse(readFileSync(path.join(root, '.github', 'workflows', name), 'utf8')) as Workflow;
const runs = (job: Job) => job.steps.map((step) => step.run ?? '').filter(Boolean);

/** Every `npm run X` / `npm test` in a command line names a script of package.json. */
function expectKnownScripts(commands: string[]) {
	for (const command of commands) {
		for (const [, name] of command.matchAll(/npm run ([\w:-]+)/g))
			expect(Object.keys(scripts)).toContain(name);
		if (/npm test\b/.test(command)) expect(scripts.test).toBeDefined();
	}
}

describe('ci.yml', () => {
	const ci = workflow('ci.yml');

	it('runs on pushes to main and on pull requests, reading the repository only', () => {
		expect(ci.on.push).toEqual({ branches: ['main'] });
		expect(ci.on).toHaveProperty('pull_request');
		expect(ci.permissions).toEqual({ contents: 'read' });
	});

	it('runs npm test right after a clean install, before anything is built, then every check', () => {
		const steps = runs(ci.jobs.checks);
		const order = [
			'npm ci',
			'npm test',
			'npm run lint',
			'npm run lint:n8n',
			'npm run typecheck',
			'npm run build',
			'npm run test:package',
			'npm run scan',
			'npm run release',
		];
		expect(order.map((command) => steps.indexOf(command))).toEqual(order.map((_, index) => index));
	});

	it('runs the reliability suite, and the end-to-end suite on both n8n lines', () => {
		expect(runs(ci.jobs.reliability)).toContain('npm run test:reliability');
		expect(ci.jobs.e2e.strategy?.matrix.n8n).toEqual(['2.41.1', '1.123.81']);
		const e2e = ci.jobs.e2e.steps.find((step) => step.run === 'npm run test:e2e');
		expect(e2e?.env).toEqual({ N8N_VERSION: '${{ matrix.n8n }}' });
	});

	it('ends the checks with a dry run of the release, its publish lifecycle switched on', () => {
		const dryRun = ci.jobs.checks.steps.find((step) => step.run === 'npm run release');
		expect(dryRun?.env).toEqual({ npm_config_dry_run: 'true', npm_config_ignore_scripts: 'false' });
	});

	it('calls only npm scripts that exist', () => {
		for (const job of Object.values(ci.jobs)) expectKnownScripts(runs(job));
	});
});

describe('publish.yml', () => {
	const publish = workflow('publish.yml');
	const steps = publish.jobs.publish.steps;
	const release = steps.find((step) => step.run?.includes('npm run release'));

	it('runs on the tags `npm run bump` makes (X.Y.Z, no v) with the OIDC permission provenance needs and nothing more', () => {
		expect(publish.on).toEqual({ push: { tags: ['*.*.*'] } });
		expect(publish.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
		expect(readFileSync(path.join(root, 'scripts', 'bump.ts'), 'utf8')).toContain(
			"git('tag', '-a', version,",
		);
	});

	it('installs, checks the tag, runs our tests and n8n-node lint, then publishes through n8n-node release', () => {
		const commands = runs(publish.jobs.publish);
		const releasing = commands.findIndex((command) => command.includes('npm run release'));
		expect(scripts.release).toBe('n8n-node release');
		for (const before of ['npm ci', 'npm test', 'npm run lint:n8n']) {
			expect(commands.indexOf(before)).toBeGreaterThanOrEqual(0);
			expect(commands.indexOf(before)).toBeLessThan(releasing);
		}
		const tagCheck = commands.find((command) => command.includes('$GITHUB_REF_NAME'));
		expect(tagCheck).toBe(
			'test "$(node -p "require(\'./package.json\').version")" = "$GITHUB_REF_NAME"',
		);
		expect(commands.some((command) => command.startsWith('npm publish'))).toBe(false);
		expectKnownScripts(commands);
	});

	it('uses trusted publishing (npm 11 on Node 24) with an NPM_TOKEN fallback, and runs the publish lifecycle', () => {
		const node = steps.find((step) => step.uses?.startsWith('actions/setup-node'));
		expect(Number(node?.with?.['node-version'])).toBeGreaterThanOrEqual(24);
		expect(node?.with?.['registry-url']).toBe('https://registry.npmjs.org');
		expect(release?.env).toEqual({
			NPM_TOKEN: '${{ secrets.NPM_TOKEN }}',
			npm_config_ignore_scripts: 'false',
		});
		expect(release?.run).toContain('npm config set //registry.npmjs.org/:_authToken "$NPM_TOKEN"');
	});
});

describe('prepublishOnly', () => {
	it('lets only n8n-node release publish, then runs the type check, the tests, the package tests and the scanner', () => {
		const guard = scripts.prepublishOnly.split('&&').map((part) => part.trim());
		expect(guard[0]).toBe('n8n-node prerelease');
		expect(guard.slice(1)).toEqual([
			'npm run typecheck',
			'npm test',
			'npm run test:package',
			'npm run scan',
		]);
		expect(scripts['test:package']).toMatch(/^npm run build && /);
		expectKnownScripts(guard);
	});

	it('is reached only with provenance: publishConfig asks for it, so a publish outside GitHub Actions fails', () => {
		expect(JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).publishConfig).toEqual(
			{ provenance: true, access: 'public' },
		);
	});
});
