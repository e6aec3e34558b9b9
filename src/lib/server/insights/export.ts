// Exports of every insights table as CSV (UTF-8 with BOM, so Excel on Chinese Windows opens it right)
// and XLSX (exceljs's streaming writer). Rows are fetched in batches by keyset and written as they
// come, so memory stays flat however many rows there are; the client's pace drives the queries.
import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { m } from '$lib/paraglide/messages';
import { db, rows, sql } from '../db';
import { csvFile, csvLines, safeRow, type Cell } from '../spreadsheet';
import { completionCells, masteryCells, rollUp } from './cells';
import { courseColumns, type Counts } from './completion';
import { likePrefix, nameSql, type Context } from './context';
import { personFigures, personRecord, toStaffRow, type PersonStatus } from './people';
import { competencyColumns, toMastery } from './skills';

export const VIEWS = ['completion', 'skills', 'staff', 'record'] as const;
export type View = (typeof VIEWS)[number];
export type { Cell };

export interface Table {
	title: string;
	/** ASCII file name part (Content-Disposition fallback) and the localized one. */
	fileAscii: string;
	fileName: string;
	columns: string[];
	batches: () => AsyncGenerator<Cell[][]>;
}

const DEPARTMENT_BATCH = 100;
const STAFF_BATCH = 1000;

const pct = (n: number, d: number): number | null => (d > 0 ? Math.round((1000 * n) / d) / 10 : null);

type Opt = { locale: Context['locale'] };

/** The status labels of a course cell, made once per export rather than once per cell. */
function statusLabels(o: Opt): (status: PersonStatus, overdue: boolean) => string {
	const base: Record<PersonStatus, string> = {
		completed: m.ins_status_completed({}, o),
		'in-progress': m.ins_status_in_progress({}, o),
		'not-started': m.ins_status_not_started({}, o)
	};
	const late = m.ins_status_overdue({}, o);
	return (status, overdue) => (overdue ? `${base[status]} (${late})` : base[status]);
}

/** Departments of the subtree in path order, a batch at a time (keyset on the path). */
async function* departmentBatches(ctx: Context) {
	let after = '';
	for (;;) {
		const batch = await rows<{ id: number; code: string; name: string; depth: number; path: string }>(
			db,
			sql`select d.id, d.code, ${nameSql(ctx.locale)} as name, d.depth, d.path from department d
			where d.path like ${likePrefix(ctx.root.path)} and d.path collate "C" > ${after}
			order by d.path collate "C" limit ${DEPARTMENT_BATCH}`
		);
		if (!batch.length) return;
		yield batch.map((d) => ({ id: Number(d.id), code: d.code, name: d.name, level: Number(d.depth) - ctx.root.depth }));
		after = batch[batch.length - 1].path;
	}
}

function completionTable(ctx: Context): Table {
	const o = { locale: ctx.locale };
	return {
		title: m.ins_matrix_title({}, o),
		fileAscii: 'completion',
		fileName: m.ins_export_file_completion({}, o),
		columns: [
			m.ins_col_department_code({}, o),
			m.ins_col_department({}, o),
			m.ins_col_level({}, o),
			m.ins_col_course_id({}, o),
			m.ins_col_course({}, o),
			m.ins_col_assigned({}, o),
			m.ins_col_completed({}, o),
			m.ins_col_in_progress({}, o),
			m.ins_col_not_started({}, o),
			m.ins_col_overdue({}, o),
			m.ins_col_rate({}, o)
		],
		async *batches() {
			const courses = await courseColumns(ctx);
			for await (const depts of departmentBatches(ctx)) {
				const found = await rows<{
					department_id: number;
					course_id: string;
					assigned: number;
					done: number;
					active: number;
					overdue: number;
				}>(
					db,
					rollUp(
						completionCells(ctx),
						depts.map((d) => d.id),
						'course_id',
						['assigned', 'done', 'active', 'overdue']
					)
				);
				const cell = new Map(found.map((r) => [`${r.department_id}/${r.course_id}`, r]));
				const out: Cell[][] = [];
				for (const d of depts) {
					for (const c of courses) {
						const r = cell.get(`${d.id}/${c.id}`);
						const counts: Counts = r
							? {
									assigned: Number(r.assigned),
									completed: Number(r.done),
									inProgress: Number(r.active),
									notStarted: Number(r.assigned) - Number(r.done) - Number(r.active),
									overdue: Number(r.overdue)
								}
							: { assigned: 0, completed: 0, inProgress: 0, notStarted: 0, overdue: 0 };
						out.push([
							d.code,
							d.name,
							d.level,
							c.id,
							c.title,
							counts.assigned,
							counts.completed,
							counts.inProgress,
							counts.notStarted,
							counts.overdue,
							pct(counts.completed, counts.assigned)
						]);
					}
				}
				yield out;
			}
		}
	};
}

function skillsTable(ctx: Context): Table {
	const o = { locale: ctx.locale };
	const suppressed = m.ins_suppressed({}, o);
	return {
		title: m.ins_skills_title({}, o),
		fileAscii: 'skills',
		fileName: m.ins_export_file_skills({}, o),
		columns: [
			m.ins_col_department_code({}, o),
			m.ins_col_department({}, o),
			m.ins_col_level({}, o),
			m.ins_col_competency_id({}, o),
			m.ins_col_competency({}, o),
			m.ins_col_mastery({}, o),
			m.ins_col_people({}, o),
			m.ins_col_points_earned({}, o),
			m.ins_col_points_possible({}, o)
		],
		async *batches() {
			const competencies = await competencyColumns(ctx);
			for await (const depts of departmentBatches(ctx)) {
				const found = await rows<{ department_id: number; competency_id: string; earned: number; possible: number; people: number }>(
					db,
					rollUp(
						masteryCells(ctx),
						depts.map((d) => d.id),
						'competency_id',
						['earned', 'possible', 'people']
					)
				);
				const cell = new Map(found.map((r) => [`${r.department_id}/${r.competency_id}`, r]));
				const out: Cell[][] = [];
				for (const d of depts) {
					for (const k of competencies) {
						const r = cell.get(`${d.id}/${k.id}`);
						const x = toMastery(Number(r?.earned ?? 0), Number(r?.possible ?? 0), Number(r?.people ?? 0));
						out.push([
							d.code,
							d.name,
							d.level,
							k.id,
							k.name,
							x.suppressed ? suppressed : x.mastery === null ? null : Math.round(x.mastery * 1000) / 10,
							x.suppressed ? suppressed : x.people,
							x.suppressed ? suppressed : x.earned,
							x.suppressed ? suppressed : x.possible
						]);
					}
				}
				yield out;
			}
		}
	};
}

async function staffTable(ctx: Context): Promise<Table> {
	const o = { locale: ctx.locale };
	const [courses, competencies] = await Promise.all([courseColumns(ctx), competencyColumns(ctx)]);
	const statusText = statusLabels(o);
	return {
		title: m.ins_staff_title({}, o),
		fileAscii: 'staff',
		fileName: m.ins_export_file_staff({}, o),
		columns: [
			m.ins_col_username({}, o),
			m.ins_col_name({}, o),
			m.ins_col_department_code({}, o),
			m.ins_col_department({}, o),
			ctx.filters.from || ctx.filters.to ? m.ins_col_hours_period({}, o) : m.ins_col_hours_year({ year: String(ctx.year) }, o),
			m.ins_col_required_assigned({}, o),
			m.ins_col_required_completed({}, o),
			m.ins_col_overdue({}, o),
			...courses.map((c) => c.title),
			...competencies.map((k) => m.ins_col_mastery_of({ name: k.name }, o))
		],
		async *batches() {
			let after = 0;
			for (;;) {
				const people = sql`
					select u.id, u.username, u.display_name, u.department_id, ${nameSql(ctx.locale)} as department_name, d.code as department_code, 0 as total
					from "user" u join department d on d.id = u.department_id
					where d.path like ${likePrefix(ctx.root.path)} and u.status <> 'inactive' and u.id > ${after}
					order by u.id limit ${STAFF_BATCH}`;
				const found = await rows<Parameters<typeof toStaffRow>[0] & { department_code: string }>(
					db,
					sql`${personFigures(ctx, people)} order by p.id`
				);
				if (!found.length) return;
				yield found.map((r) => {
					const s = toStaffRow(r);
					const required = Object.values(s.courses).filter((c) => c.required);
					return [
						s.username,
						s.name,
						r.department_code,
						s.departmentName,
						s.hours,
						required.length,
						required.filter((c) => c.status === 'completed').length,
						required.filter((c) => c.overdue).length,
						...courses.map((c) => (s.courses[c.id] ? statusText(s.courses[c.id].status, s.courses[c.id].overdue) : '')),
						...competencies.map((k) => {
							const x = s.mastery[k.id];
							return x?.mastery == null ? null : Math.round(x.mastery * 1000) / 10;
						})
					];
				});
				after = Number(found[found.length - 1].id);
			}
		}
	};
}

async function recordTable(ctx: Context, personId: number): Promise<Table | undefined> {
	const o = { locale: ctx.locale };
	const record = await personRecord(ctx, personId);
	if (!record) return undefined;
	const p = record.person;
	return {
		title: m.ins_record_title({}, o),
		fileAscii: `record-${p.username.replace(/[^A-Za-z0-9_-]/g, '') || p.id}`,
		fileName: `${m.ins_export_file_record({}, o)}-${p.name}`,
		columns: [
			m.ins_col_username({}, o),
			m.ins_col_name({}, o),
			m.ins_col_completed_on({}, o),
			m.ins_col_course_id({}, o),
			m.ins_col_course({}, o),
			m.ins_col_hours({}, o),
			m.ins_col_score({}, o),
			m.ins_col_certificate({}, o),
			m.ins_col_department_at_completion({}, o),
			m.ins_col_valid({}, o)
		],
		// One person's completions: a few dozen rows at most, one query.
		async *batches() {
			yield record.completions.map((c) => [
				p.username,
				p.name,
				c.completedAt,
				c.courseId,
				c.title,
				c.hours,
				c.score,
				c.certificateCode,
				c.departmentName,
				c.revoked ? m.ins_revoked({}, o) : m.ins_valid({}, o)
			]);
		}
	};
}

/** The table for a view; undefined when the person of a record is outside the scope. */
export async function exportTable(ctx: Context, view: View, personId?: number): Promise<Table | undefined> {
	if (view === 'completion') return completionTable(ctx);
	if (view === 'skills') return skillsTable(ctx);
	if (view === 'staff') return staffTable(ctx);
	if (personId === undefined) return undefined;
	return recordTable(ctx, personId);
}

/** CSV, UTF-8 with BOM, one batch of rows per pull. */
export function csvStream(table: Table): ReadableStream<Uint8Array> {
	const encoder = new TextEncoder();
	let batches: AsyncGenerator<Cell[][]> | undefined;
	return new ReadableStream<Uint8Array>({
		start(controller) {
			controller.enqueue(encoder.encode(csvFile([table.columns])));
		},
		async pull(controller) {
			batches ??= table.batches();
			const next = await batches.next();
			if (next.done) controller.close();
			else if (next.value.length) controller.enqueue(encoder.encode(csvLines(next.value)));
		},
		async cancel() {
			await batches?.return(undefined);
		}
	});
}

/** XLSX through exceljs's streaming writer; waits for the client whenever its buffer is full. */
export function xlsxStream(table: Table): ReadableStream<Uint8Array> {
	const out = new PassThrough({ highWaterMark: 256 * 1024 });
	const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
	const sheet = workbook.addWorksheet(table.title.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31) || 'GovLearn');
	const drained = () =>
		new Promise<void>((resolve) => {
			const done = () => {
				out.off('drain', done);
				out.off('close', done);
				resolve();
			};
			out.once('drain', done);
			out.once('close', done);
		});
	(async () => {
		sheet.addRow(safeRow(table.columns)).commit();
		for await (const batch of table.batches()) {
			for (const row of batch) sheet.addRow(safeRow(row)).commit();
			// Let the compressor take what we wrote (it keeps up: the heap stays flat), then wait
			// while the client is behind: at most `out`'s buffer of compressed bytes waits for it.
			await new Promise((resolve) => setImmediate(resolve));
			while (out.writableNeedDrain && !out.destroyed) await drained();
			if (out.destroyed) return;
		}
		sheet.commit();
		await workbook.commit();
	})().catch((err) => out.destroy(err as Error));
	return Readable.toWeb(out) as unknown as ReadableStream<Uint8Array>;
}

/** `attachment` with an ASCII file name and the localized one (RFC 6266 / RFC 5987). */
export function contentDisposition(ascii: string, utf8: string): string {
	const fallback = ascii.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
	const encoded = encodeURIComponent(utf8).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
	return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** The streamed HTTP response for a table. */
export function exportResponse(table: Table, format: 'csv' | 'xlsx', today: string): Response {
	const ascii = `govlearn-${table.fileAscii}-${today}.${format}`;
	const utf8 = `${table.fileName}-${today}.${format}`;
	const body = format === 'csv' ? csvStream(table) : xlsxStream(table);
	return new Response(body, {
		headers: {
			'content-type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
			'content-disposition': contentDisposition(ascii, utf8),
			'cache-control': 'private, no-store',
			'x-content-type-options': 'nosniff'
		}
	});
}
