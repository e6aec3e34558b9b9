// `npm run db:seed`: migrates, syncs the course library and seeds the demo organisation if the
// database has no users yet (the same steps the server takes at start).
import { connect, LOCKS, migrate } from '../src/lib/server/db';
import { readContentFiles } from '../src/lib/server/content/files';
import { loadLibrary } from '../src/lib/server/content/library';
import { assertPublishable, syncContent } from '../src/lib/server/content/sync';
import { seedDemoIfEmpty } from '../seeds/demo';

const library = loadLibrary(readContentFiles());
assertPublishable(library);
const conn = await connect({ url: process.env.DATABASE_URL || undefined });
try {
	await migrate(conn);
	await conn.exclusive(LOCKS.content, (db) => syncContent(db, library));
	const result = await conn.exclusive(LOCKS.seed, (db) => seedDemoIfEmpty(db, library));
	console.log(result.seeded ? 'Demo organisation seeded.' : 'Database already has users: nothing seeded.');
} finally {
	await conn.close();
}
