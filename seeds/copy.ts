// Bulk loading with Postgres COPY (text format) for the scale generator, through postgres.js (a real
// server: COPY FROM STDIN) or PGlite (COPY FROM '/dev/blob'), behind one small interface.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PGlite, Transaction as PGliteTransaction } from '@electric-sql/pglite';
import type { Sql, TransactionSql } from 'postgres';

/** What the generator needs of a database connection. */
export interface ScaleDb {
	query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
	/** COPY `table (columns)` FROM the given text-format chunks. */
	copyIn(table: string, columns: string, chunks: Iterable<string>): Promise<void>;
	transaction<T>(fn: (tx: ScaleDb) => Promise<T>): Promise<T>;
}

/** postgres.js (a pool, or a transaction's connection). */
export function postgresJsDb(sql: Sql | TransactionSql): ScaleDb {
	return {
		query: async <T>(text: string, params: unknown[] = []) => (await sql.unsafe(text, params as never[])) as unknown as T[],
		async copyIn(table, columns, chunks) {
			await pipeline(Readable.from(chunks), await sql.unsafe(`copy ${table} (${columns}) from stdin`).writable());
		},
		transaction: <T>(fn: (tx: ScaleDb) => Promise<T>) => (sql as Sql).begin((tx) => fn(postgresJsDb(tx))) as Promise<T>
	};
}

/** PGlite (the embedded database, and the test suite's). */
export function pgliteDb(pg: PGlite | PGliteTransaction): ScaleDb {
	return {
		query: async <T>(text: string, params: unknown[] = []) => (await pg.query<T>(text, params)).rows,
		async copyIn(table, columns, chunks) {
			await pg.query(`copy ${table} (${columns}) from '/dev/blob'`, [], { blob: new Blob([...chunks]) });
		},
		transaction: <T>(fn: (tx: ScaleDb) => Promise<T>) => (pg as PGlite).transaction((tx) => fn(pgliteDb(tx)))
	};
}
export type Cell = string | number | boolean | Date | null | undefined | readonly string[] | object;

/** One value in COPY text format: \N for null, backslash escapes for tab, newline, CR and backslash. */
export function cell(value: Cell): string {
	if (value === null || value === undefined) return '\\N';
	if (typeof value === 'number') return String(value);
	if (typeof value === 'boolean') return value ? 't' : 'f';
	if (value instanceof Date) return value.toISOString();
	let text: string;
	if (typeof value === 'string') text = value;
	else if (Array.isArray(value) && value.every((v) => typeof v === 'string' && /^[A-Za-z0-9_-]+$/.test(v))) text = `{${value.join(',')}}`;
	else text = JSON.stringify(value);
	return /[\\\t\n\r]/.test(text) ? text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : text;
}

/** Collects rows as COPY lines; `copy()` streams them in ~1 MB chunks. */
export class CopyBuffer {
	lines: string[] = [];
	constructor(
		readonly table: string,
		readonly columns: readonly string[]
	) {}
	push(...values: Cell[]): void {
		this.lines.push(values.map(cell).join('\t'));
	}
	get size(): number {
		return this.lines.length;
	}
}

function* chunks(lines: string[]): Generator<string> {
	const step = 4000;
	for (let i = 0; i < lines.length; i += step) yield lines.slice(i, i + step).join('\n') + '\n';
}

/**
 * Writes the buffer with COPY and empties it. `overriding`: the table has a GENERATED ALWAYS identity
 * that we set ourselves (ids the other tables already point at), which COPY cannot do directly, so the
 * rows go through a temporary table and `INSERT … OVERRIDING SYSTEM VALUE`.
 */
export async function copy(db: ScaleDb, buffer: CopyBuffer, options: { overriding?: boolean } = {}): Promise<number> {
	const n = buffer.lines.length;
	if (n === 0) return 0;
	const cols = buffer.columns.map((c) => `"${c}"`).join(', ');
	if (options.overriding) {
		const temp = `scale_tmp_${buffer.table}`;
		await db.query(`create temp table if not exists ${temp} (like "${buffer.table}" including defaults) on commit drop`);
		await db.query(`truncate ${temp}`);
		await db.copyIn(temp, cols, chunks(buffer.lines));
		await db.query(`insert into "${buffer.table}" (${cols}) overriding system value select ${cols} from ${temp}`);
	} else {
		await db.copyIn(`"${buffer.table}"`, cols, chunks(buffer.lines));
	}
	buffer.lines = [];
	return n;
}

/** Moves a table's identity sequence past the ids we set by hand. */
export async function syncIdentity(db: ScaleDb, table: string): Promise<void> {
	await db.query(
		`select setval(pg_get_serial_sequence('"${table}"', 'id'), greatest(coalesce((select max(id) from "${table}"), 0), 1), (select count(*) > 0 from "${table}"))`
	);
}
