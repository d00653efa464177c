/**
 * What a provider's API answers is untrusted text too: event types and descriptions it lists, and
 * the messages of its errors, reach n8n's log and the editor. Event types are accepted only in a
 * safe character set; every other string is escaped and cut like a request string. And a sealed
 * secret copied into another workflow's static data is not opened there with the first
 * workflow's credential.
 */
import { cintSignatureHeader, nowSeconds } from '../../scripts/lib/provider-signing';
import type { CintEmulator } from '../../scripts/lib/emulators/cint';
import type { ProlificEmulator } from '../../scripts/lib/emulators/prolific';
import { Emulators } from '../../scripts/lib/setups';
import { SAFE_EVENT_TYPE } from '../../nodes/shared/event-options';
import { cintHarness, node as cintNode } from '../cint/setup';
import { fixture } from '../helpers/fixtures';
import { lifecycle } from '../helpers/lifecycle';
import { loadOptionsContext, type Harness } from '../helpers/n8n-context';
import { post, startWebhookServer } from '../helpers/webhook-server';
import { node as prolificNode, prolificHarness } from '../prolific/setup';

/** A listed name that would forge a log line (newline, ANSI colour) or inject markup. */
const FORGED_LINE = 'study.x\n2026-12-06T00:00:00.000Z \u001b[32minfo\u001b[0m Workflow activated';
const MARKUP = '<img src=x onerror=alert(1)>';
/** The second workflow's credential field the sealed secret is keyed by (not Cint's). */
const ANOTHER_CREDENTIAL_FIELD = ['another', 'client', 'field', '2b8e'].join('-');
/** Any character that would break or disguise a log line (as log.ts's printable() escapes them). */
const hasControl = (text: unknown): boolean =>
	[...String(text)].some((character) => {
		const code = character.charCodeAt(0);
		return code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029;
	});

const emulators = new Emulators();
let prolific: ProlificEmulator;
let cint: CintEmulator;
beforeAll(async () => {
	await emulators.start();
	prolific = emulators.of<ProlificEmulator>('prolific')!;
	cint = emulators.of<CintEmulator>('cint')!;
});
afterAll(() => emulators.stop());
afterEach(() => [prolific, cint].forEach((emulator) => emulator.clearFaults()));

const logText = (harness: Harness) => harness.logs.map((line) => line.message).join('\n');

describe('event types a provider lists', () => {
	it('Prolific: only names in the safe set are offered; descriptions are escaped and cut', async () => {
		prolific.inject({
			method: 'GET',
			path: /\/hooks\/event-types\/$/,
			status: 200,
			body: {
				results: [
					{ event_type: FORGED_LINE, description: 'a' },
					{ event_type: MARKUP, description: 'b' },
					{ event_type: 'x'.repeat(500), description: 'c' },
					{
						event_type: 'study.quota_reached',
						description: `Quota\nreached \u001b[31m${'d'.repeat(600)}`,
					},
				],
			},
		});
		const options = await prolificNode.methods!.loadOptions!.listEventTypes.call(
			loadOptionsContext(prolificHarness(prolific)),
		);
		const added = options.slice(4);
		expect(added.map((option) => option.value)).toEqual(['study.quota_reached']);
		expect(hasControl(added[0].description)).toBe(false);
		expect(added[0].description).toContain('Quota\\u000areached \\u001b[31m');
		expect(added[0].description).toMatch(/d…$/); // cut at 300 characters, then escaped
		for (const option of options) expect(String(option.value)).toMatch(SAFE_EVENT_TYPE);
	});

	it('Cint: only names in the safe set are offered', async () => {
		cint.inject({
			method: 'GET',
			path: /\/webhooks-events$/,
			status: 200,
			body: { events: ['session-updated', FORGED_LINE, MARKUP, 'survey-closed'] },
		});
		const options = await cintNode.methods!.loadOptions!.listEventTypes.call(
			loadOptionsContext(cintHarness(cint)),
		);
		expect(options.map((option) => option.value)).toContain('survey-closed');
		expect(options.map((option) => option.value)).not.toContain(FORGED_LINE);
		expect(options.map((option) => option.value)).not.toContain(MARKUP);
		for (const option of options) {
			expect(hasControl(String(option.name))).toBe(false);
			expect(String(option.value)).toMatch(SAFE_EVENT_TYPE);
		}
	});
});

describe("a provider's answers in n8n's log and errors", () => {
	it('the error a failed publish shows escapes what Cint answered', async () => {
		cint.inject({
			method: 'POST',
			path: /\/webhooks$/,
			status: 400,
			body: { detail: FORGED_LINE },
		});
		const harness = cintHarness(cint, {}, { webhookUrl: 'https://n8n.example.test/w/1' });
		const error = (await lifecycle(cintNode, harness)
			.publish()
			.catch((caught: unknown) => caught)) as Error & { description?: string };
		expect(error).toBeInstanceOf(Error);
		expect(`${error.message}\n${error.description}`).toContain('\\u000a2026-12-06');
		expect(hasControl(error.message)).toBe(false);
		expect(hasControl(String(error.description))).toBe(false);
	});

	it('the clean-up line after a failed publish escapes the id Cint answered', async () => {
		// The webhook is created without its secret (so the publish fails), and cannot be removed.
		cint.inject({ method: 'POST', path: /\/webhooks$/, status: 201, body: { id: FORGED_LINE } });
		cint.inject({ method: 'GET', path: /\/webhooks\/./, status: 400, body: { detail: 'no' } });
		const harness = cintHarness(cint, {}, { webhookUrl: 'https://n8n.example.test/w/2' });
		await expect(lifecycle(cintNode, harness).publish()).rejects.toThrow();
		const text = logText(harness);
		expect(text).toContain('could not remove webhook study.x\\u000a2026-12-06');
		expect(hasControl(text)).toBe(false);
	});
});

describe('a sealed secret copied into another workflow', () => {
	it('is not opened there with the first workflow’s credential (the copy is refused, "publish again")', async () => {
		const body = fixture('cint', 'session-updated');
		const original = cintHarness(cint, { events: ['session-updated'] });
		const server = await startWebhookServer(cintNode, original);
		try {
			original.webhookUrl = server.url;
			await lifecycle(cintNode, original).publish();
			const secret = cint.webhooksFor(server.url)[0].secret;
			const signed = () => ({
				'content-type': 'application/json',
				'cint-signature': cintSignatureHeader(secret, nowSeconds(), body),
			});
			// The process opens the sealed secret on the first delivery.
			expect((await post(server.url, body, signed())).status).toBe(200);
			// Another workflow, on another credential, with the first one's static data pasted in.
			const copy = cintHarness(
				cint,
				{ events: ['session-updated'] },
				{ clientSecret: ANOTHER_CREDENTIAL_FIELD, staticData: { ...original.staticData } },
			);
			copy.node.credentials = { cintApi: { id: '2', name: 'Another Cint' } };
			const copied = await startWebhookServer(cintNode, copy);
			try {
				const refused = await post(copied.url, body, signed());
				expect(refused).toEqual({
					status: 401,
					body: {
						error:
							"the stored signing secret cannot be read with the node's credential: publish the workflow again (activate it on n8n 1.x)",
					},
				});
				expect(copied.executions).toHaveLength(0);
			} finally {
				await copied.close();
			}
		} finally {
			await lifecycle(cintNode, original).delete();
			await server.close();
		}
	});
});
