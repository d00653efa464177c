/**
 * Every reason the Refiner Trigger declines a delivery, over real HTTP (test/helpers/refusals.ts):
 * the answer to Refiner, the production log line and the test-run item, in the words README's
 * Troubleshooting table gives. The token in the credential, in any documented-plausible form.
 */
import { mainSample } from '../helpers/fixtures';
import { describeRefusals, forged, notJson, signed, unsigned } from '../helpers/refusals';

const body = mainSample('refiner');

describeRefusals('refiner', [
	{
		name: 'wrong token',
		status: 401,
		check: 'mismatch',
		reason: 'secret token missing or wrong',
		request: forged(body),
		message:
			"No header or ?token= carries the secret token of credential 'My refinerWebhookApi'. Copy the token again from Refiner › Integrations › Webhooks, or set Verification to None if you left it empty in Refiner.",
	},
	{
		name: 'short token',
		status: 401,
		check: 'setup',
		reason: 'the Refiner secret token is shorter than 16 characters',
		request: unsigned(body, { 'x-refiner-token': 'tok-12345' }),
		setup: { credentials: { refinerWebhookApi: { secretToken: 'tok-12345' } } },
		message:
			'The Refiner secret token is shorter than 16 characters. Every delivery is refused until it is longer. Set a longer token in Refiner and in the credential.',
	},
	{
		name: 'credential without token',
		status: 401,
		check: 'setup',
		reason: 'the Refiner credential has no secret token',
		request: signed(body),
		setup: { credentials: { refinerWebhookApi: { secretToken: '' } } },
		message:
			'The Refiner credential has no secret token. Set the secret token of Refiner › Integrations › Webhooks in the credential, or set Verification to None.',
	},
	{
		name: 'body a string',
		status: 400,
		check: 'body',
		reason: 'request body is not a JSON object',
		request: signed('"hello"'),
		message: notJson('Refiner', 'request body is not a JSON object'),
	},
]);
