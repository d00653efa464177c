/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions -- Node-side code (tests, emulators, scripts), never loaded by n8n */
/**
 * `npm run bump` in a scratch git repository: the version bump in package.json and the lock
 * file, the changelog section, the commit and the tag — and its refusals.
 */
import { execFileSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import os from 'os';
import path from 'path';

import { changelogFor, nextVersion, release } from '../scripts/bump';

const CHANGELOG =
	'# Changelog\n\n## Unreleased\n\n- Replays run once.\n- Headers never show a token.\n\n## 1.2.3 — 2026-01-01\n\n- First.\n';

function scratchRepo(changelog = CHANGELOG): string {
	const repo = mkdtempSync(path.join(os.tmpdir(), 'survey-triggers-release-'));
	writeFileSync(
		path.join(repo, 'package.json'),
		JSON.stringify({ name: 'scratch', version: '1.2.3' }, null, 2),
	);
	writeFileSync(
		path.join(repo, 'package-lock.json'),
		JSON.stringify(
			{
				name: 'scratch',
				version: '1.2.3',
				lockfileVersion: 3,
				requires: true,
				packages: { '': { name: 'scratch', version: '1.2.3' } },
			},
			null,
			2,
		),
	);
	writeFileSync(path.join(repo, 'CHANGELOG.md'), changelog);
	const git = (...args: string[]) =>
		execFileSync('git', args, { cwd: repo, encoding: 'utf8' }).trim();
	git('init', '-q');
	git('config', 'user.email', 'release@example.test');
	git('config', 'user.name', 'Release Test');
	git('add', '.');
	git('commit', '-q', '-m', 'initial');
	return repo;
}

const git = (repo: string, ...args: string[]) =>
	execFileSync('git', args, { cwd: repo, encoding: 'utf8' }).trim();

it('computes the next version', () => {
	expect(['patch', 'minor', 'major', '2.0.0'].map((bump) => nextVersion('1.2.3', bump))).toEqual([
		'1.2.4',
		'1.3.0',
		'2.0.0',
		'2.0.0',
	]);
	expect(() => nextVersion('1.2.3', 'huge')).toThrow('say patch, minor, major or a version x.y.z');
});

it('bumps, moves the changelog entries, commits and tags', () => {
	const repo = scratchRepo();
	try {
		expect(release(repo, 'minor', '2026-11-24')).toBe('1.3.0');
		expect(JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')).version).toBe('1.3.0');
		const lock = JSON.parse(readFileSync(path.join(repo, 'package-lock.json'), 'utf8'));
		expect([lock.version, lock.packages[''].version]).toEqual(['1.3.0', '1.3.0']);
		expect(readFileSync(path.join(repo, 'CHANGELOG.md'), 'utf8')).toBe(
			'# Changelog\n\n## Unreleased\n\n## 1.3.0 — 2026-11-24\n\n- Replays run once.\n- Headers never show a token.\n\n## 1.2.3 — 2026-01-01\n\n- First.\n',
		);
		expect(git(repo, 'tag', '--list')).toBe('1.3.0');
		expect(git(repo, 'log', '-1', '--format=%s')).toBe('Release 1.3.0');
		expect(git(repo, 'status', '--porcelain')).toBe('');
	} finally {
		rmSync(repo, { recursive: true, force: true });
	}
});

it('refuses a dirty tree, an empty Unreleased section and an existing tag', () => {
	const repo = scratchRepo();
	try {
		writeFileSync(path.join(repo, 'scratch.txt'), 'uncommitted');
		expect(() => release(repo, 'patch')).toThrow('uncommitted changes');
		rmSync(path.join(repo, 'scratch.txt'));
		git(repo, 'tag', '1.2.4');
		expect(() => release(repo, 'patch')).toThrow('tag 1.2.4 exists already');
	} finally {
		rmSync(repo, { recursive: true, force: true });
	}
	expect(() =>
		changelogFor('# Changelog\n\n## Unreleased\n\n## 1.0.0\n', '1.0.1', '2026-11-24'),
	).toThrow('says nothing under "## Unreleased"');
	expect(() => changelogFor('# Changelog\n', '1.0.1', '2026-11-24')).toThrow(
		'no "## Unreleased" section',
	);
});
