import { config } from '@n8n/node-cli/eslint';

export default [
	...config,
	{
		files: ['**/*.ts'],
		rules: {
			'@typescript-eslint/no-unused-vars': [
				'error',
				{ argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
			],
		},
	},
	{
		// Tests, emulators and developer scripts run under Node, never inside n8n: the n8n Cloud
		// restrictions on globals and imports apply to nodes/ and credentials/ only.
		files: ['test/**/*.ts', 'scripts/**/*.ts'],
		rules: {
			'@n8n/community-nodes/no-restricted-globals': 'off',
			'@n8n/community-nodes/no-restricted-imports': 'off',
			'@n8n/community-nodes/no-hardcoded-secrets': 'off',
			'@n8n/community-nodes/no-dead-files': 'off',
			// Tests and scripts start processes (npm pack, n8n) and load built files by path.
			'@n8n/community-nodes/no-dangerous-functions': 'off',
			'@typescript-eslint/no-require-imports': 'off',
			// Emulators handle arbitrary JSON from the code under test.
			'@typescript-eslint/no-explicit-any': 'off',
		},
	},
];
