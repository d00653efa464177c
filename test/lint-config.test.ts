/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- Node-side code (tests, emulators, scripts), never loaded by n8n */
/**
 * n8n's strict lint (`n8n-node lint`, run by `n8n-node release`) refuses any eslint.config.mjs but its
 * template, then runs `eslint .` over every .ts file with n8n Cloud's rules. Tests, emulators and
 * scripts run under Node and are never loaded by n8n, so they may switch off the rules that only
 * make sense inside n8n — and nothing else, only file by file, in one comment on the first line.
 */
import { readdirSync, readFileSync } from 'fs';
import path from 'path';

const root = path.join(__dirname, '..');

/** The rules a Node-side file may switch off: what n8n Cloud forbids inside a running n8n. */
export const N8N_ONLY_RULES = [
	'@n8n/community-nodes/no-restricted-globals', // process, __dirname, timers: fine in a test runner
	'@n8n/community-nodes/no-restricted-imports', // fs, child_process, http: emulators and n8n provisioning
	'@n8n/community-nodes/no-dangerous-functions', // starting npm, n8n, chromium
	'@n8n/community-nodes/no-hardcoded-secrets', // test vectors and emulator credentials
];
const NODE_SIDE = /^(test|scripts)\//;
const FILE_LEVEL =
	/^\/\* eslint-disable ([^*]+?) -- Node-side code \(tests, emulators, scripts\), never loaded by n8n \*\/$/;

function sourceFiles(dir = root): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		if (['node_modules', 'dist', '.git'].includes(entry.name)) return [];
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) return sourceFiles(full);
		return /\.(ts|js|mjs|cjs)$/.test(entry.name)
			? [path.relative(root, full).split(path.sep).join('/')]
			: [];
	});
}

const normalised = (text: string) => text.replace(/\s+/g, ' ').trim();

it("eslint.config.mjs is n8n-node's template, as strict mode compares it", () => {
	const template = readFileSync(
		path.join(
			root,
			'node_modules/@n8n/node-cli/dist/template/templates/shared/default/eslint.config.mjs',
		),
		'utf8',
	);
	expect(normalised(readFileSync(path.join(root, 'eslint.config.mjs'), 'utf8'))).toBe(
		normalised(template),
	);
	expect(normalised(template)).toBe(
		"import { config } from '@n8n/node-cli/eslint'; export default config;",
	);
});

it('has no other ESLint config at the root, which ESLint would load before eslint.config.mjs', () => {
	const configs = readdirSync(root).filter((name) => /^(eslint\.config\.|\.eslintrc)/.test(name));
	expect(configs).toEqual(['eslint.config.mjs']);
});

it('switches off only n8n-only rules, only in test/ and scripts/, only file by file', () => {
	const problems: string[] = [];
	const switched = new Set<string>();
	for (const file of sourceFiles()) {
		const lines = readFileSync(path.join(root, file), 'utf8').split('\n');
		lines.forEach((line, index) => {
			// A directive is a comment that starts with eslint-disable/-enable or `eslint rule: …`.
			if (!/(\/\/|\/\*)\s*(eslint-(disable|enable)|eslint\s)/.test(line)) return;
			const fileLevel = index === 0 ? FILE_LEVEL.exec(line) : null;
			if (!fileLevel || !NODE_SIDE.test(file)) {
				problems.push(`${file}:${index + 1}: ${line.trim()}`);
				return;
			}
			for (const rule of fileLevel[1].split(',').map((name) => name.trim())) {
				if (N8N_ONLY_RULES.includes(rule)) switched.add(rule);
				else problems.push(`${file}:1: switches off ${rule}, which applies outside n8n too`);
			}
		});
	}
	expect(problems).toEqual([]);
	// The list is no wider than what the Node-side files need.
	expect([...switched].sort()).toEqual([...N8N_ONLY_RULES].sort());
});
