// Property-based tests of the staff import's file reading (fast-check): any bytes under any name are
// either read or refused with an ImportFileError (never another exception), and staff lists written the
// ways offices write them (header in English or Chinese, UTF-8, BOM, UTF-16, tabs, quotes, line breaks
// in cells, extra columns) read back to exactly the rows written, numbered as a spreadsheet numbers them.
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ImportFileError, parseImportFile } from '../../src/lib/server/admin/import/parse';
import { parseRoles } from '../../src/lib/server/admin/import/plan';
import { fuzzRuns } from './fuzz-runs';

const runs = fuzzRuns(200);

async function outcome(bytes: Uint8Array, name: string) {
	try {
		return { ok: true as const, file: await parseImportFile(bytes, name) };
	} catch (e) {
		if (e instanceof ImportFileError) return { ok: false as const, code: e.code };
		throw e;
	}
}

const fileName = fc.constantFrom('staff.csv', 'staff.xlsx', 'staff.xls', 'staff.txt', 'staff', '员工.csv', 'x.CSV', 'x.XLSX');

describe('staff file reading (property-based)', () => {
	it('reads or refuses arbitrary bytes, never throwing anything else', async () => {
		const zipStart = fc.uint8Array({ maxLength: 400 }).map((b) => new Uint8Array([0x50, 0x4b, 0x03, 0x04, ...b]));
		const oleStart = fc.uint8Array({ maxLength: 100 }).map((b) => new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, ...b]));
		const bytes = fc.oneof(
			fc.uint8Array({ maxLength: 2000 }),
			zipStart,
			oleStart,
			fc.string({ unit: 'binary', maxLength: 500 }).map((s) => new TextEncoder().encode(s))
		);
		await fc.assert(
			fc.asyncProperty(bytes, fileName, async (b, name) => {
				const result = await outcome(b, name);
				if (result.ok) for (const row of result.file.rows) expect(row.row).toBeGreaterThanOrEqual(2);
				else
					expect([
						'empty',
						'too_large',
						'wrong_type',
						'old_xls',
						'broken_xlsx',
						'broken_csv',
						'missing_columns',
						'duplicate_column',
						'too_many_rows'
					]).toContain(result.code);
			}),
			{ numRuns: runs }
		);
	});

	it('reads or refuses arbitrary CSV-looking text', async () => {
		const cell = fc.oneof(
			fc.string({ maxLength: 12 }),
			fc.constantFrom(
				'工号',
				'姓名',
				'部门编码',
				'username',
				'name',
				'department',
				'email',
				'roles',
				'"',
				'""',
				'"a,b"',
				'\n',
				'\r\n',
				',',
				';',
				'\t',
				'=cmd|/C calc',
				''
			)
		);
		const text = fc.array(fc.array(cell, { maxLength: 7 }), { maxLength: 12 }).map((rows) => rows.map((r) => r.join(',')).join('\n'));
		await fc.assert(
			fc.asyncProperty(text, fc.boolean(), async (t, bom) => {
				const result = await outcome(new TextEncoder().encode((bom ? '\uFEFF' : '') + t), 'staff.csv');
				if (result.ok) {
					const numbers = result.file.rows.map((r) => r.row);
					expect([...numbers].sort((a, b) => a - b)).toEqual(numbers);
					expect(new Set(numbers).size).toBe(numbers.length);
				} else expect(['empty', 'wrong_type', 'broken_csv', 'missing_columns', 'duplicate_column']).toContain(result.code);
			}),
			{ numRuns: runs }
		);
	});

	const staffRow = fc.record({
		username: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._@-]{0,15}$/),
		name: fc.oneof(
			fc.stringMatching(/^[\u4e00-\u9fa5]{2,4}$/),
			fc.stringMatching(/^[A-Za-z][A-Za-z ,'"-]{0,20}[A-Za-z]$/),
			fc.constant('林 "晓"\n二行')
		),
		department: fc.stringMatching(/^[A-Z][A-Z0-9-]{1,10}$/),
		email: fc.oneof(fc.constant(''), fc.emailAddress()),
		roles: fc.constantFrom('', 'learner', 'trainer; hr', '培训师、人事', 'admin,learner'),
		status: fc.constantFrom('', '在职', '离职', 'active', 'inactive')
	});
	const headers = {
		username: fc.constantFrom('username', '工号', '工号*', 'Employee No.', '员工编号（必填）'),
		name: fc.constantFrom('name', '姓名', 'Full name'),
		department: fc.constantFrom('department', '部门编码', 'Department code'),
		email: fc.constantFrom('email', '邮箱', 'E-mail'),
		roles: fc.constantFrom('roles', '角色'),
		status: fc.constantFrom('status', '状态', '在职状态')
	};

	it('reads back every row of a CSV staff list as written, whatever the header language, encoding and delimiter', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.array(staffRow, { minLength: 1, maxLength: 15 }),
				fc.record(headers),
				fc.constantFrom('utf-8', 'utf-8-bom', 'utf-16le'),
				fc.constantFrom(',', '\t', ';'),
				fc.boolean(),
				async (rows, names, encoding, delimiter, extraColumn) => {
					const columns = ['username', 'name', 'department', 'email', 'roles', 'status'] as const;
					const header = [...columns.map((c) => names[c]), ...(extraColumn ? ['备注'] : [])];
					const body = rows.map((r) => [...columns.map((c) => r[c]), ...(extraColumn ? ['note'] : [])]);
					const text = stringify([header, ...body], { delimiter, record_delimiter: 'windows' });
					const bytes =
						encoding === 'utf-16le'
							? new Uint8Array([0xff, 0xfe, ...new Uint8Array(Buffer.from(text, 'utf16le'))])
							: new TextEncoder().encode(encoding === 'utf-8-bom' ? `\uFEFF${text}` : text);
					const result = await outcome(bytes, 'staff.csv');
					expect(result.ok).toBe(true);
					if (!result.ok) return;
					expect(result.file.encoding).toBe(encoding);
					// Spreadsheet rows: the header is row 1, a record with a line break in a cell is still one row.
					expect(result.file.rows).toEqual(rows.map((r, i) => ({ row: i + 2, ...r })));
				}
			),
			{ numRuns: runs }
		);
	});

	it('reads back an XLSX staff list as written', async () => {
		await fc.assert(
			fc.asyncProperty(fc.array(staffRow, { minLength: 1, maxLength: 10 }), fc.record(headers), async (rows, names) => {
				const workbook = new ExcelJS.Workbook();
				const sheet = workbook.addWorksheet('staff');
				const columns = ['username', 'name', 'department', 'email', 'roles', 'status'] as const;
				sheet.addRow(columns.map((c) => names[c]));
				for (const r of rows) sheet.addRow(columns.map((c) => r[c]));
				const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
				const result = await outcome(bytes, 'staff.xlsx');
				expect(result.ok).toBe(true);
				if (result.ok) expect(result.file.rows).toEqual(rows.map((r, i) => ({ row: i + 2, ...r })));
			}),
			{ numRuns: Math.max(20, Math.round(runs / 5)) }
		);
	});

	it('reads roles from any text: every account is a learner, unknown names are reported, never dropped silently', () => {
		fc.assert(
			fc.property(
				fc.array(fc.oneof(fc.constantFrom('learner', 'trainer', 'HR', '人事', '管理员', 'Admin', ' '), fc.string({ maxLength: 8 })), {
					maxLength: 6
				}),
				fc.constantFrom(';', '；', ',', '，', '、'),
				(parts, separator) => {
					const { roles, unknown } = parseRoles(parts.join(separator));
					expect(roles).toContain('learner');
					expect(new Set(roles).size).toBe(roles.length);
					const named = parts
						.flatMap((p) => p.split(/[;；,，、]/))
						.map((p) => p.trim())
						.filter(Boolean);
					expect(unknown.length).toBeLessThanOrEqual(named.length);
					for (const u of unknown) expect(named).toContain(u);
				}
			),
			{ numRuns: runs }
		);
	});
});
