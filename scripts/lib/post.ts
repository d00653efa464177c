/* eslint-disable @n8n/community-nodes/no-restricted-imports -- Node-side code (tests, emulators, scripts), never loaded by n8n */
/** A raw HTTP POST for emulators, `npm run send` and tests: the bytes and headers exactly as given. */
import http from 'http';

export interface PostResult {
	status: number;
	body: unknown;
}

/** Posts raw bytes with exactly the given headers (repeated headers as arrays). */
export function post(
	url: string,
	rawBody: Buffer | string,
	headers: Record<string, string | string[]>,
): Promise<PostResult> {
	return new Promise((resolve, reject) => {
		// One connection per delivery, as providers send them: a kept-alive socket that the server
		// closes after its idle timeout can be reused at that instant and reset (ECONNRESET).
		const request = http.request(url, { method: 'POST', headers, agent: false }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (chunk: Buffer) => chunks.push(chunk));
			res.on('end', () => {
				const text = Buffer.concat(chunks).toString('utf8');
				let body: unknown = text;
				try {
					body = JSON.parse(text);
				} catch {
					// keep text
				}
				resolve({ status: res.statusCode ?? 0, body });
			});
		});
		request.on('error', reject);
		request.setTimeout(10_000, () => request.destroy(new Error('request timed out')));
		request.end(rawBody);
	});
}
