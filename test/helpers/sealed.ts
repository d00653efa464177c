import type { IDataObject } from 'n8n-workflow';

import { unseal, type SealKey } from '../../nodes/shared/sealed';
import type { Harness } from './n8n-context';

/**
 * The signing secret a trigger stored, opened with the harness's credential: what the trigger
 * verifies with. Fails the test when it was stored in the clear.
 */
export function storedSecret(harness: Harness, key: SealKey): string | undefined {
	const value = harness.staticData.secret;
	if (value === undefined) return undefined;
	expect(String(value)).toMatch(/^sealed:v1:/);
	return unseal(String(value), String(harness.credentials[key.credential][key.field]));
}

/** The static data with its sealed secret opened. */
export const openedState = (harness: Harness, key: SealKey): IDataObject => ({
	...harness.staticData,
	secret: storedSecret(harness, key),
});
