/** The packed package as users get it: needs dist/, so `npm run test:package` builds first. */
/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/package'],
	testMatch: ['**/*.pkg.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
	testTimeout: 60000,
};
