/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-hardcoded-secrets -- Node-side code (tests, emulators, scripts), never loaded by n8n */
/**
 * Refusing a forgery in a real n8n: for each trigger, published, the median time n8n takes to answer
 * a forged delivery (current timestamp, well-formed signature or token, no secret), the same bytes
 * unsigned, and a valid delivery, at 1 KiB, 62 KiB and 1 MiB, in compact JSON and in Python's
 * `json.dumps` form, with Report Problems on (the default) and off. Forgeries alternate with
 * unsigned requests, as a flood mixes them. Target, per alternating pair: forged ≤ 1.5 × unsigned
 * + 1 ms, judged on the 95% interval of the median pair (stats.ts).
 *
 * n8n runs with `N8N_EXPRESSION_ENGINE=legacy` here. With n8n 2.x's default engine (vm), n8n takes a
 * V8 isolate from a pool of one for every production request to any node but its own Webhook node,
 * before the trigger runs, and disposes of it afterwards; a request that arrives before the
 * replacement is ready waits while n8n builds one. Back to back, that is every second request,
 * whatever it carries, so two kinds in alternation split into a fast and a slow one by position
 * alone. The default engine is measured beside it (benchIsolatePhase): paced so that each request
 * finds a ready isolate (judged), and back to back (printed).
 */
import { randomUUID } from 'crypto';

import type { N8nRest } from '../lib/rest';
import { pythonJsonDumps, signDelivery } from '../lib/samples';
import { createTriggerWorkflow, triggerSetups, type TriggerSetup } from '../lib/setups';
import { CASES, paddedBody } from './handler';
import { timedPost, withRealN8n } from './real-n8n';
import { medianInterval, undecided, verdict, type MedianInterval } from './stats';

/** forged ≤ FACTOR × unsigned + PLUS_MS, per alternating pair. */
export const N8N_FORGERY_TARGET = { factor: 1.5, plusMs: 1 };
const SIZES = [
	{ label: '1 KiB', bytes: 1024 },
	{ label: '62 KiB', bytes: 62 * 1024 },
	{ label: '1 MiB', bytes: 2 ** 20 },
];
const FORMS = {
	compact: (body: string) => body,
	'json.dumps': (body: string) => pythonJsonDumps(JSON.parse(body)),
};
type Form = keyof typeof FORMS;
const FORGER_SECRET = 'an-attacker-guess-0123456789';
const WARM_UP_PAIRS = 3;
const FIRST_PAIRS = 15;
const MORE_PAIRS = 10;
const MAX_PAIRS = 60;
const VALID_SAMPLES = 7;
/** Between paced requests: longer than n8n 2.41 takes to build an isolate on this kind of machine (~90 ms). */
const PACE_MS = 250;

const median = (values: number[]) =>
	[...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ms = (value: number) => `${value.toFixed(1).padStart(6)} ms`;
const sleep = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis));

interface Target {
	setup: TriggerSetup;
	url: string;
	secret: string;
}

/** A forged and an unsigned request of the same bytes; signed anew each time, as a forger's clock moves on. */
function requests(target: Target, body: string) {
	const bytes = Buffer.from(body);
	const forged = () => {
		const signed = signDelivery(target.setup.provider, target.url, body, FORGER_SECRET);
		return timedPost(signed.url, bytes, signed.headers);
	};
	const unsigned = () => timedPost(target.url, bytes, { 'content-type': 'application/json' });
	return { forged, unsigned };
}

function refused(
	what: string,
	answer: { status: number; ms: number },
): { status: number; ms: number } {
	if (answer.status !== 401) throw new Error(`${what} was answered ${answer.status}, not 401`);
	return answer;
}

/** Alternating pairs (forged, then unsigned), added while the target lies inside the interval. */
async function alternatingPairs(
	what: string,
	send: ReturnType<typeof requests>,
	gapMs = 0,
): Promise<{ forged: number[]; unsigned: number[]; interval: MedianInterval }> {
	const forged: number[] = [];
	const unsigned: number[] = [];
	const pair = async () => {
		const f = refused(`${what}: a forged delivery`, await send.forged());
		if (gapMs) await sleep(gapMs);
		const u = refused(`${what}: an unsigned delivery`, await send.unsigned());
		if (gapMs) await sleep(gapMs);
		return [f.ms, u.ms];
	};
	for (let i = 0; i < WARM_UP_PAIRS; i++) await pair();
	let interval: MedianInterval | undefined;
	while (!interval || (undecided(interval, 1) && forged.length < MAX_PAIRS)) {
		for (let i = 0; i < (interval ? MORE_PAIRS : FIRST_PAIRS); i++) {
			const [f, u] = await pair();
			forged.push(f);
			unsigned.push(u);
		}
		interval = medianInterval(
			forged.map(
				(f, i) => f / (N8N_FORGERY_TARGET.factor * unsigned[i] + N8N_FORGERY_TARGET.plusMs),
			),
		);
	}
	return { forged, unsigned, interval };
}

/** Valid deliveries, each a distinct event; returns once n8n has finished every run they started. */
async function validDeliveries(
	rest: N8nRest,
	workflowId: string,
	target: Target,
	make: (tag: string) => string,
): Promise<number[]> {
	const times: number[] = [];
	for (let i = 0; i < VALID_SAMPLES; i++) {
		const body = make(`-${randomUUID()}`);
		const signed = signDelivery(target.setup.provider, target.url, body, target.secret);
		const answer = await timedPost(signed.url, Buffer.from(body), signed.headers);
		if (answer.status !== 200)
			throw new Error(`a valid ${target.setup.provider} delivery was answered ${answer.status}`);
		times.push(answer.ms);
	}
	const deadline = Date.now() + 120_000;
	while (Date.now() < deadline) {
		const runs = await rest.executions(workflowId);
		if (!runs.some((run) => ['new', 'running'].includes(run.status))) break;
		await sleep(100);
	}
	return times;
}

async function publishTrigger(
	rest: N8nRest,
	setup: TriggerSetup,
	reportProblems: boolean,
): Promise<{ workflowId: string; target: Target }> {
	const { workflowId, url } = await createTriggerWorkflow(
		rest,
		setup,
		`bench: ${setup.provider} forgeries, reports ${reportProblems ? 'on' : 'off'}`,
		[],
		{},
		{ reportProblems },
	);
	await rest.publish(workflowId);
	return { workflowId, target: { setup, url, secret: setup.secret(url) } };
}

export async function benchN8nForgery(report: (line: string, ok: boolean) => void) {
	await withRealN8n({ N8N_EXPRESSION_ENGINE: 'legacy' }, async ({ rest, emulators }) => {
		for (const setup of triggerSetups(emulators)) {
			const testCase = CASES.find((candidate) => candidate.provider === setup.provider)!;
			for (const reportProblems of [true, false]) {
				const { workflowId, target } = await publishTrigger(rest, setup, reportProblems);
				for (const { label, bytes } of SIZES) {
					for (const form of Object.keys(FORMS) as Form[]) {
						const make = (tag = '') => FORMS[form](paddedBody(testCase, bytes, tag));
						const what = `${setup.provider} ${label} ${form}, reports ${reportProblems ? 'on' : 'off'}`;
						const { forged, unsigned, interval } = await alternatingPairs(
							what,
							requests(target, make()),
						);
						const valid = await validDeliveries(rest, workflowId, target, make);
						report(
							`n8n forgery ${setup.provider.padEnd(8)} ${label.padStart(6)} ${form.padEnd(10)} reports ${reportProblems ? 'on ' : 'off'}: forged ${ms(median(forged))}, unsigned ${ms(median(unsigned))}, valid ${ms(median(valid))}; forged / (${N8N_FORGERY_TARGET.factor} × unsigned + ${N8N_FORGERY_TARGET.plusMs} ms) = ${interval.median.toFixed(2)} (95% CI ${interval.low.toFixed(2)}–${interval.high.toFixed(2)}, ${interval.samples} pairs; target ≤ 1)`,
							verdict(interval, 1) === 'within',
						);
					}
				}
			}
		}
	});
	await benchIsolatePhase(report);
}

/**
 * n8n 2.x's default expression engine, Prolific at 62 KiB: paced (every request finds a ready
 * isolate; judged like the figures above) and back to back (printed: which kind waits for a new
 * isolate depends on its position, not on what it carries).
 */
async function benchIsolatePhase(report: (line: string, ok: boolean) => void) {
	await withRealN8n({}, async ({ rest, emulators }) => {
		const setup = triggerSetups(emulators).find((entry) => entry.provider === 'prolific')!;
		const testCase = CASES.find((candidate) => candidate.provider === 'prolific')!;
		const { target } = await publishTrigger(rest, setup, true);
		const send = requests(target, paddedBody(testCase, 62 * 1024));
		const paced = await alternatingPairs('prolific paced', send, PACE_MS);
		const pacedMedian = median([...paced.forged, ...paced.unsigned]);
		report(
			`n8n forgery prolific 62 KiB, n8n's default engine, paced ${PACE_MS} ms: forged ${ms(median(paced.forged))}, unsigned ${ms(median(paced.unsigned))}; forged / (${N8N_FORGERY_TARGET.factor} × unsigned + ${N8N_FORGERY_TARGET.plusMs} ms) = ${paced.interval.median.toFixed(2)} (95% CI ${paced.interval.low.toFixed(2)}–${paced.interval.high.toFixed(2)}, ${paced.interval.samples} pairs; target ≤ 1)`,
			verdict(paced.interval, 1) === 'within',
		);
		const backToBack = await alternatingPairs('prolific back to back', send);
		const waited = (times: number[]) =>
			`${times.filter((time) => time > 2 * pacedMedian).length}/${times.length}`;
		report(
			`n8n forgery prolific 62 KiB, n8n's default engine, back to back: forged ${ms(median(backToBack.forged))}, unsigned ${ms(median(backToBack.unsigned))}; answers slower than twice the paced median (a new isolate built for them): forged ${waited(backToBack.forged)}, unsigned ${waited(backToBack.unsigned)}, all ${waited([...backToBack.forged, ...backToBack.unsigned])} (no target)`,
			true,
		);
	});
}

if (require.main === module)
	void benchN8nForgery((line, ok) => process.stdout.write(`${ok ? 'ok  ' : 'MISS'} ${line}\n`));
