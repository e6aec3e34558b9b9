// Bulk staff import: preview (nothing written but the batch row), apply (one transaction, batched
// multi-row statements, no password hashing), activation links for the new accounts.
// Relative imports only: `npm run import:users` runs this under tsx, outside Vite.
import { createHash } from 'node:crypto';
import { and, desc, eq, isNotNull, lt, sql as dsql } from 'drizzle-orm';
import { db, rows, schema, sql, type Executor } from '../../db';
import type { ImportBatch } from '../../db/schema';
import { audit, safeIp } from '../../audit';
import { currentRequest } from '../../request-context';
import { csvFile } from '../../spreadsheet';
import { AdminError, type Actor } from '../errors';
import { activationExpiry, activationLink, issueTokens } from '../tokens';
import { notifyActivation } from '../../notifications/events';
import { parseImportFile, type ParsedFile, type RawRow } from './parse';
import { planImport, type ImportPlan, type RowError } from './plan';

export { ImportFileError, MAX_FILE_BYTES, type FileProblemCode, type ImportField } from './parse';
export type { ImportPlan, RowError, RowErrorKind } from './plan';

/** Rows per statement when writing: large enough to be fast, small enough for any Postgres. */
const CHUNK = 5000;
const IMPORT_LOCK = 71_101;
const SAMPLE = 20;

export interface ImportSample {
	creates: { row: number; username: string; name: string; email: string | null; department: string; roles: string[] }[];
	updates: {
		row: number;
		username: string;
		changes: { field: 'name' | 'email' | 'department' | 'roles' | 'status'; before: string; after: string }[];
	}[];
}

export interface NewAccount {
	id: number;
	username: string;
	name: string;
	token: string;
}

function sha256(bytes: Uint8Array): string {
	return createHash('sha256').update(bytes).digest('hex');
}

function sampleOf(plan: ImportPlan): ImportSample {
	const code = (id: number | undefined) => (id === undefined ? '' : (plan.codes.get(id) ?? String(id)));
	const text = (v: unknown) => (v === null || v === undefined ? '' : Array.isArray(v) ? v.join('; ') : String(v));
	return {
		creates: plan.creates
			.slice(0, SAMPLE)
			.map((c) => ({ row: c.row, username: c.username, name: c.name, email: c.email, department: code(c.departmentId), roles: c.roles })),
		updates: plan.updates.slice(0, SAMPLE).map((u) => ({
			row: u.row,
			username: u.username,
			changes: (['name', 'email', 'departmentId', 'roles', 'status'] as const)
				.filter((f) => f in u.after)
				.map((f) =>
					f === 'departmentId'
						? { field: 'department' as const, before: code(u.before.departmentId), after: code(u.after.departmentId) }
						: { field: f, before: text(u.before[f]), after: text(u.after[f]) }
				)
		}))
	};
}

/**
 * Reads an uploaded file and plans the import without touching any account. The parsed rows wait in
 * an import_batch row (so any app server can apply them); returns its id.
 * Throws ImportFileError when the file cannot be used at all.
 */
export async function preview(bytes: Uint8Array, fileName: string, actor: Actor): Promise<number> {
	const parsed = await parseImportFile(bytes, fileName);
	const plan = await planImport(db, parsed.rows, actor);
	const [batch] = await db
		.insert(schema.importBatch)
		.values({
			createdBy: actor?.id ?? null,
			source: 'web',
			fileName: fileName.slice(0, 200),
			fileHash: sha256(bytes),
			fileSize: bytes.byteLength,
			format: parsed.format,
			encoding: parsed.encoding,
			totalRows: plan.total,
			toCreate: plan.creates.length,
			toUpdate: plan.updates.length,
			unchanged: plan.unchanged,
			errorCount: plan.errors.length,
			// Errors block the apply, so a file with errors keeps only its errors.
			rows: plan.errors.length ? null : parsed.rows,
			errors: plan.errors,
			sample: sampleOf(plan)
		})
		.returning({ id: schema.importBatch.id });
	// Previews nobody applied within a day give their rows back.
	await db
		.update(schema.importBatch)
		.set({ rows: null })
		.where(
			and(
				eq(schema.importBatch.status, 'preview'),
				isNotNull(schema.importBatch.rows),
				lt(schema.importBatch.createdAt, dsql`now() - interval '1 day'`)
			)
		);
	return batch.id;
}

export type BatchView = Omit<ImportBatch, 'rows' | 'errors' | 'sample'> & {
	sample: ImportSample | null;
	createdByUsername: string | null;
	appliedByUsername: string | null;
	pendingLinks: number;
};

/** A batch for its page (without its rows); errors separately, a page at a time. */
export async function getBatch(id: number): Promise<BatchView | null> {
	const [row] = await rows<BatchView>(
		db,
		sql`select b.id, b.created_at as "createdAt", b.created_by as "createdBy", b.source, b.file_name as "fileName", b.file_hash as "fileHash",
		           b.file_size as "fileSize", b.format, b.encoding, b.status, b.total_rows as "totalRows", b.to_create as "toCreate",
		           b.to_update as "toUpdate", b.unchanged, b.error_count as "errorCount", b.sample, b.applied_at as "appliedAt",
		           b.applied_by as "appliedBy", b.created_count as "createdCount", b.updated_count as "updatedCount",
		           c.username as "createdByUsername", a.username as "appliedByUsername",
		           (select count(distinct t.user_id)::int from activation_token t join "user" u on u.id = t.user_id
		             where t.batch_id = b.id and u.status = 'pending') as "pendingLinks"
		      from import_batch b left join "user" c on c.id = b.created_by left join "user" a on a.id = b.applied_by
		     where b.id = ${id}`
	);
	if (!row) return null;
	return { ...row, createdAt: new Date(row.createdAt), appliedAt: row.appliedAt ? new Date(row.appliedAt) : null };
}

/** Errors of a batch, in row order: one page, or all of them (for the CSV). */
export async function batchErrors(id: number, page?: { offset: number; limit: number }): Promise<RowError[]> {
	const slice = page ? sql`limit ${page.limit} offset ${page.offset}` : sql``;
	return rows<RowError>(
		db,
		sql`select e.value as err from import_batch b, jsonb_array_elements(b.errors) with ordinality e(value, n) where b.id = ${id} order by e.n ${slice}`
	).then((r) => r.map((x) => (x as unknown as { err: RowError }).err));
}

/** The latest batches, newest first. */
export async function recentBatches(limit = 10) {
	return db
		.select({
			id: schema.importBatch.id,
			createdAt: schema.importBatch.createdAt,
			fileName: schema.importBatch.fileName,
			source: schema.importBatch.source,
			status: schema.importBatch.status,
			totalRows: schema.importBatch.totalRows,
			errorCount: schema.importBatch.errorCount,
			createdCount: schema.importBatch.createdCount,
			updatedCount: schema.importBatch.updatedCount
		})
		.from(schema.importBatch)
		.orderBy(desc(schema.importBatch.id))
		.limit(limit);
}

/**
 * Writes a plan: new accounts (pending, with a fresh activation link each) and updates, in chunks of
 * multi-row statements, each change with its audit row. Call inside a transaction. Unchanged rows are
 * not touched. Throws AdminError('import_stale') if an account appeared meanwhile.
 */
export async function writePlan(
	tx: Executor,
	plan: ImportPlan,
	batchId: number,
	actor: Actor
): Promise<{ created: NewAccount[]; updated: number }> {
	const event = currentRequest();
	const who = sql`${actor?.id ?? null}::int, ${actor?.username ?? null}::text, ${event ? safeIp(event) : null}::text, ${event?.locals.requestId ?? null}::text`;
	const created: { id: number; username: string; name: string }[] = [];
	for (let i = 0; i < plan.creates.length; i += CHUNK) {
		const chunk = plan.creates
			.slice(i, i + CHUNK)
			.map((c) => ({ username: c.username, name: c.name, email: c.email, department_id: c.departmentId, roles: c.roles }));
		const inserted = await rows<{ id: number; username: string; name: string }>(
			tx,
			sql`with ins as (
				insert into "user" (username, display_name, email, department_id, roles, status)
				select r.username, r.name, r.email, r.department_id, r.roles, 'pending'
				  from jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb) as r(username text, name text, email text, department_id int, roles text[])
				on conflict (username) do nothing
				returning id, username, display_name, email, department_id, roles
			), logged as (
				insert into audit_log (actor_id, actor_username, ip, request_id, action, target_type, target_id, after)
				select ${who}, 'user.create', 'user', ins.id::text,
				       jsonb_build_object('username', ins.username, 'name', ins.display_name, 'email', ins.email, 'departmentId', ins.department_id,
				                          'roles', to_jsonb(ins.roles), 'status', 'pending', 'importBatch', ${batchId}::int)
				  from ins
			)
			select id, username, display_name as name from ins`
		);
		// Someone created one of these usernames since the plan was made: start over with a fresh preview.
		if (inserted.length !== chunk.length) throw new AdminError('import_stale');
		created.push(...inserted);
	}
	let updated = 0;
	for (let i = 0; i < plan.updates.length; i += CHUNK) {
		const chunk = plan.updates.slice(i, i + CHUNK).map((u) => ({
			id: u.id,
			name: u.name,
			email: u.email,
			department_id: u.departmentId,
			roles: u.roles,
			status: u.status,
			before: u.before,
			after: u.after
		}));
		const [{ n }] = await rows<{ n: number }>(
			tx,
			sql`with upd as (
				update "user" u set display_name = r.name, email = r.email, department_id = r.department_id, roles = r.roles, status = r.status, updated_at = now()
				  from jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb) as r(id int, name text, email text, department_id int, roles text[], status text, before jsonb, after jsonb)
				 where u.id = r.id
				returning u.id, u.status, r.before, r.after
			), ended as (
				-- A leaver's sessions end now and their unused links stop working; their records stay.
				delete from session s using upd where s.user_id = upd.id and upd.status = 'inactive'
			), unlinked as (
				delete from activation_token t using upd where t.user_id = upd.id and upd.status = 'inactive' and t.used_at is null
			), logged as (
				insert into audit_log (actor_id, actor_username, ip, request_id, action, target_type, target_id, before, after)
				select ${who}, 'user.update', 'user', upd.id::text, upd.before, upd.after || jsonb_build_object('importBatch', ${batchId}::int) from upd
			)
			select count(*)::int as n from upd`
		);
		updated += n;
	}
	const tokens = await issueTokens(
		tx,
		created.map((c) => c.id),
		batchId
	);
	await notifyActivation(tx, tokens, activationExpiry());
	return { created: created.map((c) => ({ ...c, token: tokens.get(c.id)! })), updated };
}

async function lockImports(tx: Executor): Promise<void> {
	// Two imports at once could both plan "create G10001"; one at a time keeps the plans honest.
	await tx.execute(sql`select pg_advisory_xact_lock(${IMPORT_LOCK})`);
}

/**
 * Applies a previewed batch in one transaction: re-checks it against the database as it is now,
 * writes it, and returns the new accounts with their raw activation tokens (never stored).
 * `hash` must be the file hash the preview showed, so an old page cannot apply a different file.
 */
export async function apply(batchId: number, hash: string, actor: Actor): Promise<{ created: NewAccount[]; updated: number }> {
	return db.transaction(async (tx) => {
		await lockImports(tx);
		const [batch] = await tx.select().from(schema.importBatch).where(eq(schema.importBatch.id, batchId)).for('update');
		if (!batch) throw new AdminError('not_found');
		if (batch.status === 'applied') throw new AdminError('import_applied');
		if (batch.fileHash !== hash) throw new AdminError('import_mismatch');
		if (batch.errorCount > 0) throw new AdminError('import_has_errors');
		if (!batch.rows) throw new AdminError('import_stale');
		const plan = await planImport(tx, batch.rows as RawRow[], actor);
		if (plan.errors.length) throw new AdminError('import_stale');
		const result = await writePlan(tx, plan, batch.id, actor);
		await tx
			.update(schema.importBatch)
			.set({
				status: 'applied',
				appliedAt: new Date(),
				appliedBy: actor?.id ?? null,
				createdCount: result.created.length,
				updatedCount: result.updated,
				toCreate: plan.creates.length,
				toUpdate: plan.updates.length,
				unchanged: plan.unchanged,
				rows: null
			})
			.where(eq(schema.importBatch.id, batch.id));
		await audit(
			{
				action: 'user.import.apply',
				targetType: 'import_batch',
				targetId: batch.id,
				after: {
					fileName: batch.fileName,
					fileHash: batch.fileHash,
					rows: plan.total,
					created: result.created.length,
					updated: result.updated,
					unchanged: plan.unchanged
				},
				actor
			},
			tx
		);
		return result;
	});
}

/**
 * New links for the batch's accounts that are still pending; their older links stop working.
 * (Raw tokens exist only in the returned list: the export is the only place they appear.)
 */
export async function reissueLinks(batchId: number, actor: Actor): Promise<NewAccount[]> {
	return db.transaction(async (tx) => {
		const [batch] = await tx
			.select({ id: schema.importBatch.id, status: schema.importBatch.status })
			.from(schema.importBatch)
			.where(eq(schema.importBatch.id, batchId))
			.for('update');
		if (!batch) throw new AdminError('not_found');
		const pending = await rows<{ id: number; username: string; name: string }>(
			tx,
			sql`select u.id, u.username, u.display_name as name from "user" u
			     where u.status = 'pending' and exists (select 1 from activation_token t where t.user_id = u.id and t.batch_id = ${batchId})
			     order by u.username`
		);
		const tokens = await issueTokens(
			tx,
			pending.map((p) => p.id),
			batchId
		);
		await audit(
			{ action: 'user.import.links', targetType: 'import_batch', targetId: batchId, after: { links: pending.length }, actor },
			tx
		);
		return pending.map((p) => ({ ...p, token: tokens.get(p.id)! }));
	});
}

/** The links as CSV (UTF-8 with BOM; formulas in imported names neutralised, see spreadsheet.ts). */
export function linksCsv(origin: string, accounts: NewAccount[]): string {
	return csvFile([['username', 'name', 'link'], ...accounts.map((a) => [a.username, a.name, activationLink(origin, a.token)])]);
}

/** Every error of a batch as CSV, for fixing the file in Excel. */
export function errorsCsv(errors: RowError[], describe: (e: RowError) => string): string {
	return csvFile([['row', 'column', 'value', 'problem'], ...errors.map((e) => [e.row, e.column, e.value, describe(e)])]);
}

export interface CommandResult {
	parsed: ParsedFile;
	plan: ImportPlan;
	batchId: number | null;
	created: NewAccount[];
	updated: number;
}

/**
 * The command's import (`npm run import:users`): plan, and unless `dryRun` or the file has errors,
 * apply in the same transaction. The plan is made under the import lock, so what it printed is what
 * it wrote.
 */
export async function importFile(bytes: Uint8Array, fileName: string, options: { dryRun: boolean; actor?: Actor }): Promise<CommandResult> {
	const parsed = await parseImportFile(bytes, fileName);
	const actor = options.actor ?? null;
	return db.transaction(async (tx) => {
		if (!options.dryRun) await lockImports(tx);
		const plan = await planImport(tx, parsed.rows, actor);
		// A file that matches the database exactly leaves no trace at all: re-importing changes nothing.
		if (options.dryRun || plan.errors.length || plan.creates.length + plan.updates.length === 0)
			return { parsed, plan, batchId: null, created: [], updated: 0 };
		const [batch] = await tx
			.insert(schema.importBatch)
			.values({
				source: 'cli',
				fileName: fileName.slice(0, 200),
				fileHash: sha256(bytes),
				fileSize: bytes.byteLength,
				format: parsed.format,
				encoding: parsed.encoding,
				status: 'applied',
				totalRows: plan.total,
				toCreate: plan.creates.length,
				toUpdate: plan.updates.length,
				unchanged: plan.unchanged,
				sample: sampleOf(plan),
				appliedAt: new Date()
			})
			.returning({ id: schema.importBatch.id });
		const result = await writePlan(tx, plan, batch.id, actor);
		await tx
			.update(schema.importBatch)
			.set({ createdCount: result.created.length, updatedCount: result.updated })
			.where(eq(schema.importBatch.id, batch.id));
		await audit(
			{
				action: 'user.import.apply',
				targetType: 'import_batch',
				targetId: batch.id,
				after: {
					source: 'cli',
					fileName,
					rows: plan.total,
					created: result.created.length,
					updated: result.updated,
					unchanged: plan.unchanged
				},
				actor
			},
			tx
		);
		return { parsed, plan, batchId: batch.id, ...result };
	});
}
