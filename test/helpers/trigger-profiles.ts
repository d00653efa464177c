/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-hardcoded-secrets -- Node-side code (tests, emulators, scripts), never loaded by n8n */
/**
 * One webhook server per trigger, configured with a known secret, and a way to authenticate a body
 * the way each provider documents it (scripts/lib/provider-signing). The hardening tests run the
 * same checks over all five.
 */
import path from 'path';
import type { ICredentialDataDecryptedObject, IDataObject, INodeType } from 'n8n-workflow';

import { PROVIDERS } from '../../scripts/lib/providers';
import { createHarness, type Harness } from './n8n-context';
import { startWebhookServer, type WebhookServer } from './webhook-server';
import { firstExport } from '../../scripts/lib/load';

export const SECRET = 'hardening-secret-5b1e9c0d7a3f';

export interface Authenticated {
	headers: Record<string, string>;
	query: string;
}

export interface Profile {
	provider: string;
	node: INodeType;
	parameters: IDataObject;
	staticData: IDataObject;
	credentials: Record<string, ICredentialDataDecryptedObject>;
	/** Headers and query string that authenticate `body` (signed now, or at `timestamp`). */
	authenticate(body: string | Buffer, secret?: string, timestamp?: string): Authenticated;
	/** The same kind of headers, well-formed but forged (no secret needed to write them). */
	forge(): Authenticated;
}

/** A trigger node of the package, loaded from its source file. */
export function loadNode(nodeFile: string): INodeType {
	const NodeClass = firstExport<new () => INodeType>(
		path.join(__dirname, '..', '..', 'nodes', nodeFile),
	);
	return new NodeClass();
}

/** Headers and the query string of a signed delivery (the URL is a placeholder). */
function authenticated({
	url,
	headers,
}: {
	url: string;
	headers: Record<string, string>;
}): Authenticated {
	return { headers, query: new URL(url).search };
}

const PLACEHOLDER_URL = 'http://127.0.0.1/webhook';

/** One profile per provider of the registry (scripts/lib/providers/), with a known secret. */
export const PROFILES: Profile[] = PROVIDERS.map((entry) => {
	const { staticData = {}, credentials = {} } = entry.secretAt(SECRET);
	return {
		provider: entry.provider,
		node: loadNode(entry.nodeFile),
		parameters: entry.allEvents,
		staticData,
		credentials: credentials as Record<string, ICredentialDataDecryptedObject>,
		authenticate: (body, secret = SECRET, timestamp) =>
			authenticated(
				entry.sign(PLACEHOLDER_URL, String(body), secret, { eventId: 'evt-1', timestamp }),
			),
		forge: () => authenticated(entry.forge(PLACEHOLDER_URL)),
	};
});

export const byProvider = (provider: string) =>
	PROFILES.find((profile) => profile.provider === provider)!;

/** serveProfile for a test file whose servers are all closed after each test. */
export function serveProfileEachTest(): typeof serveProfile {
	const servers: WebhookServer[] = [];
	afterEach(async () => {
		await Promise.all(servers.splice(0).map((server) => server.close()));
	});
	return async (...args) => {
		const served = await serveProfile(...args);
		servers.push(served.server);
		return served;
	};
}

export async function serveProfile(
	profile: Profile,
	options: IDataObject = {},
	parameters: IDataObject = {},
): Promise<{ harness: Harness; server: WebhookServer }> {
	const harness = createHarness({
		nodeType: `n8n-nodes-survey-triggers.${profile.node.description.name}`,
		parameters: { simple: true, options, ...profile.parameters, ...parameters },
		credentials: profile.credentials,
		staticData: { ...profile.staticData },
	});
	return { harness, server: await startWebhookServer(profile.node, harness) };
}
