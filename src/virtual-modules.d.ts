// Modules the build links in from outside src/ (see vite.config.ts).

declare module 'virtual:demo-seed' {
	import type { Database } from '$lib/server/db';
	import type { Library } from '$lib/server/content/library';
	/** Seeds the demo organisation when the database has no users; says whether the demo is there. */
	export function seedDemoIfEmpty(db: Database, library: Library): Promise<{ seeded: boolean; present: boolean }>;
}
