import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { csvFile, safeCell } from '../../src/lib/server/spreadsheet';

describe('spreadsheet cells', () => {
	it.each(['=1+1', '+1', '-1+1', '@SUM(A1)', '\t=1', '\r=1', '=HYPERLINK("https://evil.example")'])(
		'%j is written as text, not a formula',
		(value) => {
			expect(safeCell(value)).toBe(`'${value}`);
		}
	);

	it('leaves ordinary text, empty cells and numbers (also negative) alone', () => {
		for (const value of ['王小明', 'Zhang, San', '', "'quoted", ' =spaced', 'a=b', 0, -3.5, 42, null]) expect(safeCell(value)).toBe(value);
	});

	it('writes a CSV with BOM and CRLF whose cells read back as the safe text', () => {
		const csv = csvFile([
			['name', 'n'],
			['=cmd|"/c calc"!A0', -2],
			['line\nbreak', 3]
		]);
		expect(csv.startsWith('\ufeffname,n\r\n')).toBe(true);
		expect(parse(csv.slice(1))).toEqual([
			['name', 'n'],
			[`'=cmd|"/c calc"!A0`, '-2'],
			['line\nbreak', '3']
		]);
	});
});
