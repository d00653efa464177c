import type { INodeProperties } from 'n8n-workflow';

import { TOLERANCE_SECONDS } from './verify';

export const simplifyProperty: INodeProperties = {
	displayName: 'Simplify',
	name: 'simple',
	type: 'boolean',
	default: true,
	description: 'Whether to return a simplified version of the response instead of the raw data',
};

export const timestampToleranceOption: INodeProperties = {
	displayName: 'Timestamp Tolerance (Seconds)',
	name: 'timestampTolerance',
	type: 'number',
	typeOptions: { minValue: TOLERANCE_SECONDS.min, maxValue: TOLERANCE_SECONDS.max },
	// A literal, as n8n's lint wants; the same as TOLERANCE_SECONDS.default.
	default: 300,
	description:
		'How far the signed timestamp may differ from this server’s clock before a delivery is refused as a possible replay',
};

/** The Options collection every trigger has, plus provider-specific extras. */
export function optionsProperty(extra: INodeProperties[] = []): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Include Headers',
				name: 'includeHeaders',
				type: 'boolean',
				default: false,
				description:
					'Whether to add the request headers to the item (signature and credential headers are always left out)',
			},
			{
				displayName: 'Run Every Retry',
				name: 'runEveryRetry',
				type: 'boolean',
				default: false,
				description:
					'Whether every delivery runs the workflow, including the provider’s resends of an event that already ran. Off: a resend (same event ID and payload within the provider’s retry period) is answered 200 and starts no run.',
			},
			...extra,
		],
	};
}
