import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql, type SQL } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import * as schema from './schema/index';
import { queryStatsLogger } from './query-stats';
import { preparedStatements, preparing } from './prepared';
import { applySqlFiles } from './sql-functions';

export { schema };

/** Both drivers speak the same drizzle API; we type them as one. */
export type Database = PostgresJsDatabase<typeof schema>;
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];
export type Executor = Database | Transaction;
export type DbKind = 'pglite' | 'postgres';

export interface Connection {
	db: Database;
	kind: DbKind;
	close(): Promise<void>;
	/** Runs fn while holding a cluster-wide advisory lock (start-up work that must run once). */
	exclusive<T>(key: number, fn: (db: Database) => Promise<T>): Promise<T>;
	/** A cheap round trip, for health checks. */
	ping(): Promise<void>;
}

const MIGRATIONS = path.resolve(process.env.MIGRATIONS_DIR ?? 'drizzle');
/** The SQL functions, views and triggers, one definition each (see sql-functions.ts). */
export const SQL_FUNCTIONS = path.join(MIGRATIONS, 'functions');

/** Connects to `DATABASE_URL` with postgres.js, or to an embedded PGlite in `DATA_DIR`. */
export async function connect(options: { url?: string; dataDir?: string; pglite?: PGlite; poolSize?: number } = {}): Promise<Connection> {
	if (options.url) {
		const client = postgres(options.url, {
			max: options.poolSize ?? Number(process.env.DB_POOL_SIZE ?? 10),
			onnotice: () => {},
			connect_timeout: 10,
			idle_timeout: 60,
			// Reconnect within a second of Postgres coming back (the default waits up to 20 s after a long outage).
			backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 1),
			// Prepared statements (see prepared.ts), each execution still planned for its own parameters.
			...(preparedStatements ? { connection: { plan_cache_mode: 'force_custom_plan' } } : {})
		});
		const db = drizzlePostgres(preparing(client), { schema, logger: queryStatsLogger() });
		return {
			db,
			kind: 'postgres',
			close: () => client.end({ timeout: 5 }),
			async exclusive(key, fn) {
				// One dedicated connection holds the session-level lock for the whole job.
				const single = postgres(options.url!, { max: 1, onnotice: () => {} });
				try {
					await single`select pg_advisory_lock(${key})`;
					return await fn(drizzlePostgres(single, { schema }));
				} finally {
					await single`select pg_advisory_unlock(${key})`.catch(() => {});
					await single.end({ timeout: 5 });
				}
			},
			async ping() {
				await client`select 1`;
			}
		};
	}
	let pg = options.pglite;
	if (!pg) {
		const dir = path.resolve(options.dataDir ?? process.env.DATA_DIR ?? '.data', 'pglite');
		mkdirSync(dir, { recursive: true });
		pg = new PGlite(dir);
	}
	await pg.waitReady;
	const db = drizzlePglite(pg, { schema, logger: queryStatsLogger() }) as unknown as Database;
	const instance = pg;
	return {
		db,
		kind: 'pglite',
		close: () => instance.close(),
		// PGlite is one process, one connection: nothing else can run the job at the same time.
		exclusive: (_key, fn) => fn(db),
		async ping() {
			await instance.query('select 1');
		}
	};
}

/** Applies the SQL migrations in drizzle/, then the definitions in drizzle/functions/ when they changed. */
export async function migrate(conn: Connection): Promise<void> {
	await conn.exclusive(LOCKS.migrate, async (db) => {
		if (conn.kind === 'postgres') await migratePostgres(db, { migrationsFolder: MIGRATIONS });
		else await migratePglite(db as never, { migrationsFolder: MIGRATIONS });
		await applySqlFiles(db, SQL_FUNCTIONS);
	});
}

export const LOCKS = { migrate: 71_001, content: 71_002, seed: 71_003 } as const;

/** Rows of a raw query, whichever driver ran it (postgres.js returns an array, PGlite `{ rows }`). */
export async function rows<T>(executor: Executor, query: SQL): Promise<T[]> {
	const result = (await executor.execute(query)) as unknown;
	return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/** The app's connection. Set once at start (hooks `init`) or by a test; read through `db`. */
export let db: Database;
export let dbKind: DbKind;
let current: Connection | undefined;

export function useConnection(conn: Connection): void {
	current = conn;
	db = conn.db;
	dbKind = conn.kind;
}

export function connection(): Connection {
	if (!current) throw new Error('Database not connected: call useConnection() first');
	return current;
}

export { sql };
