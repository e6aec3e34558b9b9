// `npm run import:users -- FILE [--dry-run] [--links OUT.csv]`: the staff import as a command.
// Same parsing, checks and summary as the admin page; applies in one transaction unless --dry-run or
// the file has errors. New accounts' activation links go to a CSV file (the only copy of the tokens).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { connect, migrate, useConnection } from '../src/lib/server/db';
import { importFile, ImportFileError, linksCsv, MAX_FILE_BYTES, type RowError } from '../src/lib/server/admin/import';

const USAGE = `Usage: npm run import:users -- FILE [--dry-run] [--links OUT.csv]

Imports staff from a CSV (UTF-8, UTF-8 with BOM or GB18030) or XLSX file. Columns by header:
username/工号, name/姓名, department/部门编码, email/邮箱 (optional), roles/角色 (optional, ';'-separated),
status/状态 (optional: active/在职, inactive/离职 deactivates the account).
Uses DATABASE_URL, or the embedded database in DATA_DIR (default .data/; stop the app first).`;

const args = process.argv.slice(2);
const dryRun = args.includes('--dry-run');
let file: string | undefined;
let linksFile: string | undefined;
for (let i = 0; i < args.length; i++) {
	if (args[i] === '--links') linksFile = args[++i];
	else if (!args[i].startsWith('--')) file ??= args[i];
}
if (!file || args.includes('--help')) {
	console.error(USAGE);
	process.exit(2);
}

const FIELD: Record<RowError['column'], string> = {
	username: 'username (工号)',
	name: 'name (姓名)',
	department: 'department (部门编码)',
	email: 'email (邮箱)',
	roles: 'roles (角色)',
	status: 'status (状态)'
};

function describe(e: RowError): string {
	switch (e.kind) {
		case 'missing':
			return 'missing required value';
		case 'duplicate':
			return `duplicate username in the file (first on row ${e.firstRow})`;
		case 'bad_email':
			return 'not a valid email address';
		case 'unknown_department':
			return 'unknown department code';
		case 'inactive_department':
			return 'department is deactivated';
		case 'unknown_role':
			return 'unknown role (use learner, trainer, hr, admin)';
		case 'bad_username':
			return 'username may contain only letters, digits and . _ @ -';
		case 'too_long':
			return 'value is too long';
		case 'bad_status':
			return 'unknown status (use active/在职 or inactive/离职)';
		case 'own_admin':
			return "an import cannot remove the importing admin's own admin role or account";
		case 'last_admin':
			return 'this would leave no active admin';
	}
}

const FILE_PROBLEMS: Record<string, string> = {
	empty: 'the file is empty',
	too_large: `the file is larger than ${MAX_FILE_BYTES / 1024 / 1024} MB`,
	wrong_type: 'this is not a CSV or XLSX file',
	old_xls: 'old Excel .xls files are not supported: save it as .xlsx or CSV',
	broken_xlsx: 'the XLSX file is damaged or not really an XLSX file',
	broken_csv: 'the CSV file cannot be read (unbalanced quotes?)',
	missing_columns: 'required columns are missing',
	duplicate_column: 'a column appears twice',
	too_many_rows: 'too many rows in one file'
};

let bytes: Uint8Array;
try {
	bytes = readFileSync(file);
} catch (e) {
	console.error(`${file}: cannot read the file (${(e as Error).message})`);
	process.exit(1);
}

const conn = await connect({ url: process.env.DATABASE_URL || undefined });
useConnection(conn);
let status = 0;
try {
	// A fresh checkout has an empty embedded database: bring it to the current schema first.
	await migrate(conn);
	const started = performance.now();
	const result = await importFile(bytes, path.basename(file), { dryRun });
	const { parsed, plan } = result;
	const byRow = new Map(parsed.rows.map((r) => [r.row, r]));
	console.log(`${file}: ${parsed.format.toUpperCase()}${parsed.encoding ? `, ${parsed.encoding}` : ''}, ${plan.total} rows`);
	console.log(`  to create: ${plan.creates.length}`);
	console.log(`  to update: ${plan.updates.length}`);
	console.log(`  unchanged: ${plan.unchanged}`);
	console.log(`  errors:    ${plan.errors.length}`);
	if (plan.errors.length) {
		console.log('\nErrors (row numbers as the spreadsheet shows them):');
		for (const e of plan.errors) {
			const r = byRow.get(e.row);
			const who = r ? ` [${[r.username, r.name].filter(Boolean).join(' ')}]` : '';
			console.log(`  row ${e.row}${who}, ${FIELD[e.column]}: "${e.value}": ${describe(e)}`);
		}
		console.log('\nNothing was written: fix the errors and run the import again.');
		status = 1;
	} else if (dryRun) {
		console.log('\nDry run: nothing was written.');
	} else if (result.batchId === null) {
		console.log('\nNothing to change: every row already matches.');
	} else {
		console.log(
			`\nApplied as batch ${result.batchId}: ${result.created.length} created, ${result.updated} updated (${Math.round(performance.now() - started)} ms).`
		);
		if (result.created.length) {
			const origin = process.env.ORIGIN ?? `http://localhost:${process.env.PORT ?? '3000'}`;
			const out = linksFile ?? `activation-links-batch-${result.batchId}.csv`;
			writeFileSync(out, linksCsv(origin, result.created), { mode: 0o600 });
			console.log(`Activation links (valid 14 days) for the ${result.created.length} new accounts: ${out}`);
			console.log('Keep that file safe; it is the only copy. The admin page can issue fresh links for the batch later.');
		}
	}
} catch (e) {
	if (e instanceof ImportFileError) {
		console.error(`${file}: ${FILE_PROBLEMS[e.code] ?? e.code}${e.detail ? ` (${e.detail})` : ''}. Nothing was written.`);
		status = 1;
	} else {
		console.error(`${file}: the import failed and was rolled back: ${(e as Error).message}`);
		status = 1;
	}
} finally {
	await conn.close();
}
process.exit(status);
