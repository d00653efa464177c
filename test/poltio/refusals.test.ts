/**
 * Every reason the Poltio Trigger declines a delivery, over real HTTP (test/helpers/refusals.ts):
 * the answer to Poltio, the production log line and the test-run item, in the words README's
 * Troubleshooting table gives. The token this trigger put into the URL it registered.
 */
import { mainSample } from '../helpers/fixtures';
import { describeRefusals, forged, notJson, signed, unsigned } from '../helpers/refusals';

const body = mainSample('poltio');

describeRefusals('poltio', [
	{
		name: 'wrong token',
		status: 401,
		check: 'mismatch',
		reason: 'token does not match',
		request: forged(body),
		message:
			'The URL token does not match the one this trigger registered with Poltio: the request was sent to an outdated or guessed URL. If Poltio still posts to an old URL, publish the workflow again (activate it on n8n 1.x).',
	},
	{
		name: 'no token',
		status: 401,
		check: 'missing',
		reason: 'missing token',
		request: unsigned(body),
		message:
			'Missing token: Poltio always sends it, so the request did not come from Poltio, or a proxy removed it.',
	},
	{
		name: 'not published yet',
		status: 401,
		check: 'setup',
		reason: 'the trigger has no token yet: publish the workflow again (activate it on n8n 1.x)',
		request: signed(body),
		setup: { staticData: {} },
		message: 'The trigger has no token yet: publish the workflow again (activate it on n8n 1.x).',
	},
	{
		name: 'body not UTF-8',
		status: 400,
		check: 'body',
		reason: 'request body is not valid UTF-8',
		request: signed('{"a":"\xff"}'),
		message: notJson('Poltio', 'request body is not valid UTF-8'),
	},
]);
