import { PGlite } from '@electric-sql/pglite';
import { readFileSync } from 'node:fs';
import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import { afterAll, inject } from 'vitest';
import { connect, rows, useConnection, type Connection } from '../../src/lib/server/db';
import { withDatabase } from './global-setup';

let current: Connection | undefined;

/**
 * A fresh, migrated database for this test file (PGlite, or Postgres when the project says so),
 * installed as the app's connection. Closed (and dropped) after the file.
 */
export async function testDatabase(): Promise<Connection> {
	if (current) return current;
	if (process.env.TEST_DB === 'postgres') {
		const url = process.env.TEST_DATABASE_URL!;
		const template = inject('postgresTemplate');
		const name = `${template}_${Math.random().toString(36).slice(2, 10)}`;
		const admin = postgres(url, { max: 1, onnotice: () => {} });
		await admin.unsafe(`CREATE DATABASE ${name} TEMPLATE ${template}`);
		const conn = await connect({ url: withDatabase(url, name), poolSize: 4 });
		afterAll(async () => {
			await conn.close();
			await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
			await admin.end();
		});
		current = conn;
	} else {
		const image = readFileSync(inject('pgliteImage'));
		const pg = new PGlite({ loadDataDir: new Blob([image]) });
		const conn = await connect({ pglite: pg });
		afterAll(() => conn.close());
		current = conn;
	}
	useConnection(current);
	return current;
}

/** Empties every table (between tests), keeping the migrations. */
export async function resetDatabase(): Promise<void> {
	const conn = current ?? (await testDatabase());
	const [row] = await rows<{ tables: string | null }>(
		conn.db,
		sql`select string_agg(format('%I', tablename), ', ') as tables from pg_tables where schemaname = 'public'`
	);
	if (row?.tables) await conn.db.execute(sql.raw(`truncate ${row.tables} restart identity cascade`));
}
