import { connect, LOCKS, migrate, useConnection, type Connection } from './db';
import { library } from './content';
import { assertPublishable, syncContent } from './content/sync';
import { seedDemoIfEmpty, DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../../seeds/demo';
import { securityLog } from './security/log';

let started: Promise<Connection> | undefined;

/** Connects, migrates, syncs the course library and seeds the demo organisation on an empty database. */
export function startServer(): Promise<Connection> {
	started ??= (async () => {
		const lib = library();
		assertPublishable(lib);
		const conn = await connect({ url: process.env.DATABASE_URL || undefined });
		useConnection(conn);
		await migrate(conn);
		const synced = await conn.exclusive(LOCKS.content, (db) => syncContent(db, lib));
		const demo = process.env.SEED_DEMO === "false" ? { seeded: false, present: false } : await conn.exclusive(LOCKS.seed, (db) => seedDemoIfEmpty(db, lib));
		process.once('sveltekit:shutdown' as never, () => void conn.close());
		securityLog('server.start', { db: conn.kind, contentVersion: lib.version, contentSynced: synced, demoSeeded: demo.seeded });
		if (demo.present) {
			const port = process.env.PORT ?? '3000';
			const origin = process.env.ORIGIN ?? `http://localhost:${port}`;
			console.log(`\nGovLearn is running at ${origin}\nDemo accounts (password "${DEMO_PASSWORD}"): ${DEMO_ACCOUNTS.map((a) => `${a.username} (${a.roles.join('+')})`).join(', ')}\n`);
		}
		return conn;
	})();
	return started;
}
