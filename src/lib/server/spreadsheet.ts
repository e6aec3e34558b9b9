// Every CSV and XLSX the app writes goes through here. Names, titles and imported values come from
// people, and a cell that starts like a formula would run as one when an HR officer or admin opens the
// file in Excel or LibreOffice (OWASP "CSV Injection"): next to someone's activation link, a formula can
// send the link elsewhere. Relative imports only: the staff import's command line runs this under tsx.
import { stringify } from 'csv-stringify/sync';

export type Cell = string | number | null;

/** What a spreadsheet would start evaluating: = + - @, and tab or carriage return ahead of one. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A text cell that would be read as a formula gets a leading apostrophe, so it shows as the text it was.
 * Numbers are left alone: a real negative number stays a number (an XLSX number cell, a plain CSV value).
 */
export function safeCell(value: Cell): Cell {
	return typeof value === 'string' && FORMULA_START.test(value) ? `'${value}` : value;
}

export function safeRow(row: readonly Cell[]): Cell[] {
	return row.map(safeCell);
}

const csvOptions = { record_delimiter: 'windows' as const, cast: { number: (n: number) => String(n) } };

/** Rows as CSV lines (CRLF), every cell made safe. */
export function csvLines(rows: readonly (readonly Cell[])[]): string {
	return stringify(rows.map(safeRow), csvOptions);
}

/** A whole CSV file: UTF-8 with BOM, so Excel shows Chinese names correctly. */
export function csvFile(rows: readonly (readonly Cell[])[]): string {
	return '\ufeff' + csvLines(rows);
}
