import type { INodeType } from 'n8n-workflow';

import { hookContext, type Harness } from './n8n-context';

/** Runs a trigger's webhook lifecycle methods the way n8n does on publish and unpublish. */
export function lifecycle(node: INodeType, harness: Harness) {
	const ctx = hookContext(harness);
	const methods = node.webhookMethods!.default!;
	return {
		checkExists: () => methods.checkExists.call(ctx),
		create: () => methods.create.call(ctx),
		delete: () => methods.delete.call(ctx),
		/** n8n's publish: create only when checkExists says false. */
		publish: async () => {
			if (!(await methods.checkExists.call(ctx))) await methods.create.call(ctx);
		},
	};
}
