/**
 * Every reason the Prolific Trigger declines a delivery, over real HTTP (test/helpers/refusals.ts):
 * the answer to Prolific, the production log line and the test-run item, in the words README's
 * Troubleshooting table gives. The secret this trigger registered, a signature and a timestamp header.
 */
import { nowSeconds } from '../../scripts/lib/provider-signing';
import { mainSample } from '../helpers/fixtures';
import {
	describeRefusals,
	forged,
	notJson,
	signed,
	unsigned,
	signedAndRegisteredCases,
} from '../helpers/refusals';

const body = mainSample('prolific');

describeRefusals('prolific', [
	{
		name: 'wrong secret',
		status: 401,
		check: 'mismatch',
		reason: 'signature does not match',
		request: forged(body),
		message:
			"The signature does not match the workspace's signing secret this trigger registered with Prolific (a secret replaced in Prolific is picked up at most every 10 minutes). Check that the study belongs to the credential's workspace and publish the workflow again (activate it on n8n 1.x); otherwise the request was not sent by Prolific.",
	},
	{
		name: 'no signature',
		status: 401,
		check: 'missing',
		reason: 'missing x-prolific-request-signature header',
		request: unsigned(body),
		message:
			'Missing x-prolific-request-signature header: Prolific always sends it, so the request did not come from Prolific, or a proxy removed it.',
	},
	{
		name: 'no timestamp',
		status: 401,
		check: 'missing',
		reason: 'missing x-prolific-request-timestamp header',
		request: (profile) => {
			const { headers } = profile.authenticate(body);
			delete headers['x-prolific-request-timestamp'];
			return { body: body, auth: { headers, query: '' } };
		},
		message:
			'Missing x-prolific-request-timestamp header: Prolific always sends it, so the request did not come from Prolific, or a proxy removed it.',
	},
	{
		name: 'signature not base64',
		status: 401,
		check: 'malformed',
		reason: 'malformed x-prolific-request-signature header',
		request: unsigned(body, {
			'x-prolific-request-signature': 'not-a-digest',
			'x-prolific-request-timestamp': nowSeconds(),
		}),
		message:
			'Malformed x-prolific-request-signature header: Prolific does not send it in this form, so the request did not come from Prolific, or a proxy changed it.',
	},
	...signedAndRegisteredCases(body, 612, 900),
	{
		name: 'body not an object',
		status: 400,
		check: 'body',
		reason: 'request body is not a JSON object',
		request: signed('[1,2]'),
		message: notJson('Prolific', 'request body is not a JSON object'),
	},
]);
