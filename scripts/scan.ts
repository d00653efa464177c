/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions -- Node-side code (tests, emulators, scripts), never loaded by n8n */
/**
 * `npm run scan` — n8n's own gate for community packages, `@n8n/scan-community-package`, run
 * locally: its ESLint rules over the packed tarball (as the scanner checks a published version) and
 * over the sources (package.json, nodes/, credentials/). Exits non-zero on any violation.
 *
 * The scanner is installed once into the cache beside n8n. Its `typescript@7` has no JavaScript
 * API, so TypeScript 5.x is installed beside it, and `n8n-workflow` for the node types. Provenance
 * (the scanner's first check on the registry) only exists for published versions: publish.yml
 * publishes with `--provenance`.
 */
import { execFileSync } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import os from 'os';
import path from 'path';

import { CACHE_DIR, cleanEnv, REPO } from './lib/runtime';

const SCANNER_VERSION = '0.32.0';

function ensureScanner(): string {
	const dir = path.join(CACHE_DIR, `scanner-${SCANNER_VERSION}`);
	const marker = path.join(dir, 'ready');
	if (existsSync(marker)) return dir;
	rmSync(dir, { recursive: true, force: true });
	mkdirSync(dir, { recursive: true });
	writeFileSync(path.join(dir, 'package.json'), '{"private":true}');
	process.stdout.write(`Installing @n8n/scan-community-package ${SCANNER_VERSION} into ${dir} …\n`);
	execFileSync(
		'npm',
		[
			'install',
			'--no-audit',
			'--no-fund',
			'--ignore-scripts',
			'--legacy-peer-deps',
			`@n8n/scan-community-package@${SCANNER_VERSION}`,
			'typescript@5.8',
			'n8n-workflow@2',
		],
		{ cwd: dir, stdio: ['ignore', 'inherit', 'inherit'], env: cleanEnv() },
	);
	writeFileSync(marker, new Date().toISOString());
	return dir;
}

/** The scanner's ESM entry, run in its own folder so its dependencies resolve there. */
const RUNNER = `
import { analyzePackage, SOURCE_FILE_PATTERNS } from '@n8n/scan-community-package/scanner/scanner.mjs';
const [tarball, sources, control] = process.argv.slice(1);
// Control: the same package with a runtime dependency must be refused, or the scanner saw nothing.
const refused = await analyzePackage(control, ['package.json']);
if (refused.passed) {
	console.log('scan control: a package with a runtime dependency passed — the scanner is not linting');
	process.exit(1);
}
console.log('scan control: a package with a runtime dependency is refused, as it must be');
let failed = false;
for (const [label, dir, patterns] of [
	['packed tarball', tarball, ['**/*.js', 'package.json']],
	['sources', sources, SOURCE_FILE_PATTERNS],
]) {
	const result = await analyzePackage(dir, patterns);
	console.log(\`scan \${label}: \${result.passed ? 'passed, 0 violations' : result.message}\`);
	if (!result.passed) {
		failed = true;
		if (result.details) console.log(result.details);
	}
}
process.exit(failed ? 1 : 0);
`;

function main() {
	const scanner = ensureScanner();
	const work = mkdtempSync(path.join(os.tmpdir(), 'survey-triggers-scan-'));
	try {
		// A real tarball even inside a release dry run (npm_config_dry_run=true would make pack one too).
		const tarball = execFileSync(
			'npm',
			['pack', '--ignore-scripts', '--dry-run=false', '--silent', '--pack-destination', work],
			{ cwd: REPO, encoding: 'utf8' },
		)
			.trim()
			.split('\n')
			.pop()!;
		execFileSync('tar', ['-xzf', path.join(work, tarball), '-C', work]);
		const control = path.join(work, 'control');
		mkdirSync(control);
		const pkg = JSON.parse(readFileSync(path.join(work, 'package', 'package.json'), 'utf8'));
		writeFileSync(
			path.join(control, 'package.json'),
			JSON.stringify({ ...pkg, dependencies: { axios: '*' } }, null, 2),
		);
		process.stdout.write(
			`scanning ${tarball} and the sources with @n8n/scan-community-package ${SCANNER_VERSION}\n`,
		);
		execFileSync(
			process.execPath,
			['--input-type=module', '-e', RUNNER, path.join(work, 'package'), REPO, control],
			{
				cwd: scanner,
				stdio: 'inherit',
				env: cleanEnv(),
			},
		);
	} finally {
		rmSync(work, { recursive: true, force: true });
	}
}

try {
	main();
} catch (error) {
	process.stderr.write(`${(error as Error).message.split('\n')[0]}\n`);
	process.exit(1);
}
