/**
 * The n8n editor as a user sees it (Debian chromium driven by playwright-core): log in, find each
 * trigger in the node panel, add it, and save a screenshot of its parameter panel into docs/.
 */
import { existsSync, mkdirSync } from 'fs';
import path from 'path';
import { chromium, type Browser, type Page } from 'playwright-core';

import { DEMO_OWNER } from '../../scripts/lib/rest';
import { N8N_MAJOR } from '../../scripts/lib/runtime';
import { Emulators, triggerSetups } from '../../scripts/lib/setups';
import { e2eState, signedInRest } from './n8n';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** README shows n8n 2.x: other lines' screenshots stay with the run. */
const docsFolder = () => (N8N_MAJOR >= 2 ? path.resolve(__dirname, '..', '..', 'docs') : path.join(e2eState().userFolder, 'screenshots'));
const SEARCH: Record<string, string> = { prolific: 'Prolific', cint: 'Cint', screeb: 'Screeb', refiner: 'Refiner', poltio: 'Poltio' };

let browser: Browser;
let page: Page;
const emulators = new Emulators();

beforeAll(async () => {
	if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)`);
	await emulators.start();
	const rest = await signedInRest();
	// One credential per trigger, so the parameter panel opens with it selected.
	for (const setup of triggerSetups(emulators)) {
		await rest.createCredential(`${SEARCH[setup.provider]} account`, setup.credentialType, setup.credential());
	}
	browser = await chromium.launch({
		executablePath: CHROMIUM,
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
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

it.each(Object.keys(SEARCH))('adds the %s trigger from the node panel and shows its parameters', async (provider) => {
	await page.goto(`${e2eState().url}/workflow/new`);
	await page.click('[data-test-id=canvas-add-button]');
	await page.keyboard.type(SEARCH[provider]);
	const item = page.locator('[data-test-id=node-creator-item-name]', { hasText: SEARCH[provider] });
	await item.first().click();
	// n8n lists one "On …" action per event option; any of them adds the trigger.
	await page.locator('[data-test-id=node-creator]').getByText(/^On /).first().click();
	const panel = page.locator('[data-test-id=ndv]');
	await panel.waitFor({ state: 'visible', timeout: 20_000 });
	await page.locator('[data-test-id=parameter-input-events]').waitFor({ timeout: 20_000 });
	expect(await panel.textContent()).toContain(`${SEARCH[provider]} Trigger`);
	await page.waitForTimeout(500);
	await panel.screenshot({ path: path.join(docsFolder(), `${provider}-trigger.png`) });
	expect(existsSync(path.join(docsFolder(), `${provider}-trigger.png`))).toBe(true);
});
