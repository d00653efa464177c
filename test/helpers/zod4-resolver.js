/**
 * Jest resolver for the unit suite's zod 4 run: `zod` imported by the package and its tests is zod 4
 * (the `zod4` devDependency); n8n-core and other dependencies keep the zod they were built with.
 */
module.exports = (request, options) =>
	options.defaultResolver(
		request === 'zod' && !options.basedir.includes('node_modules') ? 'zod4' : request,
		options,
	);
