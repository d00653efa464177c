/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- Node-side code (tests, emulators, scripts), never loaded by n8n */
import { createRequire } from 'module';

/**
 * Loads a CommonJS module chosen at run time: a built file of dist/, the node or credential a
 * registry entry names, or a package that must load only after the environment is set.
 */
export const loadModule = createRequire(__filename) as (id: string) => Record<string, unknown>;

/** The class a module exports first (a node or credential file exports its one class first). */
export function firstExport<T>(id: string): T {
	return Object.values(loadModule(id))[0] as T;
}
