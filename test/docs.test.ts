/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- Node-side code (tests, emulators, scripts), never loaded by n8n */
/**
 * The documentation a user lands on: every `documentationUrl` of a credential, every codex link of a
 * node and package.json's homepage point at the package's README on its npm page (which exists once
 * the package is published, whatever the repository's host), at a section README really has (by
 * the GitHub-style heading anchors npm uses too); README stays a
 * user's page of about 300 lines, and every relative link of README and docs/ reaches a file and,
 * with an anchor, a heading of it.
 */
import { existsSync, readdirSync, readFileSync } from 'fs';
import type { ICredentialType } from 'n8n-workflow';
import path from 'path';

import { firstExport } from '../scripts/lib/load';

const ROOT = path.resolve(__dirname, '..');
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
/** Where a published package's README is: its npm page. */
const NPM_PAGE = `https://www.npmjs.com/package/${String(pkg.name)}`;
const source = (entry: string) =>
	path.join(ROOT, entry.replace(/^dist\//, '').replace(/\.js$/, '.ts'));

/** GitHub's anchors of a Markdown file's headings ("## Troubleshooting" twice: troubleshooting, troubleshooting-1). */
function anchorsOf(file: string): Set<string> {
	const seen = new Map<string, number>();
	const anchors = new Set<string>();
	let fenced = false;
	for (const line of readFileSync(file, 'utf8').split('\n')) {
		if (line.startsWith('```')) fenced = !fenced;
		const heading = !fenced && /^#{1,6} (.+)$/.exec(line);
		if (!heading) continue;
		const slug = heading[1]
			.trim()
			.toLowerCase()
			.replace(/[^\p{L}\p{N}\s_-]/gu, '')
			.replace(/\s/g, '-');
		const count = seen.get(slug) ?? 0;
		seen.set(slug, count + 1);
		anchors.add(count ? `${slug}-${count}` : slug);
	}
	return anchors;
}

const readmeAnchors = anchorsOf(path.join(ROOT, 'README.md'));

const documentationUrls = [
	...(pkg.n8n.credentials as string[]).map((entry) => {
		const credential = new (firstExport<new () => ICredentialType>(source(entry)))();
		return [`credential ${credential.name}`, String(credential.documentationUrl)];
	}),
	...(pkg.n8n.nodes as string[]).flatMap((entry) => {
		const codex = JSON.parse(readFileSync(source(entry).replace(/\.ts$/, '.json'), 'utf8'));
		return Object.values(codex.resources ?? {})
			.flat()
			.map((link) => [`codex of ${path.basename(entry)}`, String((link as { url: string }).url)]);
	}),
	['package.json homepage', String(pkg.homepage)],
];

it.each(documentationUrls)('%s: %s lands on a README section of the npm page', (_, url) => {
	expect(url.startsWith(`${NPM_PAGE}#`)).toBe(true);
	const anchor = url.slice(NPM_PAGE.length + 1);
	expect([anchor, readmeAnchors.has(anchor)]).toEqual([anchor, true]);
});

it('README is a page for users: about 300 lines at most', () => {
	const lines = readFileSync(path.join(ROOT, 'README.md'), 'utf8').split('\n').length;
	expect(lines).toBeLessThanOrEqual(300);
});

const markdown = [
	'README.md',
	'CONTRIBUTING.md',
	'SECURITY.md',
	...readdirSync(path.join(ROOT, 'docs'))
		.filter((name) => name.endsWith('.md'))
		.map((name) => `docs/${name}`),
];

it.each(markdown)('%s: every relative link reaches its file and heading', (file) => {
	const text = readFileSync(path.join(ROOT, file), 'utf8');
	const broken: string[] = [];
	for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
		if (/^[a-z]+:/i.test(target)) continue;
		const [relative, anchor] = target.split('#');
		const resolved = relative
			? path.resolve(ROOT, path.dirname(file), relative)
			: path.join(ROOT, file);
		if (!existsSync(resolved)) broken.push(`${target}: no such file`);
		else if (anchor && resolved.endsWith('.md') && !anchorsOf(resolved).has(anchor))
			broken.push(`${target}: no such heading`);
	}
	expect(broken).toEqual([]);
});
