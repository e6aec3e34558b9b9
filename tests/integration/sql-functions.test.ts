// The SQL functions, views and triggers are defined once, in drizzle/functions/*.sql. Whatever the
// history of a database (migrated from scratch, or up to 0011 before the files existed), it must end
// with exactly those definitions, and nothing left over from older migrations.
import { PGlite } from '@electric-sql/pglite';
import { cpSync, mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { beforeAll, describe, expect, it } from 'vitest';
import { connect, migrate, rows, SQL_FUNCTIONS, type Connection, type Executor } from '../../src/lib/server/db';
import { applySqlFiles, readSqlFiles } from '../../src/lib/server/db/sql-functions';
import { testDatabase } from '../helpers/db';
import { withDatabase } from '../helpers/global-setup';

type Catalog = Map<string, string>;

/** Every function, view and trigger of the public schema, as pg_catalog prints them (whitespace runs collapsed). */
async function catalog(db: Executor): Promise<Catalog> {
	const defs = await rows<{ kind: string; name: string; def: string }>(
		db,
		sql`select 'function' as kind, p.proname as name, pg_get_functiondef(p.oid) as def
			from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = 'public' and p.prokind = 'f'
		union all select 'view', c.relname, pg_get_viewdef(c.oid)
			from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind in ('v', 'm')
		union all select 'trigger', t.tgname, pg_get_triggerdef(t.oid)
			from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace
			where n.nspname = 'public' and not t.tgisinternal`
	);
	return new Map(defs.map((d) => [`${d.kind} ${d.name}`, d.def.replace(/\s+/g, ' ').trim()]));
}

/** What the files define, read by running them on `db` inside a transaction that is then rolled back. */
async function catalogOfFiles(conn: Connection): Promise<Catalog> {
	let defined: Catalog | undefined;
	await conn.db
		.transaction(async (tx) => {
			for (const file of readSqlFiles(SQL_FUNCTIONS)) for (const statement of file.statements) await tx.execute(sql.raw(statement));
			defined = await catalog(tx);
			tx.rollback();
		})
		.catch((e: Error) => {
			if (!defined) throw e;
		});
	return defined!;
}

/** The names the files create, e.g. "function insight_rebuild", "trigger insight_user_update_dept". */
function namesInFiles(): string[] {
	const names = new Set<string>();
	for (const file of readSqlFiles(SQL_FUNCTIONS)) {
		for (const m of file.statements.join('\n').matchAll(/^CREATE (?:OR REPLACE )?(?:CONSTRAINT )?(FUNCTION|VIEW|TRIGGER) (\w+)/gim)) {
			names.add(`${m[1].toLowerCase()} ${m[2]}`);
		}
	}
	return [...names].sort();
}

/** A database at migration 0011 as every database was before drizzle/functions existed: the drizzle migrations alone. */
async function databaseMigratedTheOldWay(): Promise<{ conn: Connection; drop: () => Promise<void> }> {
	if (process.env.TEST_DB === 'postgres') {
		const url = process.env.TEST_DATABASE_URL!;
		const name = `govlearn_old_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
		const admin = postgres(url, { max: 1, onnotice: () => {} });
		await admin.unsafe(`CREATE DATABASE ${name}`);
		const conn = await connect({ url: withDatabase(url, name), poolSize: 1 });
		await migratePostgres(conn.db, { migrationsFolder: path.dirname(SQL_FUNCTIONS) });
		return {
			conn,
			drop: async () => {
				await conn.close();
				await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
				await admin.end();
			}
		};
	}
	const conn = await connect({ pglite: new PGlite() });
	await migratePglite(conn.db as never, { migrationsFolder: path.dirname(SQL_FUNCTIONS) });
	return { conn, drop: () => conn.close() };
}

let conn: Connection;
beforeAll(async () => {
	conn = await testDatabase();
});

describe('SQL functions, views and triggers', () => {
	it('a database migrated from scratch has exactly the definitions of drizzle/functions', async () => {
		const live = await catalog(conn.db);
		expect([...live.keys()].sort()).toEqual(namesInFiles());
		expect(Object.fromEntries(live)).toEqual(Object.fromEntries(await catalogOfFiles(conn)));
	});

	it('a database migrated to 0011 before the files existed ends with the same definitions, and a second migrate changes nothing', async () => {
		const old = await databaseMigratedTheOldWay();
		try {
			await migrate(old.conn);
			const upgraded = await catalog(old.conn.db);
			expect(Object.fromEntries(upgraded)).toEqual(Object.fromEntries(await catalog(conn.db)));
			const before = await rows<{ applied_at: string }>(
				old.conn.db,
				sql`select applied_at::text from drizzle.govlearn_sql_file order by name`
			);
			expect(before).toHaveLength(readSqlFiles(SQL_FUNCTIONS).length);
			await migrate(old.conn);
			expect(await rows(old.conn.db, sql`select applied_at::text from drizzle.govlearn_sql_file order by name`)).toEqual(before);
		} finally {
			await old.drop();
		}
	});

	it('an edit of a file is applied by the next migrate, without a migration carrying a copy', async () => {
		const dir = mkdtempSync(path.join(os.tmpdir(), 'govlearn-functions-'));
		cpSync(SQL_FUNCTIONS, dir, { recursive: true });
		const file = path.join(dir, 'assignments.sql');
		writeFileSync(
			file,
			readFileSync(file, 'utf8').replace("WHEN recurrence <> 'yearly' THEN NULL", "WHEN recurrence <> 'yearly' THEN NULL -- edited")
		);
		await conn.exclusive(0, async (db) => {
			expect(await applySqlFiles(db, dir)).toBe(true);
			expect(await applySqlFiles(db, dir)).toBe(false);
		});
		const [row] = await rows<{ def: string }>(conn.db, sql`select pg_get_functiondef('govlearn_period_start'::regproc) as def`);
		expect(row.def).toContain('-- edited');
		await conn.exclusive(0, (db) => applySqlFiles(db, SQL_FUNCTIONS));
	});
});
