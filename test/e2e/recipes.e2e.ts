/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- Node-side code (tests, emulators, scripts), never loaded by n8n */
/**
 * The recipes a user imports for the common case of each trigger, in a real n8n against the
 * provider emulators: Screeb, Refiner and Poltio responses to Google Sheets (Append or Update on
 * `responseId`) and a Cint quota fill to Slack, each with its Google or Slack node swapped for one
 * that records what it would have sent (recipes.ts). A delivery runs the recipe once and records
 * the row; a forged one fails its run through Problems → Stop and Error and records nothing.
 * (The Prolific recipes run in prolific-node.e2e.ts.)
 */
import { randomUUID } from 'crypto';

import type { N8nRest } from '../../scripts/lib/rest';
import { sampleBody, send, signDelivery } from '../../scripts/lib/samples';
import { Emulators, secretFields, triggerSetups } from '../../scripts/lib/setups';
import { readFileSync } from 'fs';
import path from 'path';
import { eventually, nodeOutput, nodesRun, recordSecrets, signedInRest } from './n8n';
import { importRecipe } from './recipes';

let rest: N8nRest;
const emulators = new Emulators();
const setups = triggerSetups(emulators);
const credentials: Record<string, { id: string; name: string }> = {};

beforeAll(async () => {
	rest = await signedInRest();
	await emulators.start();
	for (const setup of setups) {
		const name = `${setup.provider} recipe ${randomUUID().slice(0, 6)}`;
		const { id } = await rest.createCredential(name, setup.credentialType, setup.credential());
		credentials[setup.credentialType] = { id, name };
		recordSecrets(...secretFields(setup));
	}
});
afterAll(async () => {
	recordSecrets(...emulators.issuedSecrets());
	await emulators.stop();
});

const fixture = (provider: string, name: string) =>
	readFileSync(path.join(__dirname, '..', 'fixtures', provider, `${name}.json`), 'utf8');

const CASES = [
	{
		file: 'screeb-responses-to-google-sheets.json',
		provider: 'screeb',
		body: () => sampleBody('screeb', 'response.ended'),
		next: 'Append or Update Row',
		recorded: {
			responseId: '5854a797-628c-4906-bb4c-da03e418cf47',
			respondedAt: '2021-07-29T13:44:59.831Z',
			surveyName: 'Measure NPS',
			respondentId: 'samuel@screeb.app',
			'How likely are you to recommend us?': 9,
		},
	},
	{
		file: 'refiner-responses-to-google-sheets.json',
		provider: 'refiner',
		body: () => fixture('refiner', 'completed-survey-columns'),
		next: 'Append or Update Row',
		recorded: {
			responseId: '18de5430-c64c-11ec-aa71-e1784a46b058',
			respondedAt: '2022-04-27T17:05:02.000Z',
			surveyName: 'NPS Survey',
			respondentId: 'Your-User-ID',
			rating: 4,
		},
	},
	{
		file: 'poltio-sessions-to-google-sheets.json',
		provider: 'poltio',
		body: () => fixture('poltio', 'session-completed-columns'),
		next: 'Append or Update Row',
		recorded: {
			responseId: '22ffdf18-1035-4e56-baa2-8327e3af5242',
			respondedAt: '2024-01-23T11:59:59.000Z',
			respondentId: 1234,
			'How would you rate our app?': 4,
			'Which features do you use?': 'Dashboards, Exports',
		},
	},
	{
		file: 'cint-quota-fill-to-slack.json',
		provider: 'cint',
		body: () => sampleBody('cint', 'quota-fill-registered'),
		next: 'Tell Slack',
		recorded: {
			text: 'Cint quota fill: 73 completes and 113 screens in target group 01JPSECBPA847DD89PN9ZFFBE1 (quota 01JPSECY0CC2XAJEP5EV18SD9F).',
		},
	},
];

describe.each(CASES)('recipe $file', ({ file, provider, body, next, recorded }) => {
	it('imports as it is, runs the common case once and records what the outside node would send; a forged delivery fails through Stop and Error', async () => {
		const setup = setups.find((candidate) => candidate.provider === provider)!;
		const { workflowId, url } = await importRecipe(rest, file, credentials, (node) => {
			// What the recipe leaves empty for the user (Poltio's content), as the user picks it.
			if (node.type.endsWith('Trigger')) {
				const chosen = setup.parameters();
				for (const [key, value] of Object.entries(node.parameters))
					if (value === '' && chosen[key] !== undefined) node.parameters[key] = chosen[key];
			}
		});
		const secret = setup.secret(url);
		recordSecrets(secret);
		const finished = (count: number) =>
			eventually(
				async () => {
					const done = (await rest.executions(workflowId)).filter(
						(run) => run.status !== 'running' && run.status !== 'new',
					);
					return done.length >= count ? done : undefined;
				},
				20_000,
				`${count} finished run(s)`,
			);

		expect((await send(signDelivery(provider, url, body(), secret))).status).toBe(200);
		const [run] = await finished(1);
		expect(run.status).toBe('success');
		const rows = await nodeOutput(rest, run.id, next);
		expect(rows).toEqual([expect.objectContaining(recorded)]);

		expect((await send(signDelivery(provider, url, body(), `${secret}-wrong`))).status).toBe(401);
		const [refused] = await finished(2);
		expect(refused.status).toBe('error');
		expect(await nodesRun(rest, refused.id)).toEqual(expect.arrayContaining(['Stop and Error']));
		expect(await nodesRun(rest, refused.id)).not.toContain(next);
		await rest.unpublish(workflowId);
	});
});
