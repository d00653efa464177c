/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions -- Node-side code (tests, emulators, scripts), never loaded by n8n */
/**
 * Cold load: what a fresh Node process spends requiring every node and credential of the built
 * package, beyond a bare require('n8n-workflow') (which n8n has loaded anyway). Median of fresh
 * processes.
 */
import { execFileSync } from 'child_process';
import path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');
/** The package's load time as a share of the baseline measured in the same run (a slower machine slows both). */
export const COLD_LOAD_TARGET_RATIO = 0.1;

const PROBE = `
const { performance } = require('perf_hooks');
const pkg = require(${JSON.stringify(path.join(ROOT, 'package.json'))});
const t0 = performance.now();
require('n8n-workflow');
const t1 = performance.now();
for (const file of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) {
	const exported = require(${JSON.stringify(ROOT)} + '/' + file);
	for (const Type of Object.values(exported)) new Type();
}
const t2 = performance.now();
process.stdout.write(JSON.stringify({ baseline: t1 - t0, added: t2 - t1 }));
`;

export function benchColdLoad(report: (line: string, ok: boolean) => void, runs = 9) {
	const samples = Array.from({ length: runs }, () =>
		JSON.parse(execFileSync(process.execPath, ['-e', PROBE], { cwd: ROOT, encoding: 'utf8' })),
	);
	const median = (values: number[]) =>
		[...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
	const added = median(samples.map((s) => s.added));
	const baseline = median(samples.map((s) => s.baseline));
	const ratio = added / baseline;
	report(
		`cold load: ${added.toFixed(1)} ms to require all 5 nodes and 5 credentials vs baseline require('n8n-workflow') ${baseline.toFixed(1)} ms = ${ratio.toFixed(3)}× (median of ${runs} fresh processes) (target ≤ ${COLD_LOAD_TARGET_RATIO}×)`,
		ratio <= COLD_LOAD_TARGET_RATIO,
	);
}

if (require.main === module) benchColdLoad((line) => process.stdout.write(`${line}\n`));
