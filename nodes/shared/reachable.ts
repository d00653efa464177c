import { NodeOperationError, type IHookFunctions } from 'n8n-workflow';

/**
 * Why a provider on the internet cannot reach a URL, judged from its literal host alone (no DNS
 * lookup): `localhost`, a name without a dot (a Docker service or a machine name), special-use
 * names only a local network resolves (`.local`, `.internal`, `.home.arpa`, `.localdomain`), with or
 * without a trailing dot; loopback, "this network", private, shared (carrier-grade NAT) and
 * link-local addresses, IPv4 and IPv6, including IPv4 addresses written inside IPv6 ones (mapped,
 * compatible, translated, NAT64). Undefined when the host may be public.
 */
export function unreachableHost(url: string): string | undefined {
	let host: string;
	try {
		host = new URL(url).hostname.toLowerCase();
	} catch {
		return 'not a valid URL';
	}
	if (host.startsWith('[') && host.endsWith(']')) return unreachableIpv6(host.slice(1, -1));
	// `localhost.` and `n8n.` are the same names as without the final dot.
	if (host.endsWith('.')) host = host.slice(0, -1);
	if (host === 'localhost' || host.endsWith('.localhost')) return 'this machine (localhost)';
	const octets = host.split('.');
	if (octets.length === 4 && octets.every((octet) => /^\d{1,3}$/.test(octet)))
		return unreachableIpv4(octets.map(Number));
	if (!host.includes('.')) return `a name only a local network knows (${host})`;
	const special = LOCAL_ONLY_SUFFIXES.find((suffix) => host.endsWith(suffix));
	if (special) return `a name only a local network knows (${host}: ${special} is for local use)`;
	return undefined;
}

/** Special-use domains that no public DNS answers (RFC 6762, 8375, 6761; Docker's host.docker.internal). */
const LOCAL_ONLY_SUFFIXES = ['.local', '.internal', '.home.arpa', '.localdomain'];

function unreachableIpv4([a, b]: number[]): string | undefined {
	if (a === 127) return 'this machine (loopback)';
	if (a === 0) return 'no address ("this network")';
	if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168))
		return 'a private network address';
	if (a === 100 && b >= 64 && b <= 127) return 'a shared (carrier-grade NAT) address';
	if (a === 169 && b === 254) return 'a link-local address';
	return undefined;
}

/** The eight 16-bit groups of an IPv6 address as the URL parser writes it (hex, `::` compressed). */
function ipv6Groups(address: string): number[] | undefined {
	const halves = address.split('::');
	if (halves.length > 2) return undefined;
	const parse = (part: string) => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
	const head = parse(halves[0]);
	const tail = halves.length === 2 ? parse(halves[1]) : [];
	const missing = 8 - head.length - tail.length;
	if (missing < 0 || (halves.length === 1 && missing !== 0)) return undefined;
	const groups = [...head, ...Array<number>(missing).fill(0), ...tail];
	return groups.every((group) => Number.isInteger(group) && group >= 0 && group <= 0xffff)
		? groups
		: undefined;
}

const zero = (groups: number[]) => groups.every((group) => group === 0);

/** The IPv4 address an IPv6 address carries in its last 32 bits, where its prefix says it does. */
function embeddedIpv4(g: number[]): number[] | undefined {
	const mapped = zero(g.slice(0, 5)) && g[5] === 0xffff; // ::ffff:a.b.c.d
	const compatible = zero(g.slice(0, 6)); // ::a.b.c.d (deprecated; :: and ::1 are answered before)
	const translated = zero(g.slice(0, 4)) && g[4] === 0xffff && g[5] === 0; // ::ffff:0:a.b.c.d
	const nat64 = g[0] === 0x64 && g[1] === 0xff9b && (zero(g.slice(2, 6)) || g[2] === 1); // 64:ff9b::/96, 64:ff9b:1::/48
	if (!(mapped || compatible || translated || nat64)) return undefined;
	return [g[6] >> 8, g[6] & 0xff, g[7] >> 8, g[7] & 0xff];
}

function unreachableIpv6(address: string): string | undefined {
	const groups = ipv6Groups(address);
	if (!groups) return 'not a valid IPv6 address';
	if (zero(groups)) return 'no address';
	if (zero(groups.slice(0, 7)) && groups[7] === 1) return 'this machine (loopback)';
	const ipv4 = embeddedIpv4(groups);
	if (ipv4) return unreachableIpv4(ipv4);
	const first = groups[0];
	if ((first & 0xfe00) === 0xfc00) return 'a private network address (unique local)';
	if ((first & 0xffc0) === 0xfe80) return 'a link-local address';
	if ((first & 0xffc0) === 0xfec0) return 'a private network address (site-local)';
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
