/**
 * A verified body whose lists hold numbers where objects are expected must not exhaust n8n's
 * memory: zod never sees a whole list of misfits (items are validated one at a time, and after 100
 * misfits the rest is not looked at), and the body is never parsed a second time. Nothing verified
 * is lost: the item carries the body as received, its event type and id, so the Events filter and
 * the retry memory keep working for it.
 */
import { validatorOf } from '../../nodes/shared/validate';
import { MAX_LIST_MISFITS } from '../../nodes/shared/schema';
import { PROVIDERS } from '../../scripts/lib/providers';
import { mainSample } from '../helpers/fixtures';
import { byProvider, serveProfileEachTest } from '../helpers/trigger-profiles';
import { post } from '../helpers/webhook-server';

const serveProfile = serveProfileEachTest();
const ITEMS = 200_000; // about 1.2 MB of "n," — 200 000 zod issues at once before the cap
const everyItem = () => true;

describe.each(PROVIDERS.filter((entry) => entry.misfitItems))(
	'$provider: a verified body whose every list item misfits',
	(entry) => {
		const sample = JSON.parse(mainSample(entry.provider));
		const bodyWith = (count: number) => {
			const event = JSON.parse(JSON.stringify(sample));
			entry.misfitItems!(event, count, everyItem);
			return JSON.stringify(event);
		};

		it(`makes zod report at most ${MAX_LIST_MISFITS + 1} issues, however long the list`, () => {
			const validate = validatorOf(entry.receiver.schema, entry.receiver.prepare);
			for (const count of [MAX_LIST_MISFITS, ITEMS]) {
				const result = validate(JSON.parse(bodyWith(count)));
				expect(result.success).toBe(false);
				if (result.success) continue;
				expect(result.error.issues).toHaveLength(count > MAX_LIST_MISFITS ? 1 : count);
			}
		});

		it('is delivered once: the list left out in one warning, the body as received, its type and id read', async () => {
			const profile = byProvider(entry.provider);
			const { server } = await serveProfile(profile);
			const body = bodyWith(ITEMS);
			const signed = profile.authenticate(body);
			expect((await post(server.url + signed.query, body, signed.headers)).status).toBe(200);
			expect(server.executions).toHaveLength(1);
			const item = server.executions[0][0].json;
			expect(item.warnings).toEqual([
				expect.stringMatching(
					new RegExp(
						`: more than ${MAX_LIST_MISFITS} of its ${ITEMS} items do not fit \\(left out\\)$`,
					),
				),
			]);
			expect(item.body).toEqual(JSON.parse(body));
			expect(item.eventType).toBe(entry.event);
			expect(item.dedupeKey).toEqual(expect.any(String));
			// The same delivery again is a resend: the retry memory knows the event.
			const again = await post(server.url + signed.query, body, signed.headers);
			expect(again.status).toBe(200);
			expect(server.executions).toHaveLength(1);
		});

		it('is not run when its event is not selected', async () => {
			const profile = byProvider(entry.provider);
			const { server } = await serveProfile({
				...profile,
				parameters: { ...profile.parameters, events: [entry.unselected] },
			});
			const body = bodyWith(ITEMS);
			const signed = profile.authenticate(body);
			expect(await post(server.url + signed.query, body, signed.headers)).toEqual({
				status: 200,
				body: expect.objectContaining({ status: 'ignored' }),
			});
			expect(server.executions).toHaveLength(0);
		});
	},
);
