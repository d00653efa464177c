import { NodeOperationError, type IHookFunctions } from 'n8n-workflow';

/**
 * Why a provider on the internet cannot reach a URL, judged from its literal host alone (no DNS
 * lookup): `localhost`, a name without a dot (a Docker service or a machine name), loopback,
 * "this network", private, shared (carrier-grade NAT) and link-local addresses, IPv4 and IPv6.
 * Undefined when the host may be public.
 */
export function unreachableHost(url: string): string | undefined {
	let host: string;
	try {
		host = new URL(url).hostname.toLowerCase();
	} catch {
		return 'not a valid URL';
	}
	if (host.startsWith('[') && host.endsWith(']')) return unreachableIpv6(host.slice(1, -1));
	if (host === 'localhost' || host.endsWith('.localhost')) return 'this machine (localhost)';
	const octets = host.split('.');
	if (octets.length === 4 && octets.every((octet) => /^\d{1,3}$/.test(octet)))
		return unreachableIpv4(octets.map(Number));
	if (!host.includes('.')) return `a name only a local network knows (${host})`;
	return undefined;
}

function unreachableIpv4([a, b]: number[]): string | undefined {
	if (a === 127) return 'this machine (loopback)';
	if (a === 0) return 'no address ("this network")';
	if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168))
		return 'a private network address';
	if (a === 100 && b >= 64 && b <= 127) return 'a shared (carrier-grade NAT) address';
	if (a === 169 && b === 254) return 'a link-local address';
	return undefined;
}

function unreachableIpv6(address: string): string | undefined {
	if (address === '::1') return 'this machine (loopback)';
	if (address === '::') return 'no address';
	const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(address);
	if (mapped) return unreachableIpv4(mapped[1].split('.').map(Number));
	// Node writes a mapped address in hex: ::ffff:7f00:1 is 127.0.0.1.
	const hexMapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(address);
	if (hexMapped) {
		const high = parseInt(hexMapped[1], 16);
		return unreachableIpv4([high >> 8, high & 0xff]);
	}
	const first = parseInt(address.split(':')[0] || '0', 16);
	if ((first & 0xfe00) === 0xfc00) return 'a private network address (unique local)';
	if ((first & 0xffc0) === 0xfe80) return 'a link-local address';
	return undefined;
}

/**
 * Why a provider cannot deliver to this webhook URL (its host is local, or the provider needs
 * https), or undefined when it may. A provider base URL that is itself local allows any URL.
 */
export function unreachableFor(
	provider: { displayName: string; baseUrl: string; httpsOnly?: boolean },
	webhookUrl: string,
): string | undefined {
	if (unreachableHost(provider.baseUrl) !== undefined) return undefined;
	const why = unreachableHost(webhookUrl);
	if (why !== undefined)
		return `${provider.displayName} cannot reach this trigger's webhook URL ${webhookUrl}: its host is ${why}`;
	if (provider.httpsOnly && !webhookUrl.toLowerCase().startsWith('https:'))
		return `${provider.displayName} delivers only to https URLs, and this trigger's webhook URL is ${webhookUrl}`;
	return undefined;
}

/**
 * Publishing (or listening for a test event) with a webhook URL the provider cannot reach fails
 * at once, before any call to the provider, naming n8n's WEBHOOK_URL. A credential whose base URL
 * is itself local (a test server, the package's emulators) may use a local webhook URL.
 */
export function assertReachable(
	ctx: IHookFunctions,
	provider: { displayName: string; baseUrl: string; httpsOnly?: boolean },
	webhookUrl: string,
): void {
	const problem = unreachableFor(provider, webhookUrl);
	if (problem === undefined) return;
	throw new NodeOperationError(
		ctx.getNode(),
		`${problem}. Set n8n's WEBHOOK_URL to its public address`,
		{
			description: `n8n builds webhook URLs from its WEBHOOK_URL environment variable. Set WEBHOOK_URL to the public https address at which ${provider.displayName} reaches this n8n (for example https://n8n.example.com/), restart n8n, and publish again (activate on n8n 1.x).`,
		},
	);
}
