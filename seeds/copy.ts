// Bulk loading with Postgres COPY (text format) through postgres.js, for the scale generator.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Sql, TransactionSql } from 'postgres';

type Client = Sql | TransactionSql;
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
export async function copy(sql: Client, buffer: CopyBuffer, options: { overriding?: boolean } = {}): Promise<number> {
	const n = buffer.lines.length;
	if (n === 0) return 0;
	const cols = buffer.columns.map((c) => `"${c}"`).join(', ');
	if (options.overriding) {
		const temp = `scale_tmp_${buffer.table}`;
		await sql.unsafe(`create temp table if not exists ${temp} (like "${buffer.table}" including defaults) on commit drop`);
		await sql.unsafe(`truncate ${temp}`);
		await pipeline(Readable.from(chunks(buffer.lines)), await sql.unsafe(`copy ${temp} (${cols}) from stdin`).writable());
		await sql.unsafe(`insert into "${buffer.table}" (${cols}) overriding system value select ${cols} from ${temp}`);
	} else {
		await pipeline(Readable.from(chunks(buffer.lines)), await sql.unsafe(`copy "${buffer.table}" (${cols}) from stdin`).writable());
	}
	buffer.lines = [];
	return n;
}

/** Moves a table's identity sequence past the ids we set by hand. */
export async function syncIdentity(sql: Client, table: string): Promise<void> {
	await sql.unsafe(`select setval(pg_get_serial_sequence('"${table}"', 'id'), greatest(coalesce((select max(id) from "${table}"), 0), 1), (select count(*) > 0 from "${table}"))`);
}
