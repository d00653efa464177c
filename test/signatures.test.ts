/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets -- Node-side code (tests, emulators, scripts), never loaded by n8n */
/**
 * Each trigger's signature scheme as a pure function of the delivery and the secret, without n8n:
 * the providers' documented vectors and signatures computed from their documented algorithms
 * (scripts/lib/provider-signing), refused when tampered, stale, malformed or signed with another
 * secret — one verdict type for all five.
 */
import type { IDataObject } from 'n8n-workflow';

import { verifyCint } from '../nodes/Cint/receiver';
import { verifyPoltio } from '../nodes/Poltio/receiver';
import { verifyProlific } from '../nodes/Prolific/receiver';
import { matchRefinerToken } from '../nodes/Refiner/receiver';
import { verifyScreeb } from '../nodes/Screeb/receiver';
import type { Delivery, HeaderMap, Verification } from '../nodes/shared/types';
import {
	cintSignatureHeader,
	prolificSignature,
	screebSignature,
} from '../scripts/lib/provider-signing';

const AT = 1732526080;

function delivery(
	body: string,
	headers: HeaderMap,
	extra: { query?: IDataObject; params?: IDataObject; at?: number } = {},
): Delivery {
	return {
		rawBody: Buffer.from(body, 'utf8'),
		headers,
		query: extra.query ?? {},
		params: extra.params ?? {},
		receivedAt: new Date((extra.at ?? AT) * 1000),
		options: {},
	};
}

const refused = (verdict: Verification) =>
	verdict.ok ? 'accepted' : `${verdict.check}: ${verdict.reason}`;

describe('Prolific: base64(HMAC-SHA256(secret, timestamp + body))', () => {
	const body =
		'{"resource_id": "64f0c0ffee", "event_type": "submission.status.change", "participant_id": "5f00beef", "status": "APPROVED"}';
	const signed = (secret: string, timestamp = '1700000000') =>
		delivery(
			body,
			{
				'x-prolific-request-signature': prolificSignature(secret, timestamp, body),
				'x-prolific-request-timestamp': timestamp,
			},
			{ at: 1700000000 },
		);

	it('accepts the documented vector and a signature computed from the documented algorithm', () => {
		const documented = delivery(
			body,
			{
				'x-prolific-request-signature': 'ICLjOVvrs45Bd3SpNVoPQPiqe97YqxZTkMGvIpRix6w=',
				'x-prolific-request-timestamp': '1700000000',
			},
			{ at: 1700000000 },
		);
		expect(verifyProlific(documented, 'test_secret')).toMatchObject({
			ok: true,
			replay: { timestamp: 1700000000 },
		});
		expect(verifyProlific(signed('k3y-0123456789abcdef'), 'k3y-0123456789abcdef').ok).toBe(true);
	});

	it('refuses another secret, a stale timestamp and a missing signature', () => {
		expect(refused(verifyProlific(signed('another'), 'test_secret'))).toBe(
			'mismatch: signature does not match',
		);
		expect(refused(verifyProlific(signed('test_secret', '1699999000'), 'test_secret'))).toBe(
			'stale: timestamp is too old',
		);
		expect(refused(verifyProlific(delivery(body, {}), 'test_secret'))).toBe(
			'missing: missing x-prolific-request-signature header',
		);
	});
});

describe('Cint: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>', () => {
	const secret = 'FP7UPZpATKBcYJj4va95PYud+a3gCidRERiLO+9MoFE=';

	it('accepts the spec’s worked vector and a header computed from the documented algorithm', () => {
		const vector =
			't=1732526080,v1=6532d4777122acc32cd388763fc0c0ba8732698d09cf99eea086e5a86f8d3ebe';
		expect(
			verifyCint(delivery('{"foo":"bar"}', { 'cint-signature': vector }), secret),
		).toMatchObject({ ok: true, replay: { timestamp: AT } });
		const body = '{"id":"e1","type":"com.cint.session.updated"}';
		expect(
			verifyCint(
				delivery(body, { 'cint-signature': cintSignatureHeader(secret, String(AT), body) }),
				secret,
			).ok,
		).toBe(true);
	});

	it('refuses a tampered body, a future timestamp and a header without v1', () => {
		const header = cintSignatureHeader(secret, String(AT), '{"foo":"bar"}');
		expect(
			refused(verifyCint(delivery('{"foo":"baz"}', { 'cint-signature': header }), secret)),
		).toBe('mismatch: signature does not match');
		expect(
			refused(
				verifyCint(
					delivery('{"foo":"bar"}', { 'cint-signature': header }, { at: AT - 600 }),
					secret,
				),
			),
		).toBe('future: timestamp is in the future');
		expect(refused(verifyCint(delivery('{}', { 'cint-signature': `t=${AT}` }), secret))).toBe(
			'malformed: malformed cint-signature header',
		);
	});
});

describe('Screeb: base64(HMAC-SHA256(secret, body))', () => {
	const secret = 'screeb-workspace-secret-0123456789';
	const body = '{"event_type":"response.ended"}';

	it('accepts a signature computed from the documented algorithm, and no other', () => {
		expect(
			verifyScreeb(
				delivery(body, { 'x-screeb-hmac-signature-body': screebSignature(secret, body) }),
				secret,
			),
		).toMatchObject({ ok: true, secrets: [secret] });
		expect(
			refused(
				verifyScreeb(
					delivery(body, { 'x-screeb-hmac-signature-body': screebSignature('other', body) }),
					secret,
				),
			),
		).toBe('mismatch: signature does not match');
		expect(
			refused(verifyScreeb(delivery(body, { 'x-screeb-hmac-signature-body': 'abc' }), secret)),
		).toMatch(/^malformed: /);
	});
});

describe('Refiner: the secret token in a header, ?token= or an HMAC', () => {
	const token = 'refiner-token-0123456789abcdef';

	it('accepts the token as a Bearer header and in the query, and nothing else', () => {
		expect(
			matchRefinerToken(token, delivery('{}', { authorization: `Bearer ${token}` })),
		).toMatchObject({ ok: true, details: { method: 'bearer token' } });
		expect(matchRefinerToken(token, delivery('{}', {}, { query: { token } }))).toMatchObject({
			ok: true,
			details: { method: 'query token' },
		});
		expect(
			refused(matchRefinerToken(token, delivery('{}', { authorization: 'Bearer guessed' }))),
		).toBe('mismatch: secret token missing or wrong');
	});
});

describe('Poltio: the URL token, in the query or as the path segment', () => {
	const token = 'poltio-url-token-0123456789abcdef';

	it('accepts the token in either place, and no other', () => {
		expect(verifyPoltio(delivery('{}', {}, { query: { token } }), token).ok).toBe(true);
		expect(verifyPoltio(delivery('{}', {}, { params: { token } }), token).ok).toBe(true);
		expect(
			refused(verifyPoltio(delivery('{}', {}, { query: { token: `${token}x` } }), token)),
		).toBe('mismatch: token does not match');
		expect(refused(verifyPoltio(delivery('{}', {}), token))).toBe('missing: missing token');
	});
});
