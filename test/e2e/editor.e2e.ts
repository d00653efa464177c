/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- Node-side code (tests, emulators, scripts), never loaded by n8n */
/**
 * The n8n editor as a user sees it (Debian chromium driven by playwright-core): log in, find each
 * trigger in the node panel, add it, and save a screenshot of its parameter panel into docs/; then,
 * for every trigger, listen for a test event as a user does: the waiting panel stays through an
 * unselected event and its resend, a forged delivery shows on the Problems output (Next does not
 * run), and the selected event runs Next once (screenshots of the waiting panel and of the refusal
 * in docs/).
 */
import { randomUUID } from 'crypto';
import { existsSync, mkdirSync } from 'fs';
import os from 'os';
import path from 'path';
import { chromium, type Browser, type Page } from 'playwright-core';

import type { ProlificEmulator } from '../../scripts/lib/emulators/prolific';
import { DEMO_OWNER, type N8nRest } from '../../scripts/lib/rest';
import { N8N_MAJOR } from '../../scripts/lib/runtime';
import { PROVIDERS, providerEntry } from '../../scripts/lib/providers';
import { sampleBody, send as sendDelivery, signDelivery } from '../../scripts/lib/samples';
import {
	createTriggerWorkflow,
	Emulators,
	noOpNode,
	triggerSetups,
} from '../../scripts/lib/setups';
import { e2eState, eventually, nodeOutput, nodesRun, recordSecrets, signedInRest } from './n8n';

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
		const panel = await addFromNodePanel(SEARCH[provider], provider);
		await panel.waitFor({ state: 'visible', timeout: 20_000 });
		await page.locator('[data-test-id=parameter-input-events]').waitFor({ timeout: 20_000 });
		expect(await panel.textContent()).toContain(`${SEARCH[provider]} Trigger`);
		await page.waitForTimeout(500);
		await panel.screenshot({ path: path.join(docsFolder(), `${provider}-trigger.png`) });
		expect(existsSync(path.join(docsFolder(), `${provider}-trigger.png`))).toBe(true);
	},
);

/** The canvas's button that runs the whole workflow, as n8n names it on either line. */
async function executeWorkflow(): Promise<void> {
	const button = page.locator('[data-test-id=execute-workflow-button]');
	if (await button.count()) await button.first().click();
	else
		await page
			.getByRole('button', { name: /execute workflow/i })
			.first()
			.click();
}

/**
 * Adds a node as a user does: the canvas's + button, the node panel's search, the item, and (for a
 * trigger with actions) one "On …" action or n8n 2.x's "Add to workflow". Returns the open panel.
 */
async function addFromNodePanel(search: string, shotName: string) {
	await page.goto(`${e2eState().url}/workflow/new`);
	await page.click('[data-test-id=canvas-add-button]');
	await page.keyboard.type(search);
	const item = page.locator('[data-test-id=node-creator-item-name]', {
		hasText: search,
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
			const shot = path.join(os.tmpdir(), `survey-triggers-${shotName}-not-added.png`);
			await page.screenshot({ path: shot });
			throw new Error(`${search} was not added (screenshot: ${shot})`);
		} else await page.waitForTimeout(200);
	}
	return panel;
}

describe.each(Object.keys(SEARCH))(
	'%s trigger, listening for a test event in the editor',
	(provider) => {
		it('keeps listening through an unselected event and its resend, shows a forged delivery on Problems, runs Next once on the selected event, then pins it with the panel’s Pin and runs Next once on the pinned item', async () => {
			const setup = triggerSetups(emulators).find((candidate) => candidate.provider === provider)!;
			const { workflowId, url } = await createTriggerWorkflow(
				rest,
				setup,
				`${SEARCH[provider]} follow-up ${randomUUID().slice(0, 8)}`,
				[noOpNode()],
				{ [`${SEARCH[provider]} Trigger`]: { main: [[{ node: 'Next', type: 'main', index: 0 }]] } },
				{ credential: credentials[provider], nodeName: `${SEARCH[provider]} Trigger` },
			);
			const testUrl = url.replace('/webhook/', '/webhook-test/');
			const runs = async () =>
				(await rest.executions(workflowId)).filter(
					(run) => run.status !== 'running' && run.status !== 'new',
				);
			const failed = async (what: string) => {
				const shot = path.join(e2eState().userFolder, `failed-${provider}-${what}.png`);
				await page.screenshot({ path: shot });
				return shot;
			};
			const send = async (delivery: ReturnType<typeof signDelivery>) =>
				eventually(
					async () => {
						// The test URL is registered a moment after the click; until then n8n answers 404.
						const status = (await sendDelivery(delivery)).status;
						return status === 404 ? undefined : status;
					},
					20_000,
					'the test URL',
				);

			await page.goto(`${e2eState().url}/workflow/${workflowId}`);
			await page.locator('[data-test-id=canvas-node]').first().dblclick();
			const panel = page.locator('[data-test-id=ndv]');
			await panel.waitFor({ state: 'visible', timeout: 20_000 });
			const listen = () => page.locator('[data-test-id=node-execute-button]').first().click();
			// Before listening, the trigger panel: our header and what to do in the provider to test.
			await panel
				.getByText(`Pull in events from ${SEARCH[provider]}`, { exact: false })
				.first()
				.waitFor({ timeout: 20_000 })
				.catch(async () => {
					throw new Error(`no trigger panel header (screenshot: ${await failed('header')})`);
				});
			const help = panel.getByText(/more info|need help|more help/i).first();
			if (await help.isVisible()) await help.click();
			await page.waitForTimeout(300);
			await panel.screenshot({ path: path.join(docsFolder(), `${provider}-test-help.png`) });
			const howToTest = await panel.textContent();
			expect(howToTest).toContain('WEBHOOK_URL');
			// While listening: n8n's waiting panel.
			const waiting = panel.getByText('Listening for test event', { exact: false });
			await listen();
			await waiting
				.first()
				.waitFor({ timeout: 20_000 })
				.catch(async () => {
					throw new Error(`no waiting panel (screenshot: ${await failed('waiting')})`);
				});
			await page.waitForTimeout(300);
			await panel.screenshot({ path: path.join(docsFolder(), `${provider}-listening.png`) });

			const secret = setup.secret(testUrl);
			recordSecrets(secret);
			const sign = (event: string, key = secret) =>
				signDelivery(provider, testUrl, sampleBody(provider, event), key);
			const unselected = sign(providerEntry(provider).unselected);
			for (const what of ['unselected event', 'its resend']) {
				expect([what, await send(unselected)]).toEqual([what, 200]);
				await page.waitForTimeout(1500);
				expect([what, await waiting.first().isVisible()]).toEqual([what, true]);
			}
			expect(await runs()).toHaveLength(0);

			expect(await send(sign(providerEntry(provider).event, `${secret}-copied-wrong`))).toBe(401);
			const [refused] = await eventually(
				async () => ((await runs()).length ? runs() : undefined),
				20_000,
				'the refused delivery’s test run',
			);
			expect(await nodesRun(rest, refused.id)).toEqual([`${SEARCH[provider]} Trigger`]);
			// The output panel: the Problems output holds one item that says why, in the user's words.
			const problems = panel.getByText('Problems', { exact: false });
			await problems
				.first()
				.waitFor({ timeout: 20_000 })
				.catch(async () => {
					throw new Error(`no Problems output shown (screenshot: ${await failed('refused')})`);
				});
			await problems.first().click();
			await panel.getByText('JSON', { exact: true }).first().click();
			await panel
				.getByText('"authentication"', { exact: false })
				.first()
				.waitFor({ timeout: 10_000 })
				.catch(async () => {
					throw new Error(`the problem item is not shown (screenshot: ${await failed('problem')})`);
				});
			// The receiver's own explanation of a mismatch, as the user reads it.
			const explanation = providerEntry(provider)
				.receiver.mismatchHelp.split('{credential}')
				.join(credentials[provider].name);
			expect(await panel.textContent()).toContain(explanation.slice(0, 60));
			await page.waitForTimeout(300);
			await panel.screenshot({ path: path.join(docsFolder(), `${provider}-refused.png`) });

			if (setup.registrations)
				await eventually(() => setup.registrations!(testUrl) === 0, 15_000, 'the test URL removed');
			// The whole workflow this time, as a user tests trigger and next node together.
			await page.keyboard.press('Escape');
			await panel.waitFor({ state: 'hidden', timeout: 10_000 });
			await executeWorkflow();
			if (setup.registrations)
				await eventually(
					() => setup.registrations!(testUrl) > 0,
					20_000,
					'the test URL registered',
				);
			// n8n serves the test URL while the trigger still registers, and keeps the secret the
			// trigger stores only once registering is done: a delivery in between is refused (as a
			// provider's first delivery would be, and retried). A user's event comes later than that.
			await page.waitForTimeout(2000);
			const selectedSecret = setup.secret(testUrl);
			recordSecrets(selectedSecret);
			expect(await send(sign(providerEntry(provider).event, selectedSecret))).toBe(200);
			const done = await eventually(
				async () => {
					const all = await runs();
					return all.length > 1 ? all : undefined;
				},
				20_000,
				'the selected event’s test run',
			);
			const ran = await nodeOutput(rest, done[0].id, 'Next');
			expect(ran).toHaveLength(1);
			expect(ran[0]).toMatchObject({ provider });

			// Pin the event with the output panel's own Pin button (Edit beside it), as a user builds on it.
			const triggerName = `${SEARCH[provider]} Trigger`;
			await page.locator('[data-test-id=canvas-node]', { hasText: triggerName }).first().dblclick();
			await panel.waitFor({ state: 'visible', timeout: 20_000 });
			const pin = panel.locator('[data-test-id=ndv-pin-data]');
			await pin
				.first()
				.waitFor({ state: 'visible', timeout: 20_000 })
				.catch(async () => {
					throw new Error(`no Pin button on Event (screenshot: ${await failed('pin')})`);
				});
			expect(await panel.locator('[data-test-id=ndv-edit-pinned-data]').first().isVisible()).toBe(
				true,
			);
			await pin.first().click();
			await panel
				.getByText(/This data is pinned/i)
				.first()
				.waitFor({ timeout: 10_000 })
				.catch(async () => {
					throw new Error(`the event was not pinned (screenshot: ${await failed('pinned')})`);
				});
			await page.waitForTimeout(300);
			await panel.screenshot({ path: path.join(docsFolder(), `${provider}-pinned.png`) });
			await page.keyboard.press('Escape');
			await panel.waitFor({ state: 'hidden', timeout: 10_000 });
			await page.keyboard.press('Control+s');
			await page.waitForTimeout(1000);
			// Running the workflow now starts from the pin at once: no listening, no delivery.
			await executeWorkflow();
			const fromPin = await eventually(
				async () => {
					const all = await runs();
					return all.length > 2 ? all : undefined;
				},
				20_000,
				'the run from the pinned event',
			);
			expect(await nodeOutput(rest, fromPin[0].id, 'Next')).toEqual(ran);
		});
	},
);

it.each([
	['prolific', 'Prolific Missed Events'],
	['cint', 'Cint Missed Events'],
])(
	'%s: adds %s from the node panel; its panel says where it belongs and how it deduplicates',
	async (provider, name) => {
		const panel = await addFromNodePanel(name, `${provider}-missed-events`);
		await panel.waitFor({ state: 'visible', timeout: 20_000 });
		await panel
			.getByText('Remove Duplicates', { exact: false })
			.first()
			.waitFor({ timeout: 20_000 });
		const text = await panel.textContent();
		expect(text).toContain(name);
		expect(text).toContain('{{ $json.eventId }}');
		await page.waitForTimeout(500);
		await panel.screenshot({ path: path.join(docsFolder(), `${provider}-missed-events.png`) });
	},
);

it('Prolific node: picks a study from the list Prolific gives and shows it after Execute step', async () => {
	const prolific = emulators.of<ProlificEmulator>('prolific')!;
	prolific.addStudy({ id: '60f6acb180a7b59ac0621f9e', name: 'Reading habits', places_taken: 12 });
	const workflow = await rest.createWorkflow({
		name: `Prolific study ${randomUUID().slice(0, 8)}`,
		nodes: [
			{
				id: randomUUID(),
				name: 'Prolific',
				type: 'n8n-nodes-survey-triggers.prolific',
				typeVersion: 1,
				position: [0, 0],
				parameters: { resource: 'study', operation: 'get' },
				credentials: { prolificApi: credentials.prolific },
			},
		],
		connections: {},
	});
	await page.goto(`${e2eState().url}/workflow/${workflow.id}`);
	await page.locator('[data-test-id=canvas-node]').first().dblclick();
	const panel = page.locator('[data-test-id=ndv]');
	await panel.waitFor({ state: 'visible', timeout: 20_000 });
	await panel.locator('[data-test-id=rlc-input]').first().click();
	const study = page.locator('[data-test-id=rlc-item]', { hasText: 'Reading habits' });
	await study.first().click({ timeout: 20_000 });
	await panel.locator('[data-test-id=node-execute-button]').first().click();
	await panel.getByText('placesTaken', { exact: false }).first().waitFor({ timeout: 20_000 });
	expect(await panel.textContent()).toContain('Reading habits');
	expect(prolific.callsTo('GET', /^\/api\/v1\/studies\/60f6acb180a7b59ac0621f9e\/$/)).toHaveLength(
		1,
	);
	await page.waitForTimeout(300);
	await panel.screenshot({ path: path.join(docsFolder(), 'prolific-node.png') });
});
