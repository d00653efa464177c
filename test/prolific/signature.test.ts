/**
 * Prolific's signature scheme against vectors computed from the documented algorithm
 * (base64(HMAC-SHA256(secret, timestamp + body)), no separator), not from our own helper.
 */
import { createHmac } from 'crypto';

import {
	PYTHON_FORM_MAX_BYTES,
	prolificSignatureMatch,
	pythonJsonForm,
} from '../../nodes/Prolific/signature';

const prolificSignatureMatches = (...args: Parameters<typeof prolificSignatureMatch>) =>
	prolificSignatureMatch(...args) !== undefined;

const body = (text: string) => Buffer.from(text, 'utf8');

describe('Prolific signature', () => {
	it('accepts the documented example vector', () => {
		const documented =
			'{"resource_id": "64f0c0ffee", "event_type": "submission.status.change", "participant_id": "5f00beef", "status": "APPROVED"}';
		expect(
			prolificSignatureMatches(
				'test_secret',
				'1700000000',
				body(documented),
				'ICLjOVvrs45Bd3SpNVoPQPiqe97YqxZTkMGvIpRix6w=',
			),
		).toBe(true);
	});

	it('accepts a vector computed with the documented algorithm over compact bytes', () => {
		const raw =
			'{"resource_id":"6650","event_type":"study.status.change","metadata":{},"status":"ACTIVE"}';
		const expected = createHmac('sha256', 'k3y')
			.update('1732526080' + raw)
			.digest('base64');
		expect(prolificSignatureMatches('k3y', '1732526080', body(raw), expected)).toBe(true);
	});

	it('accepts a signature over the Python json.dumps form of a compact body (Prolific’s sample)', () => {
		const raw =
			'{"resource_id":"r1","event_type":"study.status.change","metadata":{"note":"café ☕","n":[1,2]},"status":"ACTIVE"}';
		// What Python's json.dumps(json.loads(raw)) produces, written out by hand.
		const python =
			'{"resource_id": "r1", "event_type": "study.status.change", "metadata": {"note": "caf\\u00e9 \\u2615", "n": [1, 2]}, "status": "ACTIVE"}';
		expect(pythonJsonForm(body(raw))?.toString('utf8')).toBe(python);
		const signature = createHmac('sha256', 's')
			.update('1700000001' + python)
			.digest('base64');
		expect(prolificSignatureMatches('s', '1700000001', body(raw), signature)).toBe(true);
	});

	it('refuses a tampered body, a wrong secret, a shifted timestamp and a hex encoding', () => {
		const raw = '{"resource_id":"x","event_type":"study.progress.change"}';
		const good = createHmac('sha256', 'secret')
			.update('1700000000' + raw)
			.digest('base64');
		expect(
			prolificSignatureMatches('secret', '1700000000', body(raw.replace('x', 'y')), good),
		).toBe(false);
		expect(prolificSignatureMatches('Secret', '1700000000', body(raw), good)).toBe(false);
		expect(prolificSignatureMatches('secret', '1700000001', body(raw), good)).toBe(false);
		const hex = createHmac('sha256', 'secret')
			.update('1700000000' + raw)
			.digest('hex');
		expect(prolificSignatureMatches('secret', '1700000000', body(raw), hex)).toBe(false);
		expect(prolificSignatureMatches('secret', '1700000000', body(raw), '')).toBe(false);
	});

	it('refuses, without throwing, a wrong signature on a deeply nested body', () => {
		const deep = `{"resource_id":"x","event_type":"study.progress.change","n":${'['.repeat(20000)}${']'.repeat(20000)}}`;
		expect(prolificSignatureMatches('secret', '1700000000', body(deep), 'Zm9yZ2Vk')).toBe(false);
	});

	it('returns the digest that matched: the raw-bytes one, or the Python-form one', () => {
		const raw = '{"resource_id":"r2","event_type":"study.progress.change"}';
		const python = '{"resource_id": "r2", "event_type": "study.progress.change"}';
		const rawDigest = createHmac('sha256', 's')
			.update('1700000002' + raw)
			.digest();
		const pythonDigest = createHmac('sha256', 's')
			.update('1700000002' + python)
			.digest();
		expect(
			prolificSignatureMatch('s', '1700000002', body(raw), rawDigest.toString('base64')),
		).toEqual({ digest: rawDigest });
		// The form that matched comes with it: the retry memory digests what was signed.
		expect(
			prolificSignatureMatch('s', '1700000002', body(raw), pythonDigest.toString('base64')),
		).toEqual({ digest: pythonDigest, signedBody: Buffer.from(python) });
	});

	it('tries the Python form only for bodies up to 16 KiB', () => {
		const note = (size: number) => 'x'.repeat(size);
		const compact = (size: number) =>
			`{"resource_id":"r3","event_type":"study.status.change","status":"ACTIVE","metadata":{"note":"${note(size)}"}}`;
		const python = (size: number) =>
			`{"resource_id": "r3", "event_type": "study.status.change", "status": "ACTIVE", "metadata": {"note": "${note(size)}"}}`;
		const signPython = (size: number) =>
			createHmac('sha256', 's')
				.update('1700000003' + python(size))
				.digest('base64');
		const small = PYTHON_FORM_MAX_BYTES - 200;
		expect(Buffer.byteLength(compact(small))).toBeLessThanOrEqual(PYTHON_FORM_MAX_BYTES);
		expect(
			prolificSignatureMatches('s', '1700000003', body(compact(small)), signPython(small)),
		).toBe(true);
		const large = PYTHON_FORM_MAX_BYTES;
		expect(Buffer.byteLength(compact(large))).toBeGreaterThan(PYTHON_FORM_MAX_BYTES);
		expect(
			prolificSignatureMatches('s', '1700000003', body(compact(large)), signPython(large)),
		).toBe(false);
	});

	// Raw bodies and what CPython 3.11's json.dumps(json.loads(raw)) wrote for them (both as JSON
	// string literals, printed by Python): the vectors come from Python itself, not from our code.
	it.each([
		[
			'compact, with non-ASCII text and an emoji',
			'{"resource_id":"r1","event_type":"study.status.change","metadata":{"note":"caf\u00e9 \u2615 \ud83d\ude00","n":[1,2,{"x":null}]},"status":"ACTIVE","ok":true}',
			'{"resource_id": "r1", "event_type": "study.status.change", "metadata": {"note": "caf\\u00e9 \\u2615 \\ud83d\\ude00", "n": [1, 2, {"x": null}]}, "status": "ACTIVE", "ok": true}',
		],
		[
			'pretty-printed, with tabs and CR LF',
			'{\n  "resource_id": "r2",\n\t"event_type" : "submission.status.change" ,\r\n  "list": [ 1 , 2 ]\n}',
			'{"resource_id": "r2", "event_type": "submission.status.change", "list": [1, 2]}',
		],
		[
			'escapes Python writes otherwise, and DEL',
			'{"a":"slash \\/ A=\\u0041 e=\\u00E9 nl=\\n ctl=\\u001f uni=\\u000a q=\\" bs=\\\\ del=\u007f","b":1.5,"c":-3}',
			'{"a": "slash / A=A e=\\u00e9 nl=\\n ctl=\\u001f uni=\\n q=\\" bs=\\\\ del=\\u007f", "b": 1.5, "c": -3}',
		],
	])('writes the Python form of a body %s in one pass', (_case, raw, python) => {
		expect(pythonJsonForm(body(raw))?.toString('utf8')).toBe(python);
		const signature = createHmac('sha256', 's')
			.update('1700000004' + python)
			.digest('base64');
		expect(prolificSignatureMatches('s', '1700000004', body(raw), signature)).toBe(true);
	});

	it('has no second form for a body already in the Python form, or for text that is not JSON', () => {
		expect(pythonJsonForm(body('{"a": 1, "b": [true, null]}'))).toBeUndefined();
		expect(pythonJsonForm(body('{"a":"unterminated'))).toBeUndefined();
		expect(pythonJsonForm(body('{"a":"bad \\x escape"}'))).toBeUndefined();
		expect(pythonJsonForm(Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]))).toBeUndefined();
	});
});
