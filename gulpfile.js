// Copies what tsc does not emit — the icons (credentials use their trigger's) and node codex files — next to the compiled
// files in dist/, where n8n looks for them.
const { src, dest } = require('gulp');

function copyAssets() {
	return src(['nodes/**/*.{png,svg}', 'nodes/**/*.node.json'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));
}

exports['build:icons'] = copyAssets;
