import type { INodeProperties } from 'n8n-workflow';

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
	typeOptions: { minValue: 30, maxValue: 3600 },
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
			...extra,
		],
	};
}

export const TOLERANCE_SECONDS = { min: 30, max: 3600, default: 300 };

/**
 * The tolerance chosen in Options, clamped at delivery time to the range the UI allows (an
 * expression can yield anything), or the default of 300 seconds.
 */
export function timestampTolerance(options: { timestampTolerance?: unknown }): number {
	const value = Number(options.timestampTolerance);
	if (options.timestampTolerance === undefined || options.timestampTolerance === '' || Number.isNaN(value)) {
		return TOLERANCE_SECONDS.default;
	}
	return Math.min(TOLERANCE_SECONDS.max, Math.max(TOLERANCE_SECONDS.min, value));
}
