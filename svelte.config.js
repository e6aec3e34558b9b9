import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	// Lessons are not compiled into the build: the server renders them from the database at runtime
	// (src/lib/server/content/index.ts, one sanitising pipeline for files and studio edits alike).
	preprocess: [vitePreprocess()],
	kit: {
		// Separate output folders let parallel builds (tests, benchmarks) run side by side.
		outDir: process.env.SVELTEKIT_OUT_DIR ?? '.svelte-kit',
		adapter: adapter({ out: process.env.BUILD_DIR ?? 'build', precompress: true }),
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:'],
				'font-src': ['self'],
				'connect-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['none'],
				'frame-ancestors': ['none'],
				'form-action': ['self']
			}
		},
		csrf: { trustedOrigins: [] }
	},
	compilerOptions: {
		runes: ({ filename }) => (filename.split(/[/\\]/).includes('node_modules') ? undefined : true)
	}
};

export default config;
