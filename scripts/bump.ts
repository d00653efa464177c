/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions -- Node-side code (tests, emulators, scripts), never loaded by n8n */
/**
 * `npm run bump -- <patch|minor|major|x.y.z>` — prepares a release on a clean main: bumps the
 * version in package.json and package-lock.json, turns CHANGELOG.md's "Unreleased" section into
 * the new version's, commits, and tags `<version>` (no `v`, as `n8n-node release` and its publish
 * workflow expect). Pushing the tag (`git push --follow-tags`) starts .github/workflows/publish.yml,
 * which runs our gates and then `npm run release` (`n8n-node release`: lint, build, publish with
 * npm provenance).
 */
import { execFileSync } from 'child_process';
import { readFileSync, writeFileSync } from 'fs';
import path from 'path';

const SEMVER = /^(\d+)\.(\d+)\.(\d+)$/;

export function nextVersion(current: string, bump: string): string {
	if (SEMVER.test(bump)) return bump;
	const match = SEMVER.exec(current);
	if (!match) throw new Error(`package.json version ${current} is not x.y.z`);
	const [major, minor, patch] = match.slice(1).map(Number);
	if (bump === 'major') return `${major + 1}.0.0`;
	if (bump === 'minor') return `${major}.${minor + 1}.0`;
	if (bump === 'patch') return `${major}.${minor}.${patch + 1}`;
	throw new Error(`say patch, minor, major or a version x.y.z (got "${bump}")`);
}

/** CHANGELOG.md with the Unreleased entries moved under the new version; refuses an empty release. */
export function changelogFor(changelog: string, version: string, date: string): string {
	const heading = /^## Unreleased[ \t]*$/m;
	const start = changelog.search(heading);
	if (start < 0) throw new Error('CHANGELOG.md has no "## Unreleased" section');
	const afterHeading = changelog.indexOf('\n', start) + 1;
	const next = changelog.slice(afterHeading).search(/^## /m);
	const end = next < 0 ? changelog.length : afterHeading + next;
	const entries = changelog.slice(afterHeading, end).trim();
	if (!entries)
		throw new Error('CHANGELOG.md says nothing under "## Unreleased": write what changed first');
	return `${changelog.slice(0, start)}## Unreleased\n\n## ${version} — ${date}\n\n${entries}\n\n${changelog.slice(end).replace(/^\n+/, '')}`.replace(
		/\n+$/,
		'\n',
	);
}

export function release(
	repo: string,
	bump: string,
	date = new Date().toISOString().slice(0, 10),
): string {
	const git = (...args: string[]) =>
		execFileSync('git', args, { cwd: repo, encoding: 'utf8' }).trim();
	if (git('status', '--porcelain'))
		throw new Error('the working tree has uncommitted changes: commit or stash them first');
	const pkg = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8'));
	const version = nextVersion(pkg.version, bump);
	if (git('tag', '--list', version)) throw new Error(`tag ${version} exists already`);
	const changelogPath = path.join(repo, 'CHANGELOG.md');
	writeFileSync(changelogPath, changelogFor(readFileSync(changelogPath, 'utf8'), version, date));
	execFileSync(
		'npm',
		['version', version, '--no-git-tag-version', '--ignore-scripts', '--allow-same-version'],
		{ cwd: repo, stdio: 'ignore' },
	);
	git('add', 'package.json', 'package-lock.json', 'CHANGELOG.md');
	git('commit', '-q', '-m', `Release ${version}`);
	git('tag', '-a', version, '-m', `Release ${version}`);
	return version;
}

if (require.main === module) {
	try {
		const version = release(path.resolve(__dirname, '..'), process.argv[2] ?? '');
		process.stdout.write(
			`Tagged ${version}. Push it with: git push --follow-tags — publish.yml tests it and publishes it through n8n-node release with npm provenance.\n`,
		);
	} catch (error) {
		process.stderr.write(`bump: ${(error as Error).message}\n`);
		process.exit(1);
	}
}
