/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- Node-side code (tests, emulators, scripts), never loaded by n8n */
/**
 * The n8n editor as a user sees it (Debian chromium driven by playwright-core): log in, find each
 * trigger in the node panel, add it, and save a screenshot of its parameter panel into docs/; then,
 * listening for a test event, see why a delivery was refused (screenshots in docs/ as well).
 */
import { existsSync, mkdirSync } from 'fs';
import os from 'os';
import path from 'path';
import { chromium, type Browser, type Page } from 'playwright-core';

import { DEMO_OWNER, type N8nRest } from '../../scripts/lib/rest';
import { N8N_MAJOR } from '../../scripts/lib/runtime';
import { PROVIDERS } from '../../scripts/lib/providers';
import { sampleBody, send, signDelivery } from '../../scripts/lib/samples';
import { createTriggerWorkflow, Emulators, triggerSetups } from '../../scripts/lib/setups';
import { e2eState, eventually, recordSecrets, signedInRest } from './n8n';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** README shows n8n 2.x: other lines' screenshots stay with the run. */
const docsFolder = () =>
	N8N_MAJOR >= 2
		? path.resolve(__dirname, '..', '..', 'docs')
		: path.join(e2eState().userFolder, 'screenshots');
/** What a user types into the node panel to find each trigger. */
const SEARCH: Record<string, string> = Object.fromEntries(
	PROVIDERS.map((entry) => [entry.provider, entry.displayName]),
);

let browser: Browser;
let page: Page;
let rest: N8nRest;
const emulators = new Emulators();
/** The credential created for each provider, named as a user would: "Screeb account". */
const credentials: Record<string, { id: string; name: string }> = {};

beforeAll(async () => {
	if (!existsSync(CHROMIUM))
		throw new Error(
			`Chromium not found at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)`,
		);
	await emulators.start();
	rest = await signedInRest();
	// One credential per trigger, so the parameter panel opens with it selected.
	for (const setup of triggerSetups(emulators)) {
		const name = `${SEARCH[setup.provider]} account`;
		credentials[setup.provider] = {
			id: (await rest.createCredential(name, setup.credentialType, setup.credential())).id,
			name,
		};
	}
	browser = await chromium.launch({
		executablePath: CHROMIUM,
		args: [
			'--headless',
			'--no-sandbox',
			'--disable-gpu',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
			'--no-first-run',
		],
	});
	page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
	await page.goto(`${e2eState().url}/signin`);
	await page.fill('input[name=emailOrLdapLoginId]', DEMO_OWNER.email);
	await page.fill('input[name=password]', DEMO_OWNER.password);
	await page.click('[data-test-id=form-submit-button]');
	await page.waitForURL(/\/home\//, { timeout: 30_000 });
	mkdirSync(docsFolder(), { recursive: true });
});

afterAll(async () => {
	await browser?.close();
	await emulators.stop();
});

it.each(Object.keys(SEARCH))(
	'adds the %s trigger from the node panel and shows its parameters',
	async (provider) => {
		await page.goto(`${e2eState().url}/workflow/new`);
		await page.click('[data-test-id=canvas-add-button]');
		await page.keyboard.type(SEARCH[provider]);
		const item = page.locator('[data-test-id=node-creator-item-name]', {
			hasText: SEARCH[provider],
		});
		await item.first().click();
		// n8n lists one "On …" action per fixed event option, and any of them adds the trigger; for a
		// trigger whose events load from the provider (Prolific, Cint) n8n 2.x shows the node's details
		// with "Add to workflow" instead.
		const action = page.locator('[data-test-id=node-creator]').getByText(/^On /).first();
		const addToWorkflow = page
			.locator('[data-test-id=node-creator]')
			.getByRole('button', { name: 'Add to workflow' });
		const panel = page.locator('[data-test-id=ndv]');
		const deadline = Date.now() + 20_000;
		while (!(await panel.isVisible())) {
			if (await action.isVisible()) await action.click();
			else if (await addToWorkflow.isVisible()) await addToWorkflow.click();
			else if (Date.now() > deadline) {
				const shot = path.join(os.tmpdir(), `survey-triggers-${provider}-not-added.png`);
				await page.screenshot({ path: shot });
				throw new Error(`the ${provider} trigger was not added (screenshot: ${shot})`);
			} else await page.waitForTimeout(200);
		}
		await panel.waitFor({ state: 'visible', timeout: 20_000 });
		await page.locator('[data-test-id=parameter-input-events]').waitFor({ timeout: 20_000 });
		expect(await panel.textContent()).toContain(`${SEARCH[provider]} Trigger`);
		await page.waitForTimeout(500);
		await panel.screenshot({ path: path.join(docsFolder(), `${provider}-trigger.png`) });
		expect(existsSync(path.join(docsFolder(), `${provider}-trigger.png`))).toBe(true);
	},
);

describe('a refused delivery while listening for a test event', () => {
	const screeb = () => triggerSetups(emulators).find((setup) => setup.provider === 'screeb')!;

	it.each([
		[
			'wrong secret',
			'refused-wrong-secret.png',
			"The signature does not match the secret in credential 'Screeb account'. Copy the webhook secret again from Screeb › Integrations › Webhook.",
		],
		[
			'event not selected',
			'refused-event-not-selected.png',
			'Event `response.displayed` arrived but is not selected in Events.',
		],
	])('%s: the output panel says why', async (what, screenshot, message) => {
		const setup = screeb();
		const { workflowId, url } = await createTriggerWorkflow(
			rest,
			setup,
			`Screeb follow-up (${what})`,
			[],
			{},
			{ credential: credentials.screeb, nodeName: 'Screeb Trigger' },
		);
		await page.goto(`${e2eState().url}/workflow/${workflowId}`);
		await page.locator('[data-test-id=canvas-node]').first().dblclick();
		const panel = page.locator('[data-test-id=ndv]');
		await panel.waitFor({ state: 'visible', timeout: 20_000 });
		await page.locator('[data-test-id=node-execute-button]').first().click();

		const testUrl = url.replace('/webhook/', '/webhook-test/');
		const secret = setup.secret(testUrl);
		recordSecrets(secret);
		const delivery =
			what === 'wrong secret'
				? signDelivery(
						'screeb',
						testUrl,
						sampleBody('screeb', 'response.ended'),
						`${secret}-copied-wrong`,
					)
				: signDelivery('screeb', testUrl, sampleBody('screeb', 'response.displayed'), secret);
		// The test URL is registered a moment after the click; until then n8n answers 404.
		const status = await eventually(
			async () => {
				const answer = (await send(delivery)).status;
				return answer === 404 ? undefined : answer;
			},
			20_000,
			'the test URL',
		);
		expect(status).toBe(what === 'wrong secret' ? 401 : 200);

		const shown = await panel
			.getByText('1 item')
			.first()
			.waitFor({ timeout: 20_000 })
			.then(
				() => true,
				() => false,
			);
		// What the editor showed instead stays with the run, for whoever reads the failure.
		if (!shown)
			await page.screenshot({ path: path.join(e2eState().userFolder, `failed-${screenshot}`) });
		expect(shown).toBe(true);
		// JSON view shows the whole message.
		await panel.getByText('JSON', { exact: true }).first().click();
		await panel.getByText('"refused"', { exact: false }).first().waitFor({ timeout: 10_000 });
		expect(await panel.textContent()).toContain(message);
		await page.waitForTimeout(300);
		await panel.screenshot({ path: path.join(docsFolder(), screenshot) });
		expect(existsSync(path.join(docsFolder(), screenshot))).toBe(true);
	});
});
