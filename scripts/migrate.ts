// `npm run db:migrate`: applies drizzle/ migrations to DATABASE_URL, or to the PGlite in DATA_DIR.
import { connect, migrate } from '../src/lib/server/db';

const conn = await connect({ url: process.env.DATABASE_URL || undefined });
try {
	await migrate(conn);
	console.log(`Migrated (${conn.kind}).`);
} finally {
	await conn.close();
}
