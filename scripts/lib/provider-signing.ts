/**
 * Provider signing schemes written straight from the providers' documentation, independent of the
 * package's verifiers, so tests check our verifiers against the documented algorithm.
 */
import { createHmac } from 'crypto';

/** Prolific: base64(HMAC-SHA256(secret, timestamp + body)), no separator. */
export function prolificSignature(
	secret: string,
	timestamp: string,
	body: string | Buffer,
): string {
	return createHmac('sha256', secret).update(timestamp).update(body).digest('base64');
}

export const nowSeconds = () => String(Math.floor(Date.now() / 1000));

/** Cint: `t=<unix>,v1=<hex HMAC-SHA256(secret as given, "<t>.<raw body>")>`. */
export function cintSignatureHeader(
	secret: string,
	timestamp: string,
	body: string | Buffer,
	extraSignatures: string[] = [],
): string {
	const v1 = createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
	return [`t=${timestamp}`, ...extraSignatures.map((s) => `v1=${s}`), `v1=${v1}`].join(',');
}

/** Screeb: base64(HMAC-SHA256(workspace secret, raw body)) in x-screeb-hmac-signature-body. */
export function screebSignature(secret: string, body: string | Buffer): string {
	return createHmac('sha256', secret).update(body).digest('base64');
}
