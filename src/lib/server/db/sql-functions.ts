// The SQL functions, views and triggers of drizzle/functions/*.sql, each defined once in a file a person
// reads. drizzle-kit knows only tables, so these files are not migrations: after the drizzle migrations,
// every file runs again (all of them, in file-name order, in one transaction) when any file's text
// changed or a migration ran since the last run (a migration may have dropped a view to alter a table).
// Each run is recorded in drizzle.govlearn_sql_file, next to drizzle's own record of migrations.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { sql, type SQL } from 'drizzle-orm';

/** What this needs of a drizzle database, either driver (index.ts imports this module, not the other way). */
interface Executor {
	execute(query: SQL): Promise<unknown>;
}
type Database = Executor & { transaction<T>(fn: (tx: Executor) => Promise<T>): Promise<T> };

export interface SqlFile {
	name: string;
	hash: string;
	statements: string[];
}

/** The files of `dir` in the order they run, split at `--> statement-breakpoint` as migrations are. */
export function readSqlFiles(dir: string): SqlFile[] {
	return readdirSync(dir)
		.filter((name) => name.endsWith('.sql'))
		.sort()
		.map((name) => {
			const text = readFileSync(path.join(dir, name), 'utf8');
			const statements = text
				.split('--> statement-breakpoint')
				.map((s) => s.trim())
				.filter((s) => s.split('\n').some((line) => line.trim() && !line.trim().startsWith('--')));
			return { name, hash: createHash('sha256').update(text).digest('hex'), statements };
		});
}

async function all<T>(db: Executor, query: SQL): Promise<T[]> {
	const result = (await db.execute(query)) as unknown;
	return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/** Runs the files of `dir` when they (or the migrations) changed since their last run. Returns whether it ran them. */
export async function applySqlFiles(db: Database, dir: string): Promise<boolean> {
	const files = readSqlFiles(dir);
	await db.execute(sql`create schema if not exists drizzle`);
	await db.execute(
		sql`create table if not exists drizzle.govlearn_sql_file (name text primary key, hash text not null, after_migration bigint, applied_at timestamptz not null default now())`
	);
	const [latest] = await all<{ at: string | null }>(db, sql`select max(created_at)::text as at from drizzle.__drizzle_migrations`);
	const afterMigration = latest?.at ?? null;
	const recorded = await all<{ name: string; hash: string; after_migration: string | null }>(
		db,
		sql`select name, hash, after_migration::text as after_migration from drizzle.govlearn_sql_file`
	);
	const known = new Map(recorded.map((r) => [r.name, r]));
	const stale =
		recorded.length !== files.length ||
		files.some((f) => known.get(f.name)?.hash !== f.hash || known.get(f.name)?.after_migration !== afterMigration);
	if (!stale) return false;
	await db.transaction(async (tx) => {
		for (const file of files) for (const statement of file.statements) await tx.execute(sql.raw(statement));
		await tx.execute(sql`delete from drizzle.govlearn_sql_file`);
		for (const file of files) {
			await tx.execute(
				sql`insert into drizzle.govlearn_sql_file (name, hash, after_migration) values (${file.name}, ${file.hash}, ${afterMigration}::bigint)`
			);
		}
	});
	return true;
}
