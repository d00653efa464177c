/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- Node-side code (tests, emulators, scripts), never loaded by n8n */
/**
 * `npm run bench` — every performance figure with its target; exits non-zero when one is missed.
 * `npm run bench -- --write` also rewrites BENCHMARKS.md with the figures and this machine.
 * `npm run bench -- --quick` skips the figures measured in a real n8n (in-process figures only).
 */
import { writeFileSync } from 'fs';
import os from 'os';
import path from 'path';

import { N8N_VERSION } from '../lib/runtime';
import { benchCatchUp } from './catch-up';
import { benchColdLoad } from './cold-load';
import { benchForgery, benchManyHeaders } from './forgery';
import { benchHandlers } from './handler';
import { benchMemory } from './memory';
import { benchN8nForgery } from './n8n-forgery';
import { benchN8nThroughput } from './n8n-throughput';
import { benchOddBodies } from './odd-bodies';
import { benchTolerant } from './tolerant';
import { benchZodEngines } from './zod-engines';

async function main() {
	const lines: string[] = [];
	let missed = 0;
	const report = (line: string, ok: boolean) => {
		const marked = `${ok ? 'ok  ' : 'MISS'} ${line}`;
		lines.push(marked);
		if (!ok) missed++;
		process.stdout.write(`${marked}\n`);
	};
	await benchHandlers(report);
	benchZodEngines(report);
	await benchForgery(report);
	await benchManyHeaders(report);
	await benchTolerant(report);
	await benchOddBodies(report);
	benchColdLoad(report);
	await benchMemory(report);
	await benchCatchUp(report);
	if (!process.argv.includes('--quick')) {
		await benchN8nThroughput(report);
		await benchN8nForgery(report);
	}

	const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}, Node ${process.versions.node} (bench) / n8n ${N8N_VERSION} on Node 24`;
	process.stdout.write(
		`\n${lines.length - missed} of ${lines.length} figures within target${missed ? `, ${missed} missed` : ''}\nmachine: ${machine}\n`,
	);
	if (process.argv.includes('--write')) {
		const file = path.resolve(__dirname, '..', '..', 'BENCHMARKS.md');
		writeFileSync(file, benchmarksMarkdown(lines, machine));
		process.stdout.write(`wrote ${file}\n`);
	}
	process.exit(missed ? 1 : 0);
}

export function benchmarksMarkdown(lines: string[], machine: string): string {
	return `# Benchmarks

Figures from \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}.
Machine: ${machine}.

\`\`\`
${lines.join('\n')}
\`\`\`

## What is measured

- **Handler cost** — the median time of a trigger's \`webhook()\` (verify + parse + validate +
  shape, through the shared pipeline, from the built \`dist/\`) against the floor for the same
  bytes: HMAC-SHA256 over the raw body plus \`JSON.parse\`, measured in the same process,
  interleaved, after warm-up; the median block, judged like the forgery figures on the 95%
  confidence interval of its median (blocks are added while a target lies inside it; a figure
  misses only when its whole interval is above the target). Bodies of ~1 KB (the providers'
  samples, 2–3 KB for Screeb and Refiner), ~100 KB and ~1 MB. Targets: at most 4× the floor at
  1 KB and 2× at 100 KB. The 1 KB target was 2×, then 2.5× when Prolific and Cint started
  remembering accepted signatures to refuse replays inside the timestamp window (about 1 µs per
  delivery). It is 4× since payloads are validated through zod's public API only: \`safeParse\`
  on every delivery costs 5–12 µs at 1 KB on zod 3 (a copy of the tree and an issue context),
  where the earlier predicate compiled from zod 3's private schema definitions cost 1–2 µs. That
  predicate would break on zod 4, which n8n already ships beside zod 3, and a trigger uses
  whichever zod its host resolves; we chose validation that gives the same results on both. The
  extra microseconds are far below n8n's own cost per execution (the real-n8n figure stays at
  parity), and at 100 KB the target of 2× holds. Each measured call counts as a new delivery (a
  real provider signs every delivery anew), so the replay check runs every time, and so does the
  retry memory (on, as by default): each delivery's event is looked up and remembered, one more
  SHA-256 over the body. Lists are validated through \`listOf\` (schema.ts: one refinement per
  list, so that a hostile list cannot make zod materialise an issue per item), which costs about
  8 µs more per delivery for Screeb's sample, whose schema has three lists (one per answer
  item). That puts Screeb's 100 KB figure just over its 2× target (2.07×, interval 2.02–2.17× on 2026-12-06; 2.09×, 2.05–2.15× on 2026-12-07,
  where the same bench gave 1.81–2.04× before): the price of a bound on what a hostile list
  costs, kept visible here rather than moving the target. Poltio and Refiner
  verify a token rather than an HMAC, so their handler can be cheaper than the floor.
- **Refusing a forgery, at every size** — each trigger's \`webhook()\` answering a forged
  delivery of 1 KiB, 64 KiB and 16 MiB (n8n's default \`N8N_PAYLOAD_SIZE_MAX\`; current timestamp,
  well-formed signature or token, no secret), sent again and again to one workflow as a forger
  would. A refusal has a fixed cost before any body work (reading the request and the options,
  answering, the rate-limited log line), so the figure is what the body adds: refusing the forgery
  minus refusing the same bytes without a signature or token, against one HMAC-SHA256 over the
  same bytes, compared within each of 30 interleaved rounds, median round. At 1 KiB the fixed cost
  of reading a request is as large as one HMAC, and the median alone flapped around its target
  between runs (Prolific 2.97–3.07× against 3×): each figure is printed with the 95% confidence
  interval of its median (distribution-free, from the rounds' order statistics), rounds are added
  (up to 150) while the target lies inside it, and a figure misses only when its whole interval is
  above the target — when the code got slower. Targets: ≤ 1.5×, and
  ≤ 3× where Prolific's second candidate (its Python \`json.dumps\` form, bodies up to 16 KiB) is
  tried — made by one pass over the bytes, never a parse. Poltio and Refiner compare a token and
  cost nothing proportional to the body. **With 2 000 headers**: Refiner compares every header
  value in three forms in constant time whatever its length (a SHA-256 of each); per header,
  target ≤ 5 µs. The 1 KiB figures of Prolific (3.25×) and Cint (1.59×) are over their targets on
  the machine of 2026-12-07 with the trigger code unchanged since a run on 2026-12-06 put them
  within (2.89×, 1.06×): at 1 KiB the figure weighs fixed costs per call (reading the signature
  header, a second \`createHmac\` and one pass for Prolific's second candidate, about 3 µs here)
  against one HMAC of 1 KiB, and that balance differs from machine to machine. Where the body's
  bytes count, at 64 KiB and 16 MiB, every figure is within 1.04×; and in a real n8n (below) a
  forgery is answered as fast as the same bytes unsigned at every size.
- **The tolerant reader's worst case** — a verified body whose list (Refiner's \`segments\`, Poltio's
  \`answers\`) holds as many misfitting items as the reader fixes one by one (100, spread over the
  list; past 100 the list is left out whole, see *Odd bodies*), through \`webhook()\` against
  \`JSON.parse\` plus one validation of the same bytes: ≤ 3× at about 1 MiB; and the time per item
  does not grow with the list (at 80 000 items ≤ 1.5× what it is at 10 000).
- **Odd bodies** — verified Refiner and Poltio bodies of 1, 4 and 16 MiB whose every list item
  misfits (a number where an object is expected: the most schema issues per byte) against a
  fitting body of the same byte count (the same list of valid items), through \`webhook()\`: the
  time, median of 3, at most 3× the fitting body's; and the peak heap during the delivery over a
  baseline taken after GC (the high-water mark from V8's GC profiler: the largest heap before any
  collection during the delivery, or at its end) at most 3× what \`JSON.parse\` of the body retains
  plus 32 MiB. Before lists were checked one item at a time, one validation of a 0.25 MiB such
  body took 71 MB and a 1.4 MB one crashed an 856 MB heap.
- **Cold load** — a fresh Node process requiring every node and credential of the built package,
  beyond a bare \`require('n8n-workflow')\` measured in the same processes; median of 9. Target:
  ≤ 0.1× that baseline (a ratio, since a slower machine slows both: 30 ms was missed at 39.5 ms on a
  machine where \`require('n8n-workflow')\` took 609 ms).
- **Catch-up** — Prolific Missed Events (built node) working off 10 000 FAILED deliveries in the
  Prolific emulator's log (pages of at most 50 entries), poll after poll, until a poll emits
  nothing. Target: within the documented bound (1 000 events a poll: 10 polls), each event once.
  Printed beside: the peak heap growth during a poll and the size of the node's static data (its
  memory of 10 000 event ids).
- **Memory** — heap growth of one trigger instance over 10 000 deliveries after 2 000 warm-up
  deliveries, garbage collected before each reading. Target: < 1 MiB (flat). The replay memory
  (signatures accepted within the timestamp window, kept on purpose) is emptied before each
  reading and measured on its own, full at its bound of 50 000 signatures (10 000 per
  registration). Target: ≤ 32 MB. The retry memory (events that ran, kept for the provider's
  retry period) is measured the same way after **1 000 000 distinct events**: into one trigger it
  holds its bound of 100 000 per registration, over 20 triggers its bound of 250 000 in all, the
  oldest forgotten first. Target: ≤ 64 MB.
- **In a real n8n** — n8n ${N8N_VERSION} (sqlite, \`N8N_EXPRESSION_ENGINE=legacy\`), a published
  workflow with the Prolific Trigger versus the same workflow with n8n's own Webhook node using
  header auth, interleaved rounds of 300 deliveries at concurrency 10 on loopback; a round ends
  when all its executions have finished. Target: ≥ 0.95× the Webhook node's throughput.
- **Refusing a forgery in a real n8n** — each trigger published in n8n ${N8N_VERSION} (sqlite,
  \`N8N_EXPRESSION_ENGINE=legacy\`), the time from sending a request to the last byte of n8n's
  answer, one connection per request: a forged delivery (current timestamp, well-formed signature
  or token, no secret) alternating with the same bytes unsigned, as a flood mixes them, and valid
  deliveries (each a new event; n8n answers before the run), at 1 KiB, 62 KiB and 1 MiB, in compact
  JSON and in the form Python's \`json.dumps\` writes, with Report Problems on (the default; the
  first refusal of the window starts a report) and off. Each line prints the three medians; the
  figure is forged ÷ (1.5 × unsigned + 1 ms) per alternating pair, median pair, judged on its 95%
  interval like the forgery figures above (15 pairs, more while the target lies inside the
  interval, at most 60). Target: ≤ 1. n8n 2.x's default engine (\`vm\`) is measured on its own
  lines: for every production request to any node but n8n's own Webhook node, n8n takes a V8
  isolate from a pool of one before the node runs and disposes of it after, and a request that
  arrives before the replacement is ready waits while n8n builds one (about 90 ms here). Back to
  back that is every second request whatever it carries, so in a strict alternation one kind
  answers in about 15 ms and the other in about 70 ms, by position alone; which one changes from
  run to run (a measurement that found forgeries answered in 64 ms against 14 ms for unsigned
  requests had the slow slots on the forgeries; an earlier one had them on the unsigned requests). Paced 250 ms
  apart, so that each request finds a ready isolate, forged and unsigned answer alike (judged);
  back to back is printed with how many answers of each kind waited for an isolate (no target).

## How the hot path stays near the floor

Payloads are validated with zod's \`safeParse\` and the parsed JSON itself is handed on (no second
copy; \`nodes/shared/validate.ts\`). Schemas avoid \`z.union\` where a value may be of two types
(zod 3 builds an issue for every branch that does not match, on every delivery), and Cint's
envelope leaves \`data\` to the event type's schema instead of walking it twice. Signatures are
compared as decoded bytes, the secret and the registration are read once per delivery, headers are
read without intermediate arrays, and only verification may await (a credential, Prolific's re-read
of a replaced secret); every other step of the pipeline is synchronous.

## The 1 KB target: why 4×, not 2×

Whether validating through zod 4's engine (\`zod/v4\`, which zod 3.25 and zod 4 both ship) would
bring the 1 KB handler back to 2× the floor was measured (the \`validation\` lines above, and the
handler's parts one by one on Cint's 1 KB event): \`zod/v4\` validates in about half the time of the
classic entry point, which saves 2–5 µs at 1 KB. The floor there is about 5 µs, and beyond it a
delivery costs, with validation taken out entirely, still about 9 µs: one more SHA-256 over the
body for the retry memory (about 2 µs), the replay memory, shaping, the prototype-safe item keys,
reading the node's parameters, the answer. So no validation engine reaches 2×; \`zod/v4\` would
move the 1 KB figures from about 3–4× to about 2.5–3×, and it would drop every n8n whose hoisted
zod predates 3.25 (\`zod/v4\` does not exist there). The triggers keep the classic \`zod\` entry
point, and the 1 KB target stays 4×; at 100 KB, where the body's bytes dominate, the target is 2×.

## Rerun

\`\`\`bash
npm ci
npm run bench              # all figures; exits non-zero if a target is missed
npm run bench -- --quick   # in-process figures only (no n8n)
npm run bench -- --write   # also rewrite this file
\`\`\`
`;
}

if (require.main === module) void main();
