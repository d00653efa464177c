/**
 * The unit suite runs twice: with the zod 3.25 that n8n 1.x and 2.x ship, and with zod 4 (the
 * `zod4` devDependency standing in for the package's `zod`), because a trigger uses whichever zod
 * its n8n host resolves.
 */
const unit = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: {
		// Type checking is `npm run typecheck`; tests are transpiled only, which keeps them fast.
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
	},
};

/** @type {import('jest').Config} */
module.exports = {
	testTimeout: 30000,
	projects: [
		{ ...unit, displayName: 'zod 3' },
		{ ...unit, displayName: 'zod 4', resolver: '<rootDir>/test/helpers/zod4-resolver.js' },
	],
};
