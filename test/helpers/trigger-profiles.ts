/**
 * One webhook server per trigger, configured with a known secret, and a way to authenticate a body
 * the way each provider documents it (scripts/lib/provider-signing). The hardening tests run the
 * same checks over all five.
 */
import type { ICredentialDataDecryptedObject, IDataObject, INodeType } from 'n8n-workflow';

import { CintTrigger } from '../../nodes/CintTrigger/CintTrigger.node';
import { PoltioTrigger } from '../../nodes/PoltioTrigger/PoltioTrigger.node';
import { ProlificTrigger } from '../../nodes/ProlificTrigger/ProlificTrigger.node';
import { RefinerTrigger } from '../../nodes/RefinerTrigger/RefinerTrigger.node';
import { ScreebTrigger } from '../../nodes/ScreebTrigger/ScreebTrigger.node';
import { createHarness, type Harness } from './n8n-context';
import { cintSignatureHeader, nowSeconds, prolificSignature, screebSignature } from '../../scripts/lib/provider-signing';
import { startWebhookServer, type WebhookServer } from './webhook-server';

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

const json = { 'content-type': 'application/json' };
const forgedBase64 = Buffer.alloc(32, 7).toString('base64');

export const PROFILES: Profile[] = [
	{
		provider: 'prolific',
		node: new ProlificTrigger(),
		parameters: { workspaceId: 'w1', events: ['submission.status.change', 'study.status.change', 'study.progress.change', 'study.has_high_return_rate'] },
		staticData: { secret: SECRET, workspaceId: 'w1' },
		credentials: {},
		authenticate: (body, secret = SECRET, timestamp = nowSeconds()) => ({
			headers: { ...json, 'x-prolific-request-signature': prolificSignature(secret, timestamp, body), 'x-prolific-request-timestamp': timestamp, 'x-event-id': 'evt-1' },
			query: '',
		}),
		forge: () => ({ headers: { ...json, 'x-prolific-request-signature': forgedBase64, 'x-prolific-request-timestamp': nowSeconds() }, query: '' }),
	},
	{
		provider: 'cint',
		node: new CintTrigger(),
		parameters: { events: ['session-updated', 'target-group-updated', 'quota-fill-registered'] },
		staticData: { secret: SECRET },
		credentials: {},
		authenticate: (body, secret = SECRET, timestamp = nowSeconds()) => ({ headers: { ...json, 'cint-signature': cintSignatureHeader(secret, timestamp, body) }, query: '' }),
		forge: () => ({ headers: { ...json, 'cint-signature': `t=${nowSeconds()},v1=${'ab'.repeat(32)}` }, query: '' }),
	},
	{
		provider: 'screeb',
		node: new ScreebTrigger(),
		parameters: { events: ['response.displayed', 'response.answered', 'response.ended'] },
		staticData: {},
		credentials: { screebWebhookApi: { secret: SECRET } },
		authenticate: (body, secret = SECRET) => ({ headers: { ...json, 'x-screeb-hmac-signature-body': screebSignature(secret, body) }, query: '' }),
		forge: () => ({ headers: { ...json, 'x-screeb-hmac-signature-body': forgedBase64 }, query: '' }),
	},
	{
		provider: 'refiner',
		node: new RefinerTrigger(),
		parameters: { verification: 'token', events: ['*'] },
		staticData: {},
		credentials: { refinerWebhookApi: { secretToken: SECRET } },
		authenticate: (_body, secret = SECRET) => ({ headers: { ...json, 'x-refiner-token': secret }, query: '' }),
		forge: () => ({ headers: { ...json, 'x-refiner-token': 'guessed-token-0123456789' }, query: '' }),
	},
	{
		provider: 'poltio',
		node: new PoltioTrigger(),
		parameters: { events: ['session.completed', 'session.incomplete'] },
		staticData: { token: SECRET },
		credentials: {},
		authenticate: (_body, secret = SECRET) => ({ headers: { ...json }, query: `?token=${encodeURIComponent(secret)}` }),
		forge: () => ({ headers: { ...json }, query: '?token=guessed-token-0123456789' }),
	},
];

export const byProvider = (provider: string) => PROFILES.find((profile) => profile.provider === provider)!;

export async function serveProfile(profile: Profile, options: IDataObject = {}): Promise<{ harness: Harness; server: WebhookServer }> {
	const harness = createHarness({
		nodeType: `n8n-nodes-survey-triggers.${profile.node.description.name}`,
		parameters: { simple: true, options, ...profile.parameters },
		credentials: profile.credentials,
		staticData: { ...profile.staticData },
	});
	return { harness, server: await startWebhookServer(profile.node, harness) };
}
