/**
 * The one registry of providers for everything that exercises the triggers: unit, reliability,
 * end-to-end and editor tests, the benchmarks, `npm run dev` and `npm run send`. One file per
 * provider beside this one (types.ts says what an entry holds); suites, scripts and benchmarks
 * that loop over providers read only this list. Adding a provider adds its file and one line here.
 */
import type { Emulator } from '../emulators/emulator';
import { cint } from './cint';
import { poltio } from './poltio';
import { prolific } from './prolific';
import { refiner } from './refiner';
import { screeb } from './screeb';
import type { ProviderEntry } from './types';

export const PROVIDERS: ProviderEntry[] = [prolific, cint, poltio, screeb, refiner];

export function providerEntry(provider: string): ProviderEntry {
	const entry = PROVIDERS.find((candidate) => candidate.provider === provider);
	if (!entry)
		throw new Error(
			`unknown provider ${provider}; known: ${PROVIDERS.map((known) => known.provider).join(', ')}`,
		);
	return entry;
}

export type { EmulatedSetup, ProviderEntry, SignedDelivery } from './types';
export { REFINER_TOKEN } from './refiner';
export { SCREEB_SECRET } from './screeb';
export type { Emulator };
