// Reads a staff file (CSV in UTF-8, UTF-8 with BOM, GB18030 or UTF-16; or XLSX) into raw rows,
// numbered as a spreadsheet shows them. Plain relative imports: `npm run import:users` runs this under tsx.
import { parse as csvParser } from 'csv-parse';
import ExcelJS from 'exceljs';
import { Readable } from 'node:stream';
import { DomainError } from '../../errors';

export const IMPORT_FIELDS = ['username', 'name', 'department', 'email', 'roles', 'status'] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];
export const REQUIRED_FIELDS: readonly ImportField[] = ['username', 'name', 'department'];

/** Largest file accepted (the server's BODY_SIZE_LIMIT is a little higher, so this message wins). */
export const MAX_FILE_BYTES = 50 * 1024 * 1024;
export const MAX_ROWS = 200_000;

/** One data row as written in the file (trimmed text); `row` is the spreadsheet's row number. */
export interface RawRow {
	row: number;
	username: string;
	name: string;
	department: string;
	email: string;
	roles: string;
	/** active / inactive (在职 / 离职); empty keeps the account's status. */
	status: string;
}

export interface ParsedFile {
	format: 'csv' | 'xlsx';
	encoding: string | null;
	/** The header text of each recognised column, as written in the file. */
	headers: Partial<Record<ImportField, string>>;
	rows: RawRow[];
}

export type FileProblemCode =
	| 'empty'
	| 'too_large'
	| 'wrong_type'
	| 'old_xls'
	| 'broken_xlsx'
	| 'broken_csv'
	| 'missing_columns'
	| 'duplicate_column'
	| 'too_many_rows';

/** The file as a whole cannot be read; nothing in it is imported. `detail` names what is wrong. */
export class ImportFileError extends DomainError<FileProblemCode> {
	constructor(
		code: FileProblemCode,
		readonly detail = ''
	) {
		super('invalid', code, `${code}${detail ? `: ${detail}` : ''}`, { detail });
	}
}

// Header names in English or Chinese, compared after normalising (see headerKey).
const HEADER_ALIASES: Record<ImportField, string[]> = {
	username: [
		'username',
		'工号',
		'employeenumber',
		'employeeno',
		'employeeid',
		'staffno',
		'user',
		'login',
		'员工编号',
		'职工号',
		'用户名',
		'账号'
	],
	name: ['name', '姓名', 'displayname', 'fullname', '名字'],
	department: ['department', '部门编码', 'departmentcode', 'deptcode', 'dept', '部门代码', '部门', '单位编码'],
	email: ['email', '邮箱', 'mail', 'emailaddress', '电子邮箱', '电子邮件', '邮件'],
	roles: ['roles', '角色', 'role'],
	status: ['status', '状态', '在职状态', '人员状态', '账号状态', '任职状态', 'employmentstatus', 'accountstatus', 'active']
};
const HEADER_LOOKUP = new Map(Object.entries(HEADER_ALIASES).flatMap(([field, names]) => names.map((n) => [n, field as ImportField])));

/** "工号*", "姓名（必填）", "E-mail", "Department code" all reduce to a comparable key. */
function headerKey(text: string): string {
	return text
		.normalize('NFKC')
		.replace(/[(（][^)）]*[)）]/g, '')
		.replace(/[\s*_\-.:：\u200b\ufeff]/g, '')
		.toLowerCase();
}

function clean(value: string): string {
	// Zero-width characters and non-breaking spaces come along when people paste from web pages.
	return value
		.replace(/[\u200b-\u200d\ufeff]/g, '')
		.replace(/\u00a0/g, ' ')
		.trim();
}

/** Maps header cells to fields; refuses a file without the required columns. */
function mapHeader(cells: string[]): { index: Partial<Record<ImportField, number>>; headers: Partial<Record<ImportField, string>> } {
	const index: Partial<Record<ImportField, number>> = {};
	const headers: Partial<Record<ImportField, string>> = {};
	cells.forEach((cell, i) => {
		const field = HEADER_LOOKUP.get(headerKey(cell));
		if (!field) return;
		if (index[field] !== undefined) throw new ImportFileError('duplicate_column', clean(cell));
		index[field] = i;
		headers[field] = clean(cell);
	});
	const missing = REQUIRED_FIELDS.filter((f) => index[f] === undefined);
	if (missing.length) throw new ImportFileError('missing_columns', missing.join(', '));
	return { index, headers };
}

function toRow(rowNumber: number, cells: string[], index: Partial<Record<ImportField, number>>): RawRow | null {
	const get = (f: ImportField) => (index[f] === undefined ? '' : clean(cells[index[f]!] ?? ''));
	const row = {
		row: rowNumber,
		username: get('username'),
		name: get('name'),
		department: get('department'),
		email: get('email'),
		roles: get('roles'),
		status: get('status')
	};
	// Blank lines (and rows blank in every column we read) are not staff.
	return row.username || row.name || row.department || row.email || row.roles || row.status ? row : null;
}

/** What kind of file the bytes are, by their first bytes rather than by the name alone. */
function sniff(bytes: Uint8Array, fileName: string): 'csv' | 'xlsx' {
	const b = bytes;
	if (b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04) return 'xlsx';
	if (b[0] === 0xd0 && b[1] === 0xcf && b[2] === 0x11 && b[3] === 0xe0) throw new ImportFileError('old_xls');
	if (/\.xlsx$/i.test(fileName)) throw new ImportFileError('broken_xlsx');
	if (/\.xls$/i.test(fileName)) throw new ImportFileError('old_xls');
	const utf16 = (b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff);
	// Text files have no NUL bytes (UTF-16 aside); PDFs, images, Word files do.
	if (!utf16 && b.subarray(0, 8192).includes(0)) throw new ImportFileError('wrong_type');
	return 'csv';
}

/**
 * Decodes CSV bytes: a UTF-8 BOM means UTF-8; bytes that are valid UTF-8 are UTF-8; anything else is
 * GB18030 (a superset of GBK/GB2312, what Excel on Chinese Windows writes as "CSV").
 */
export function decodeText(bytes: Uint8Array): { text: string; encoding: string } {
	if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
		return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8-bom' };
	if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
	if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be' };
	try {
		return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
	} catch {
		return { text: new TextDecoder('gb18030').decode(bytes), encoding: 'gb18030' };
	}
}

/** Comma unless the header line says otherwise (Excel's "Unicode text" uses tabs, some locales semicolons). */
function guessDelimiter(text: string): string {
	const firstLine = text.slice(0, Math.max(0, text.indexOf('\n')) || text.length);
	const counts = [',', '\t', ';'].map((d) => [d, firstLine.split(d).length - 1] as const);
	counts.sort((a, b) => b[1] - a[1]);
	return counts[0][1] > 0 ? counts[0][0] : ',';
}

async function parseCsv(bytes: Uint8Array): Promise<ParsedFile> {
	const { text, encoding } = decodeText(bytes);
	if (!text.trim()) throw new ImportFileError('empty');
	const parser = Readable.from([text]).pipe(
		csvParser({ delimiter: guessDelimiter(text), relax_column_count: true, relax_quotes: true, skip_empty_lines: false })
	);
	let mapping: ReturnType<typeof mapHeader> | undefined;
	const rows: RawRow[] = [];
	// Excel shows one record per row, line breaks inside quotes included: the record count is the row number.
	let record = 0;
	try {
		for await (const cells of parser as AsyncIterable<string[]>) {
			record++;
			if (!mapping) {
				if (cells.every((c) => !clean(c))) continue;
				mapping = mapHeader(cells);
				continue;
			}
			const row = toRow(record, cells, mapping.index);
			if (!row) continue;
			if (rows.length >= MAX_ROWS) throw new ImportFileError('too_many_rows', String(MAX_ROWS));
			rows.push(row);
		}
	} catch (e) {
		if (e instanceof ImportFileError) throw e;
		const line = (e as { lines?: number }).lines;
		throw new ImportFileError('broken_csv', line ? String(line) : (e as Error).message);
	}
	if (!mapping) throw new ImportFileError('empty');
	return { format: 'csv', encoding, headers: mapping.headers, rows };
}

type CellValue = ExcelJS.CellValue | { richText?: { text: string }[]; text?: unknown; result?: unknown; error?: string } | undefined;

/** Whatever Excel stored (number, rich text, hyperlink, formula result, date) as the text it shows. */
function cellText(value: CellValue): string {
	if (value === null || value === undefined) return '';
	if (typeof value === 'string') return value;
	if (typeof value === 'number') return Number.isInteger(value) ? value.toFixed(0) : String(value);
	if (typeof value === 'boolean') return String(value);
	if (value instanceof Date) return value.toISOString().slice(0, 10);
	if (typeof value === 'object') {
		if ('richText' in value && Array.isArray(value.richText)) return value.richText.map((r) => r.text).join('');
		if ('text' in value && value.text !== undefined) return cellText(value.text as CellValue);
		if ('result' in value) return cellText(value.result as CellValue);
		if ('error' in value) return String(value.error);
	}
	return String(value);
}

/** A whole zip ends with its central directory; a download cut short does not (checked before unzipping). */
function hasZipDirectory(bytes: Uint8Array): boolean {
	const tail = bytes.subarray(Math.max(0, bytes.length - 65_557));
	for (let i = tail.length - 22; i >= 0; i--)
		if (tail[i] === 0x50 && tail[i + 1] === 0x4b && tail[i + 2] === 0x05 && tail[i + 3] === 0x06) return true;
	return false;
}

type SheetRow = { number: number; values: CellValue[] };

/** Rows of the first worksheet, streamed (memory stays flat however long the sheet is). */
async function* streamedRows(bytes: Uint8Array): AsyncGenerator<SheetRow> {
	const options = { entries: 'emit', sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'ignore', worksheets: 'emit' } as const;
	const reader = new ExcelJS.stream.xlsx.WorkbookReader(
		Readable.from(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)),
		options as never
	);
	// Only the first worksheet: staff lists have one, and a second sheet is usually notes.
	for await (const sheet of reader as unknown as AsyncIterable<AsyncIterable<SheetRow>>) {
		yield* sheet;
		return;
	}
}

/**
 * Rows of the first worksheet, the whole workbook in memory. The streaming reader needs the zip's
 * parts in the usual order (workbook before sheets); files written otherwise are still valid.
 */
async function* loadedRows(bytes: Uint8Array): AsyncGenerator<SheetRow> {
	const workbook = new ExcelJS.Workbook();
	await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as never);
	const sheet = workbook.worksheets[0];
	if (!sheet) return;
	const rows: SheetRow[] = [];
	sheet.eachRow({ includeEmpty: false }, (row, number) => rows.push({ number, values: row.values as CellValue[] }));
	yield* rows;
}

async function readSheet(source: AsyncIterable<SheetRow>): Promise<ParsedFile> {
	let mapping: ReturnType<typeof mapHeader> | undefined;
	const rows: RawRow[] = [];
	for await (const row of source) {
		const cells = (row.values ?? []).slice(1).map(cellText);
		if (!mapping) {
			if (cells.every((c) => !clean(c))) continue;
			mapping = mapHeader(cells);
			continue;
		}
		const parsed = toRow(row.number, cells, mapping.index);
		if (!parsed) continue;
		if (rows.length >= MAX_ROWS) throw new ImportFileError('too_many_rows', String(MAX_ROWS));
		rows.push(parsed);
	}
	if (!mapping) throw new ImportFileError('empty');
	return { format: 'xlsx', encoding: null, headers: mapping.headers, rows };
}

async function parseXlsx(bytes: Uint8Array): Promise<ParsedFile> {
	if (!hasZipDirectory(bytes)) throw new ImportFileError('broken_xlsx');
	try {
		return await readSheet(streamedRows(bytes));
	} catch (e) {
		if (e instanceof ImportFileError) throw e;
	}
	try {
		return await readSheet(loadedRows(bytes));
	} catch (e) {
		if (e instanceof ImportFileError) throw e;
		throw new ImportFileError('broken_xlsx', (e as Error).message);
	}
}

/** Reads an uploaded staff file; throws ImportFileError when it cannot be used at all. */
export async function parseImportFile(bytes: Uint8Array, fileName: string): Promise<ParsedFile> {
	if (bytes.byteLength === 0) throw new ImportFileError('empty');
	if (bytes.byteLength > MAX_FILE_BYTES) throw new ImportFileError('too_large', String(MAX_FILE_BYTES));
	return sniff(bytes, fileName) === 'xlsx' ? parseXlsx(bytes) : parseCsv(bytes);
}
