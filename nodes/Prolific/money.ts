/**
 * Prolific's API gives money in the study currency's minor units (pence, cents); the node takes and
 * gives it as a decimal in the study's currency (1.50 is £1.50), like its Amount field, so that a
 * value read from one Prolific node can be mapped into another. Minor units stay beside it under
 * names that say so (`rewardMinorUnits`).
 */
export const fromMinorUnits = (value: number | null | undefined): number | null =>
	typeof value === 'number' && Number.isFinite(value) ? value / 100 : null;
