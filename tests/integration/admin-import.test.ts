import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import { eq, sql } from 'drizzle-orm';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as staffImport from '../../src/lib/server/admin/import';
import { ImportFileError, parseImportFile } from '../../src/lib/server/admin/import/parse';
import { hashToken } from '../../src/lib/server/admin/tokens';
import { db, rows, schema } from '../../src/lib/server/db';
import { resetDatabase, testDatabase } from '../helpers/db';
import { createDepartment, createUser } from '../helpers/factories';

const fixture = (name: string) => new Uint8Array(readFileSync(`tests/fixtures/import/${name}`));

async function org() {
	const city = await createDepartment({ code: 'CITY' });
	const east = await createDepartment({ code: 'EAST-GSC', parent: city });
	const west = await createDepartment({ code: 'WEST-GSC', parent: city });
	return { city, east, west };
}

async function previewAndApply(name: string) {
	const batchId = await staffImport.preview(fixture(name), name, null);
	const batch = (await staffImport.getBatch(batchId))!;
	return { batch, result: await staffImport.apply(batchId, batch.fileHash, null) };
}

const users = () => db.select().from(schema.user).orderBy(schema.user.username);
const auditCount = async () => (await rows<{ n: number }>(db, sql`select count(*)::int as n from audit_log`))[0].n;

beforeAll(async () => {
	await testDatabase();
});
beforeEach(resetDatabase);

describe('reading staff files', () => {
	it('decodes a GB18030 CSV (as Excel on Chinese Windows saves it), characters outside GBK included', async () => {
		const parsed = await parseImportFile(fixture('staff-gb18030.csv'), 'staff.csv');
		expect(parsed.encoding).toBe('gb18030');
		expect(parsed.headers).toMatchObject({ username: '工号', name: '姓名', department: '部门编码' });
		expect(parsed.rows.map((r) => r.name)).toEqual(['张三', '𠮷田花子', '喆喆']);
		expect(JSON.stringify(parsed.rows)).not.toContain('\ufffd');
	});

	it('strips a UTF-8 byte-order mark, so the first header is still recognised', async () => {
		const parsed = await parseImportFile(fixture('staff-bom.csv'), 'staff.csv');
		expect(parsed.encoding).toBe('utf-8-bom');
		expect(parsed.headers.username).toBe('工号');
		expect(parsed.rows[0]).toMatchObject({ row: 2, username: 'B2001', name: '欧阳娜娜', email: 'ouyang@example.gov.cn' });
	});

	it('reads plain UTF-8 with English headers and quoted commas', async () => {
		const parsed = await parseImportFile(fixture('staff-utf8.csv'), 'staff.csv');
		expect(parsed.encoding).toBe('utf-8');
		expect(parsed.rows[2]).toMatchObject({ username: 'T1003', name: 'Zhang, San', roles: 'learner;hr' });
	});

	it('numbers rows as the spreadsheet shows them, blank lines and line breaks in quotes included', async () => {
		const parsed = await parseImportFile(fixture('staff-rows.csv'), 'staff.csv');
		expect(parsed.rows.map((r) => [r.row, r.username])).toEqual([
			[3, 'R001'],
			[5, 'R002']
		]);
	});

	it('reads the first sheet of an XLSX: numbers, rich text, links and formula results as shown', async () => {
		const parsed = await parseImportFile(fixture('staff.xlsx'), 'staff.xlsx');
		expect(parsed.format).toBe('xlsx');
		expect(parsed.rows).toEqual([
			{ row: 2, username: '40001', name: '陈一', department: 'EAST-GSC', email: 'chen1@example.gov.cn', roles: '', status: '' },
			{ row: 4, username: 'X40002', name: '林二', department: 'WEST-GSC', email: '', roles: 'trainer', status: '' },
			{ row: 5, username: 'X40003', name: '黄三', department: 'EAST-GSC', email: 'not-an-email', roles: '', status: '' }
		]);
	});

	it.each([
		['broken.xlsx', 'broken_xlsx'],
		['not-a-sheet.xlsx', 'broken_xlsx'],
		['photo.png', 'wrong_type'],
		['old.xls', 'old_xls'],
		['empty.csv', 'empty'],
		['no-columns.csv', 'missing_columns']
	])('refuses %s with a clear reason (%s)', async (name, code) => {
		const bytes: Record<string, Uint8Array> = {
			'broken.xlsx': fixture('broken.xlsx'),
			'not-a-sheet.xlsx': new TextEncoder().encode('username,name\n'),
			'photo.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]),
			'old.xls': new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
			'empty.csv': new Uint8Array(),
			'no-columns.csv': new TextEncoder().encode('工号,电话\nA1,123\n')
		};
		const error = await parseImportFile(bytes[name], name).catch((e) => e);
		expect(error).toBeInstanceOf(ImportFileError);
		expect(error.code).toBe(code);
	});

	it('refuses a file over 50 MB before reading it, and writes nothing', async () => {
		const big = new Uint8Array(staffImport.MAX_FILE_BYTES + 1);
		const error = await staffImport.preview(big, 'big.csv', null).catch((e) => e);
		expect(error).toBeInstanceOf(ImportFileError);
		expect(error.code).toBe('too_large');
		expect(await db.select().from(schema.importBatch)).toHaveLength(0);
	});
});

describe('preview', () => {
	it('reports every kind of row error with its row, column and value, and writes no account', async () => {
		await org();
		const batchId = await staffImport.preview(fixture('staff-errors.csv'), 'staff-errors.csv', null);
		const errors = await staffImport.batchErrors(batchId);
		expect(errors).toEqual([
			{ row: 2, column: 'email', value: 'zhao@example', kind: 'bad_email' },
			{ row: 3, column: 'department', value: 'NO-SUCH-DEPT', kind: 'unknown_department' },
			{ row: 4, column: 'username', value: 'E001', kind: 'duplicate', firstRow: 2 },
			{ row: 5, column: 'roles', value: 'wizard', kind: 'unknown_role' },
			{ row: 6, column: 'name', value: '', kind: 'missing' }
		]);
		expect(await users()).toHaveLength(0);
		const batch = await staffImport.getBatch(batchId);
		expect(batch?.errorCount).toBe(5);
		// Errors block the apply.
		await expect(staffImport.apply(batchId, batch!.fileHash, null)).rejects.toMatchObject({ code: 'import_has_errors' });
		expect(await users()).toHaveLength(0);
	});

	it('reports a deactivated department and an invalid employee number', async () => {
		const { city } = await org();
		await createDepartment({ code: 'OLD', parent: city }).then((d) =>
			db.update(schema.department).set({ active: false }).where(eq(schema.department.id, d.id))
		);
		const file = new TextEncoder().encode('username,name,department\nA 1,甲,EAST-GSC\nA2,乙,OLD\n');
		const batchId = await staffImport.preview(file, 'x.csv', null);
		expect((await staffImport.batchErrors(batchId)).map((e) => [e.row, e.kind])).toEqual([
			[2, 'bad_username'],
			[3, 'inactive_department']
		]);
	});

	it('counts rows to create, update and leave alone', async () => {
		const { east } = await org();
		await createUser({ username: 'T1001', displayName: '王小明', department: east });
		await db.update(schema.user).set({ email: 'wang@example.gov.cn' }).where(eq(schema.user.username, 'T1001'));
		await createUser({ username: 'T1002', displayName: '李小红(旧)', department: east });
		const batch = (await staffImport.getBatch(await staffImport.preview(fixture('staff-utf8.csv'), 'staff.csv', null)))!;
		expect([batch.toCreate, batch.toUpdate, batch.unchanged, batch.errorCount]).toEqual([1, 1, 1, 0]);
		expect(batch.sample?.updates[0].changes.map((c) => c.field)).toEqual(['name', 'department', 'roles']);
		// Nothing written yet.
		expect((await users()).find((u) => u.username === 'T1002')?.displayName).toBe('李小红(旧)');
	});
});

describe('apply', () => {
	it('creates pending accounts with one-time links, storing only the hash of each token', async () => {
		await org();
		const { batch, result } = await previewAndApply('staff-gb18030.csv');
		expect(result.created.map((c) => c.username)).toEqual(['G3001', 'G3002', 'G3003']);
		const all = await users();
		expect(all.map((u) => [u.username, u.displayName, u.status, u.passwordHash])).toEqual([
			['G3001', '张三', 'pending', null],
			['G3002', '𠮷田花子', 'pending', null],
			['G3003', '喆喆', 'pending', null]
		]);
		expect(all[2].roles).toEqual(['learner', 'trainer', 'hr']);
		const tokens = await db.select().from(schema.activationToken);
		expect(tokens).toHaveLength(3);
		for (const created of result.created) {
			const stored = tokens.find((t) => t.userId === created.id)!;
			expect(stored.tokenHash).toBe(hashToken(created.token));
			expect(stored.tokenHash).not.toContain(created.token);
			expect(stored.batchId).toBe(batch.id);
			const days = (stored.expiresAt.getTime() - Date.now()) / 86_400_000;
			expect(days).toBeGreaterThan(13.9);
			expect(days).toBeLessThanOrEqual(14);
		}
		const csv = staffImport.linksCsv('https://learn.example.gov.cn', result.created);
		expect(csv.startsWith('\ufeffusername,name,link\r\n')).toBe(true);
		expect(csv).toContain(`G3002,𠮷田花子,https://learn.example.gov.cn/activate/${result.created[1].token}`);
		expect((await staffImport.getBatch(batch.id))?.status).toBe('applied');
		await expect(staffImport.apply(batch.id, batch.fileHash, null)).rejects.toMatchObject({ code: 'import_applied' });
	});

	it('re-importing the same file changes nothing: no writes, no new links, no audit entries', async () => {
		await org();
		await previewAndApply('staff-utf8.csv');
		const before = await users();
		const tokensBefore = await db.select().from(schema.activationToken);
		const auditBefore = await auditCount();
		const batchId = await staffImport.preview(fixture('staff-utf8.csv'), 'staff.csv', null);
		const again = (await staffImport.getBatch(batchId))!;
		expect([again.toCreate, again.toUpdate, again.unchanged]).toEqual([0, 0, 3]);
		const result = await staffImport.apply(batchId, again.fileHash, null);
		expect(result).toEqual({ created: [], updated: 0 });
		expect(await users()).toEqual(before);
		expect(await db.select().from(schema.activationToken)).toEqual(tokensBefore);
		// Only the batch's own "applied" entry, no per-account entries.
		expect((await auditCount()) - auditBefore).toBe(1);

		const cli = await staffImport.importFile(fixture('staff-utf8.csv'), 'staff.csv', { dryRun: false });
		expect(cli.batchId).toBeNull();
		expect(await users()).toEqual(before);
	});

	it('updates changed accounts and audits each change with before and after', async () => {
		const { east, west } = await org();
		const existing = await createUser({ username: 'T1002', displayName: '李小红(旧)', department: east });
		await previewAndApply('staff-utf8.csv');
		const [updated] = await db.select().from(schema.user).where(eq(schema.user.id, existing.id));
		expect(updated).toMatchObject({ displayName: '李小红', departmentId: west.id, status: 'active', roles: ['learner', 'trainer'] });
		expect(updated.passwordHash).not.toBeNull();
		const [entry] = await db
			.select()
			.from(schema.auditLog)
			.where(eq(schema.auditLog.targetId, String(existing.id)));
		expect(entry.action).toBe('user.update');
		expect(entry.before).toMatchObject({ name: '李小红(旧)', departmentId: east.id });
		expect(entry.after).toMatchObject({ name: '李小红', departmentId: west.id });
	});

	it('leaves empty email and roles cells alone on existing accounts', async () => {
		const { east } = await org();
		const u = await createUser({ username: 'K1', displayName: '甲', department: east, roles: ['learner', 'admin'] });
		await db.update(schema.user).set({ email: 'k1@example.gov.cn' }).where(eq(schema.user.id, u.id));
		const file = new TextEncoder().encode('username,name,department,email,roles\nK1,甲,EAST-GSC,,\n');
		const result = await staffImport.importFile(file, 'k.csv', { dryRun: false });
		expect(result.plan.unchanged).toBe(1);
		const [after] = await db.select().from(schema.user).where(eq(schema.user.id, u.id));
		expect(after).toMatchObject({ email: 'k1@example.gov.cn', roles: ['learner', 'admin'] });
	});

	it('rolls everything back when a statement fails half way', async () => {
		const { east } = await org();
		const existing = await createUser({ username: 'T1002', displayName: '李小红(旧)', department: east });
		const batchId = await staffImport.preview(fixture('staff-utf8.csv'), 'staff.csv', null);
		const batch = (await staffImport.getBatch(batchId))!;
		const auditBefore = await auditCount();
		// The accounts are created and updated first; the links come last and fail here.
		await db.execute(sql`create function adm_test_fail() returns trigger language plpgsql as $$ begin raise exception 'disk full'; end $$`);
		await db.execute(sql`create trigger adm_test_fail before insert on activation_token for each row execute function adm_test_fail()`);
		try {
			await expect(staffImport.apply(batchId, batch.fileHash, null)).rejects.toThrow();
		} finally {
			await db.execute(sql`drop trigger adm_test_fail on activation_token`);
			await db.execute(sql`drop function adm_test_fail()`);
		}
		const all = await users();
		expect(all.map((u) => u.username)).toEqual(['T1002']);
		expect(all[0]).toMatchObject({ id: existing.id, displayName: '李小红(旧)', departmentId: east.id });
		expect(await auditCount()).toBe(auditBefore);
		expect((await staffImport.getBatch(batchId))?.status).toBe('preview');
		// Once the cause is gone the same preview applies.
		const result = await staffImport.apply(batchId, batch.fileHash, null);
		expect(result.created).toHaveLength(2);
	});

	it('refuses an apply that names a different file than the preview showed', async () => {
		await org();
		const batchId = await staffImport.preview(fixture('staff-utf8.csv'), 'staff.csv', null);
		await expect(staffImport.apply(batchId, 'f'.repeat(64), null)).rejects.toMatchObject({ code: 'import_mismatch' });
		expect(await users()).toHaveLength(0);
	});

	it('the command plans without writing on --dry-run, and applies otherwise', async () => {
		await org();
		const dry = await staffImport.importFile(fixture('staff-bom.csv'), 'staff.csv', { dryRun: true });
		expect(dry.plan.creates.map((c) => c.name)).toEqual(['欧阳娜娜', '司马光']);
		expect(await users()).toHaveLength(0);
		expect(await db.select().from(schema.importBatch)).toHaveLength(0);
		const real = await staffImport.importFile(fixture('staff-bom.csv'), 'staff.csv', { dryRun: false });
		expect(real.created).toHaveLength(2);
		expect((await users()).map((u) => u.status)).toEqual(['pending', 'pending']);
	});

	it('re-exporting a batch issues fresh links and the old ones stop working', async () => {
		await org();
		const { batch, result } = await previewAndApply('staff-bom.csv');
		const fresh = await staffImport.reissueLinks(batch.id, null);
		expect(fresh.map((f) => f.username)).toEqual(['B2001', 'B2002']);
		const hashes = (await db.select().from(schema.activationToken)).map((t) => t.tokenHash);
		expect(hashes).toHaveLength(2);
		for (const old of result.created) expect(hashes).not.toContain(hashToken(old.token));
		for (const link of fresh) expect(hashes).toContain(hashToken(link.token));
	});
});

describe('the import:users command', () => {
	it('migrates an empty embedded database, prints the GB18030 file’s values and errors, and writes nothing on --dry-run', async () => {
		const dataDir = mkdtempSync(path.join(os.tmpdir(), 'govlearn-adm-cli-'));
		try {
			const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, GOVLEARN_QUIET_LOG: '1' };
			delete env.DATABASE_URL;
			const run = promisify(execFile)(
				process.execPath,
				['node_modules/tsx/dist/cli.mjs', 'scripts/import-users.ts', 'tests/fixtures/import/staff-gb18030.csv', '--dry-run'],
				{ env }
			);
			const { stdout } = await run.catch((e: { stdout: string; code: number }) => {
				expect(e.code).toBe(1); // errors: every department code is unknown in an empty database
				return e;
			});
			expect(stdout).toContain('gb18030, 3 rows');
			expect(stdout).toMatch(/row 3 \[G3002 𠮷田花子\], department \(部门编码\): "WEST-GSC": unknown department code/);
			expect(stdout).not.toContain('\ufffd');
			expect(stdout).toContain('Nothing was written');
		} finally {
			rmSync(dataDir, { recursive: true, force: true });
		}
	}, 120_000);
});

describe('the CSV downloads', () => {
	const formulas = ['=HYPERLINK("https://evil.example","activate")', '+1+cmd|/c calc', '-2+3', '@SUM(A1)', '\t=1+1', '\r=1+1'];
	const cells = (csv: string) => parse(csv.replace(/^\ufeff/, ''), { relax_column_count: true }) as string[][];

	it('activation links, first and reissued: a name that is a formula stays text next to the link', async () => {
		await org();
		const file = new TextEncoder().encode(
			'username,name,department\n' + formulas.map((f, i) => `F${i + 1},"${f.replace(/"/g, '""')}",EAST-GSC`).join('\n') + '\n'
		);
		const batchId = await staffImport.preview(file, 'formulas.csv', null);
		expect(await staffImport.batchErrors(batchId)).toEqual([]);
		const batch = (await staffImport.getBatch(batchId))!;
		const { created } = await staffImport.apply(batchId, batch.fileHash, null);
		const reissued = await staffImport.reissueLinks(batchId, null);
		for (const accounts of [created, reissued]) {
			const [header, ...lines] = cells(staffImport.linksCsv('https://learn.example.gov.cn', accounts));
			expect(header).toEqual(['username', 'name', 'link']);
			expect(lines).toHaveLength(formulas.length);
			for (const [username, name, link] of lines) {
				const original = accounts.find((a) => a.username === username)!.name;
				expect(name).toBe(`'${original}`);
				expect(link).toMatch(/^https:\/\/learn\.example\.gov\.cn\/activate\//);
			}
		}
	});

	it('import errors: a value that is a formula stays text, the row number stays a number', async () => {
		await org();
		const file = new TextEncoder().encode('username,name,department\nA1,甲,=cmd|"/c calc"!A0\nA2,乙,@SUM(1)\n');
		const batchId = await staffImport.preview(file, 'bad.csv', null);
		const csv = staffImport.errorsCsv(await staffImport.batchErrors(batchId), (e) => e.kind);
		const [header, ...lines] = cells(csv);
		expect(header).toEqual(['row', 'column', 'value', 'problem']);
		expect(lines).toEqual([
			['2', 'department', `'=cmd|"/c calc"!A0`, 'unknown_department'],
			['3', 'department', "'@SUM(1)", 'unknown_department']
		]);
	});
});
