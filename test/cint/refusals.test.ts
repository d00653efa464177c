/**
 * Every reason the Cint Trigger declines a delivery, over real HTTP (test/helpers/refusals.ts):
 * the answer to Cint, the production log line and the test-run item, in the words README's
 * Troubleshooting table gives. The secret this trigger registered, t and v1 in one header.
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

const body = mainSample('cint');

describeRefusals('cint', [
	{
		name: 'wrong secret',
		status: 401,
		check: 'mismatch',
		reason: 'signature does not match',
		request: forged(body),
		message:
			'The signature does not match the secret this trigger registered with Cint. If the webhook was changed in Cint or by another tool, publish the workflow again (activate it on n8n 1.x); otherwise the request was not sent by Cint.',
	},
	{
		name: 'no signature',
		status: 401,
		check: 'missing',
		reason: 'missing cint-signature header',
		request: unsigned(body),
		message:
			'Missing cint-signature header: Cint always sends it, so the request did not come from Cint, or a proxy removed it.',
	},
	{
		name: 'signature without v1',
		status: 401,
		check: 'malformed',
		reason: 'malformed cint-signature header',
		request: unsigned(body, { 'cint-signature': `t=${nowSeconds()}` }),
		message:
			'Malformed cint-signature header: Cint does not send it in this form, so the request did not come from Cint, or a proxy changed it.',
	},
	{
		name: 'timestamp not digits',
		status: 401,
		check: 'malformed',
		reason: 'malformed timestamp',
		request: unsigned(body, { 'cint-signature': `t=yesterday,v1=${'ab'.repeat(32)}` }),
		message:
			'Malformed timestamp: Cint does not send it in this form, so the request did not come from Cint, or a proxy changed it.',
	},
	...signedAndRegisteredCases(body, 301, 400),
	{
		name: 'empty body',
		status: 400,
		check: 'body',
		reason: 'request body is empty',
		request: signed(''),
		message: notJson('Cint', 'request body is empty'),
	},
]);
