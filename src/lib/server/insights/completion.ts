import { db, rows, sql } from '../db';
import { completionCells, rollUp } from './cells';
import type { Context } from './context';
import { courseWhere } from './filters';
import { visibleTree, type TreeDept } from './tree';

/** Required-learning counts; always shown with their denominator (`assigned`). */
export interface Counts {
	assigned: number;
	completed: number;
	inProgress: number;
	notStarted: number;
	overdue: number;
}

export interface CourseColumn {
	id: string;
	title: string;
}

export interface MatrixRow extends TreeDept {
	cells: Record<string, Counts>;
	total: Counts;
}

export interface Matrix {
	courses: CourseColumn[];
	rows: MatrixRow[];
}

export const emptyCounts = (): Counts => ({ assigned: 0, completed: 0, inProgress: 0, notStarted: 0, overdue: 0 });

export function addCounts(into: Counts, c: Counts): Counts {
	into.assigned += c.assigned;
	into.completed += c.completed;
	into.inProgress += c.inProgress;
	into.notStarted += c.notStarted;
	into.overdue += c.overdue;
	return into;
}

type CellRow = { department_id: number; course_id: string; assigned: number; done: number; active: number; overdue: number };

function toCounts(r: CellRow): Counts {
	const assigned = Number(r.assigned);
	const completed = Number(r.done);
	const inProgress = Number(r.active);
	return { assigned, completed, inProgress, notStarted: assigned - completed - inProgress, overdue: Number(r.overdue) };
}

/** Published courses (course and competency filters applied), in catalogue order. */
export async function courseColumns(ctx: Context): Promise<CourseColumn[]> {
	const found = await rows<{ id: string; title: string }>(
		db,
		sql`select c.id, ${sql.raw(ctx.locale === 'en' ? 'c.title_en' : 'c.title_zh')} as title from course c
		where c.present and not c.draft and ${courseWhere(ctx, sql`c.id`)} order by c.position, c.id`
	);
	return found.map((r) => ({ id: r.id, title: r.title }));
}

/** Counts per course for the given departments, each summed over its whole subtree. */
export async function completionFor(ctx: Context, departmentIds: number[]): Promise<Map<number, Map<string, Counts>>> {
	const found = departmentIds.length
		? await rows<CellRow>(db, rollUp(completionCells(ctx), departmentIds, 'course_id', ['assigned', 'done', 'active', 'overdue']))
		: [];
	const out = new Map<number, Map<string, Counts>>(departmentIds.map((id) => [id, new Map()]));
	for (const r of found) out.get(Number(r.department_id))?.set(r.course_id, toCounts(r));
	return out;
}

/**
 * The completion matrix: the report root, its children and the children of expanded departments,
 * by course. A parent's numbers are its whole subtree; a person counts once per course.
 */
export async function completionMatrix(ctx: Context, expand: number[] = []): Promise<Matrix> {
	const [tree, courses] = await Promise.all([visibleTree(ctx, expand), courseColumns(ctx)]);
	const counts = await completionFor(
		ctx,
		tree.map((d) => d.id)
	);
	const rowsOut = tree.map((dept) => {
		const byCourse = counts.get(dept.id) ?? new Map<string, Counts>();
		const cells: Record<string, Counts> = {};
		const total = emptyCounts();
		for (const course of courses) {
			const c = byCourse.get(course.id) ?? emptyCounts();
			cells[course.id] = c;
			addCounts(total, c);
		}
		return { ...dept, cells, total };
	});
	return { courses, rows: rowsOut };
}
