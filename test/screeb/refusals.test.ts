/**
 * Every reason the Screeb Trigger declines a delivery, over real HTTP (test/helpers/refusals.ts):
 * the answer to Screeb, the production log line and the test-run item, in the words README's
 * Troubleshooting table gives. The secret in the credential, one body signature header.
 */
import { mainSample } from '../helpers/fixtures';
import { describeRefusals, forged, notJson, signed, unsigned } from '../helpers/refusals';

const body = mainSample('screeb');

describeRefusals('screeb', [
	{
		name: 'wrong secret',
		status: 401,
		check: 'mismatch',
		reason: 'signature does not match',
		request: forged(body),
		message:
			"The signature does not match the secret in credential 'My screebWebhookApi'. Copy the webhook secret again from Screeb › Integrations › Webhook.",
	},
	{
		name: 'no signature',
		status: 401,
		check: 'missing',
		reason: 'missing x-screeb-hmac-signature-body header',
		request: unsigned(body),
		message:
			'Missing x-screeb-hmac-signature-body header: Screeb always sends it, so the request did not come from Screeb, or a proxy removed it.',
	},
	{
		name: 'signature of another length',
		status: 401,
		check: 'malformed',
		reason:
			'malformed x-screeb-hmac-signature-body header: 16 bytes, expected 32 (HMAC-SHA256) or 64 (HMAC-SHA512)',
		request: unsigned(body, {
			'x-screeb-hmac-signature-body': Buffer.alloc(16, 1).toString('base64'),
		}),
		message:
			'Malformed x-screeb-hmac-signature-body header: 16 bytes, expected 32 (HMAC-SHA256) or 64 (HMAC-SHA512): Screeb does not send it in this form, so the request did not come from Screeb, or a proxy changed it.',
	},
	{
		name: 'another digest',
		status: 401,
		check: 'malformed',
		reason: 'unsupported x-screeb-hmac-digest',
		request: (profile) => {
			const auth = profile.authenticate(body);
			return {
				body: body,
				auth: { ...auth, headers: { ...auth.headers, 'x-screeb-hmac-digest': 'HMAC-MD5-HEX' } },
			};
		},
		message:
			'Unsupported x-screeb-hmac-digest: Screeb does not send it in this form, so the request did not come from Screeb, or a proxy changed it.',
	},
	{
		name: 'credential without secret',
		status: 401,
		check: 'setup',
		reason: 'the Screeb credential has no secret',
		request: signed(body),
		setup: { credentials: { screebWebhookApi: { secret: '' } } },
		message:
			'The Screeb credential has no secret. Paste the webhook secret from Screeb › Integrations › Webhook into the credential.',
	},
	{
		name: 'body not JSON',
		status: 400,
		check: 'body',
		reason: 'request body is not valid JSON',
		message: notJson('Screeb', 'request body is not valid JSON'),
		// Sent as text: n8n itself answers 422 to a JSON content type it cannot parse.
		request: (profile) => {
			const body = '{"event_type":';
			const auth = profile.authenticate(body);
			return {
				body,
				auth: { ...auth, headers: { ...auth.headers, 'content-type': 'text/plain' } },
			};
		},
	},
]);
