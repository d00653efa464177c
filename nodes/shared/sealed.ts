import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'crypto';
import type { IHookFunctions, IWebhookFunctions } from 'n8n-workflow';

/**
 * Signing secrets in static data, sealed. n8n hands a workflow's static data to whoever may read
 * the workflow (its public API, exports), while it keeps credentials encrypted at rest and shows
 * them to nobody. So a secret the trigger must keep (Cint's webhook secret, Prolific's workspace
 * secret) is stored encrypted (AES-256-GCM) with a key derived from a secret field of the node's
 * credential: the static data alone cannot forge a delivery. Rotating that field needs a publish.
 */
export interface SealKey {
	/** The credential type the key comes from, e.g. `cintApi`. */
	credential: string;
	/** Its secret field, e.g. `clientSecret`. */
	field: string;
}

const PREFIX = 'sealed:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export const isSealed = (value: string) => value.startsWith(PREFIX);

function keyFrom(keyText: string): Buffer {
	return Buffer.from(
		hkdfSync('sha256', keyText, 'n8n-nodes-survey-triggers', 'static data v1', 32),
	);
}

/** `sealed:v1:<base64url of iv, ciphertext and tag>`, for the static data. */
export function seal(plaintext: string, keyText: string): string {
	const iv = randomBytes(IV_BYTES);
	const cipher = createCipheriv('aes-256-gcm', keyFrom(keyText), iv);
	const sealed = Buffer.concat([
		iv,
		cipher.update(plaintext, 'utf8'),
		cipher.final(),
		cipher.getAuthTag(),
	]);
	return `${PREFIX}${sealed.toString('base64url')}`;
}

/** The plaintext, or undefined when the value was sealed with another key or is damaged. */
export function unseal(value: string, keyText: string): string | undefined {
	if (!isSealed(value)) return undefined;
	const bytes = Buffer.from(value.slice(PREFIX.length), 'base64url');
	if (bytes.length < IV_BYTES + TAG_BYTES) return undefined;
	try {
		const decipher = createDecipheriv('aes-256-gcm', keyFrom(keyText), bytes.subarray(0, IV_BYTES));
		decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
		return Buffer.concat([
			decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)),
			decipher.final(),
		]).toString('utf8');
	} catch {
		return undefined;
	}
}

/**
 * Plaintexts this process opened: after a registration's first delivery its secret is at hand
 * synchronously (the hot path). Kept per sealed value, workflow and the node's credential, so a
 * sealed value copied into another workflow's static data is opened there only with that
 * workflow's own credential, never served from what another workflow opened. Bounded; the oldest
 * go first.
 *
 * A changed credential must mean the same with or without a restart: after a restart the sealed
 * value no longer opens with the changed field, and deliveries are refused with "publish again".
 * So an opened plaintext is used for at most RECHECK_MS; then the next delivery opens it again with
 * the credential as it is now (one credential read per registration and interval, never one per
 * delivery), and a changed credential gets that same refusal within the interval.
 */
const MAX_OPENED = 1_000;
export const RECHECK_MS = 5 * 60_000;
const opened = new Map<string, { plaintext: string; openedAtMs: number }>();

type SealContext = IHookFunctions | IWebhookFunctions;

/** Where an opened plaintext may be used again: the workflow, the node's credential of the key's type, the sealed value. */
const openedKey = (ctx: SealContext, sealed: string, key: SealKey): string =>
	`${ctx.getWorkflow().id ?? ''}\n${ctx.getNode().credentials?.[key.credential]?.id ?? ''}\n${sealed}`;

/** The plaintext this workflow's trigger opened with its credential within RECHECK_MS, if any (synchronous). */
export function openedBefore(ctx: SealContext, sealed: string, key: SealKey): string | undefined {
	const entry = opened.get(openedKey(ctx, sealed, key));
	return entry && Date.now() - entry.openedAtMs < RECHECK_MS ? entry.plaintext : undefined;
}

/** Forgets every opened plaintext, as a process restart does (for tests). */
export const forgetOpened = (): void => opened.clear();

function remember(ctx: SealContext, sealed: string, key: SealKey, plaintext: string): void {
	const where = openedKey(ctx, sealed, key);
	opened.delete(where);
	if (opened.size >= MAX_OPENED) opened.delete(opened.keys().next().value as string);
	opened.set(where, { plaintext, openedAtMs: Date.now() });
}

function forget(ctx: SealContext, sealed: string, key: SealKey): void {
	opened.delete(openedKey(ctx, sealed, key));
}

/** The key text the credential gives, or undefined when the field is empty. */
async function keyTextOf(
	ctx: IHookFunctions | IWebhookFunctions,
	key: SealKey,
): Promise<string | undefined> {
	const credentials = await ctx.getCredentials<Record<string, unknown>>(key.credential);
	const value = credentials[key.field];
	return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Opens a sealed value with the node's credential (remembered for later deliveries); undefined when it cannot. */
export async function openSealed(
	ctx: IHookFunctions | IWebhookFunctions,
	sealed: string,
	key: SealKey,
): Promise<string | undefined> {
	const known = openedBefore(ctx, sealed, key);
	if (known !== undefined) return known;
	const keyText = await keyTextOf(ctx, key);
	const plaintext = keyText === undefined ? undefined : unseal(sealed, keyText);
	if (plaintext !== undefined) remember(ctx, sealed, key, plaintext);
	else forget(ctx, sealed, key);
	return plaintext;
}

/** Seals a value with the node's credential; refuses to store it in the clear when the field is empty. */
export async function sealWith(
	ctx: IHookFunctions,
	plaintext: string,
	key: SealKey,
): Promise<string> {
	const keyText = await keyTextOf(ctx, key);
	if (keyText === undefined)
		throw new Error(`the credential has no ${key.field} to protect the stored secret with`);
	const sealed = seal(plaintext, keyText);
	remember(ctx, sealed, key, plaintext);
	return sealed;
}
