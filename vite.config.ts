import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { sveltekit } from '@sveltejs/kit/vite';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const withPostgres = Boolean(process.env.TEST_DATABASE_URL);

export default defineConfig({
	plugins: [
		paraglideVitePlugin({
			project: './project.inlang',
			outdir: './src/lib/paraglide',
			// The user's saved choice is written to this cookie at sign-in; then the browser's languages.
			strategy: ['cookie', 'preferredLanguage', 'baseLocale'],
			// The one definition of the language cookie's name; the server reads it back from the runtime (auth/cookies.ts).
			cookieName: 'govlearn_locale'
		}),
		sveltekit()
	],
	resolve: {
		alias: {
			// The app never imports seeds/: the start-up hook (src/lib/server/startup.ts) asks for a demo seeder
			// by this name and the build links in the demo organisation, so `node build` on an empty database
			// seeds it just as `npm start` does (unless SEED_DEMO=false).
			'virtual:demo-seed': fileURLToPath(new URL('./seeds/demo.ts', import.meta.url))
		}
	},
	test: {
		expect: { requireAssertions: true },
		hookTimeout: 60_000,
		testTimeout: 30_000,
		projects: [
			{
				extends: true,
				test: { name: 'unit', include: ['src/**/*.test.ts', 'tests/unit/**/*.test.ts'], environment: 'node' }
			},
			{
				extends: true,
				test: {
					name: 'pglite',
					include: ['tests/integration/**/*.test.ts'],
					environment: 'node',
					env: { TEST_DB: 'pglite' },
					globalSetup: ['tests/helpers/global-setup.ts']
				}
			},
			...(withPostgres
				? [
						{
							extends: true as const,
							test: {
								name: 'postgres',
								include: ['tests/integration/**/*.test.ts'],
								environment: 'node',
								env: { TEST_DB: 'postgres' },
								globalSetup: ['tests/helpers/global-setup.ts']
							}
						}
					]
				: [])
		]
	}
});
