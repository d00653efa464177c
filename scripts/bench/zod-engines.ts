/* eslint-disable @n8n/community-nodes/no-restricted-globals -- Node-side code (tests, emulators, scripts), never loaded by n8n */
/**
 * Validation engines: Cint's CloudEvent envelope and session data (the 1 KB figure's heaviest
 * schema shape: nested objects, a list, passthrough keys), written once and built with the classic
 * `zod` entry point (zod 3.25's engine, what the triggers use) and with `zod/v4` (zod 4's engine,
 * which zod 3.25 and zod 4 both ship), against the floor — HMAC-SHA256 plus JSON.parse of the
 * same bytes. No target: the figures decide whether moving every schema to `zod/v4` could bring
 * the 1 KB handler to 2× the floor (BENCHMARKS.md says what was decided).
 */
import { createHmac } from 'crypto';
import { z as classic } from 'zod';
import { z as v4 } from 'zod/v4';

import { sampleBody } from '../lib/samples';

/** The schema shape on either engine, through the API both share. */
function sessionEnvelope(z: typeof classic) {
	const text = z.string().nullish();
	const change = z
		.object({
			object: z.string().min(1),
			new_value: z.unknown().optional(),
			old_value: z.unknown().optional(),
		})
		.passthrough();
	const data = z
		.object({
			account_id: z.union([z.number(), z.string()]).nullish(),
			response_session_id: text,
			sequence_number: z.number().nullish(),
			changes: z.array(change).nullish(),
		})
		.passthrough();
	return z
		.object({
			id: text,
			specversion: text,
			type: text,
			time: text,
			source: text,
			data: data.optional(),
		})
		.passthrough();
}

function microseconds(run: () => void): number {
	for (let i = 0; i < 20_000; i++) run();
	const rounds = 100_000;
	const start = process.hrtime.bigint();
	for (let i = 0; i < rounds; i++) run();
	return Number(process.hrtime.bigint() - start) / rounds / 1000;
}

export function benchZodEngines(report: (line: string, ok: boolean) => void) {
	const raw = Buffer.from(sampleBody('cint', 'session-updated'));
	const event: unknown = JSON.parse(raw.toString('utf8'));
	const engines = {
		'zod (3.25 engine)': sessionEnvelope(classic),
		'zod/v4': sessionEnvelope(v4 as unknown as typeof classic),
	};
	const floor = microseconds(() => {
		createHmac('sha256', 'bench-secret').update(raw).digest();
		JSON.parse(raw.toString('utf8'));
	});
	for (const [name, schema] of Object.entries(engines)) {
		if (!schema.safeParse(event).success) throw new Error(`${name}: the sample does not validate`);
		const cost = microseconds(() => schema.safeParse(event));
		report(
			`validation ${name.padEnd(17)}: Cint session sample (${raw.length} bytes) in ${cost.toFixed(2)} µs vs floor ${floor.toFixed(2)} µs = ${(cost / floor).toFixed(2)}× (no target)`,
			true,
		);
	}
}

if (require.main === module) benchZodEngines((line) => process.stdout.write(`${line}\n`));
