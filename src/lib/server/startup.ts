import { connect, LOCKS, migrate, useConnection, type Connection } from './db';
import { readContentFiles } from './content/files';
import { loadLibrary } from './content/library';
import { refreshLibrary } from './content/runtime';
import { assertPublishable, syncContent } from './content/sync';
import { importShippedLibrary } from './authoring/shipped';
// The demo seed is not app code: the build links seeds/demo.ts in under this name (vite.config.ts).
import { seedDemoIfEmpty } from 'virtual:demo-seed';
import { demoAccounts } from './auth/demo';
import { securityLog } from './security/log';
import { oidcSettings } from './auth/oidc-config';
import { startBackground } from './notifications';

let started: Promise<Connection> | undefined;

/** Connects, migrates, syncs the course library and seeds the demo organisation on an empty database. */
export function startServer(): Promise<Connection> {
	started ??= (async () => {
		// A bad OIDC_* setting stops the server here, with its message, not at someone's first sign-in.
		const sso = oidcSettings();
		// content/ is read from disk at start (never compiled into the build) and imported as revisions.
		const files = readContentFiles(process.cwd(), process.env.CONTENT_DIR ?? 'content');
		assertPublishable(loadLibrary(files));
		const conn = await connect({ url: process.env.DATABASE_URL || undefined });
		useConnection(conn);
		await migrate(conn);
		const imported = await conn.exclusive(LOCKS.content, (db) => importShippedLibrary(db, files));
		// Learners are served from the published revisions in the database.
		const lib = await refreshLibrary(conn.db, true);
		const synced = await conn.exclusive(LOCKS.content, (db) => syncContent(db, lib));
		const demo =
			process.env.SEED_DEMO === 'false'
				? { seeded: false, present: false }
				: await conn.exclusive(LOCKS.seed, (db) => seedDemoIfEmpty(db, lib));
		// Mail worker and recurring jobs; at shutdown they hand back unsent mail before the database closes.
		const background = startBackground(conn);
		process.once('sveltekit:shutdown' as never, () => void background.stop().finally(() => conn.close()));
		securityLog('server.start', {
			db: conn.kind,
			contentVersion: lib.version,
			contentSynced: synced,
			contentImported: imported,
			demoSeeded: demo.seeded,
			sso: sso ? sso.issuer.href : null
		});
		const shown = demo.present ? await demoAccounts(conn.db) : null;
		if (shown) {
			const port = process.env.PORT ?? '3000';
			const origin = process.env.ORIGIN ?? `http://localhost:${port}`;
			console.log(
				`\nGovLearn is running at ${origin}\nDemo accounts (password "${shown.password}"): ${shown.accounts.map((a) => `${a.username} (${a.roles.join('+')})`).join(', ')}\n`
			);
		}
		return conn;
	})();
	return started;
}
