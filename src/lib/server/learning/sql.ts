// Small helpers for raw SQL results, which differ a little between postgres.js and PGlite.
import { sql, type SQL } from 'drizzle-orm';

/** A timestamp from a raw row: PGlite gives Date, postgres.js (through drizzle) an ISO-ish string. */
export function asDate(value: unknown): Date | null {
	if (value === null || value === undefined) return null;
	if (value instanceof Date) return value;
	const text = String(value)
		.replace(' ', 'T')
		.replace(/([+-]\d\d)$/, '$1:00');
	const date = new Date(text);
	return Number.isNaN(date.getTime()) ? null : date;
}

/** `(a, b, c)` for an IN list; callers never pass an empty list. */
export function list(values: readonly (string | number)[]): SQL {
	return sql`(${sql.join(
		values.map((v) => sql`${v}`),
		sql`, `
	)})`;
}

/** The calendar year a moment counts in (server time), for hours, attempt limits and completions. */
export function yearOf(date: Date): number {
	return date.getFullYear();
}

/** First instant of a calendar year and of the next one. */
export function yearRange(year: number): { start: Date; end: Date } {
	return { start: new Date(year, 0, 1), end: new Date(year + 1, 0, 1) };
}
