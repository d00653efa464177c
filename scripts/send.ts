/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- Node-side code (tests, emulators, scripts), never loaded by n8n */
/**
 * `npm run send -- <provider> <event> --url <webhook url> [--secret <secret>] [--file payload.json]`
 *
 * Posts a realistic sample event (test/fixtures), signed exactly as the provider signs it, to a
 * trigger's test URL ("Listen for test event") or production URL.
 *   prolific, cint, screeb: --secret is the signing secret
 *   refiner: --secret is the secret token (sent as a Bearer header)
 *   poltio: pass the URL as registered in Poltio (with ?token=…), or the token as --secret
 */
import { readFileSync } from 'fs';

import { sampleBody, SAMPLES, send, signDelivery } from './lib/samples';

function option(name: string): string | undefined {
	const index = process.argv.indexOf(`--${name}`);
	return index > 0 ? process.argv[index + 1] : undefined;
}

async function main() {
	const [provider, event] = process.argv
		.slice(2)
		.filter((arg, i, all) => !arg.startsWith('--') && !all[i - 1]?.startsWith('--'));
	const url = option('url');
	if (!provider || !event || !url) {
		const known = Object.entries(SAMPLES).map(
			([p, events]) => `  ${p}: ${Object.keys(events).join(', ')}`,
		);
		process.stderr.write(
			`usage: npm run send -- <provider> <event> --url <webhook url> [--secret <secret>] [--file payload.json]\n${known.join('\n')}\n`,
		);
		process.exit(2);
	}
	const file = option('file');
	const body = file ? readFileSync(file, 'utf8') : sampleBody(provider, event);
	const delivery = signDelivery(provider, url, body, option('secret') ?? '');
	const result = await send(delivery);
	process.stdout.write(
		`${provider} ${event} → HTTP ${result.status} ${result.body.slice(0, 300)}\n`,
	);
	process.exit(result.status >= 200 && result.status < 300 ? 0 : 1);
}

main().catch((error: Error) => {
	process.stderr.write(`${error.message}\n`);
	process.exit(1);
});
