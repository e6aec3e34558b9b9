import { db, rows, sql } from '../db';
import { masteryCells, rollUp } from './cells';
import { likePrefix, nameSql, type Context } from './context';
import { visibleTree, type TreeDept } from './tree';

/** Cells with fewer people than this are suppressed, on the page and in exports, for privacy. */
export const MIN_PEOPLE = 5;

export interface Mastery {
	/** Null when suppressed (fewer than MIN_PEOPLE people) or nobody was tested. */
	mastery: number | null;
	/** Null when suppressed: even the exact small count is withheld. */
	people: number | null;
	suppressed: boolean;
	/** Points, withheld (null) when suppressed. */
	earned: number | null;
	possible: number | null;
}

export interface CompetencyColumn {
	id: string;
	name: string;
}

export interface HeatmapRow extends TreeDept {
	cells: Record<string, Mastery>;
}

export interface Heatmap {
	competencies: CompetencyColumn[];
	rows: HeatmapRow[];
}

export interface Gap {
	departmentId: number;
	departmentCode: string;
	departmentName: string;
	competencyId: string;
	competencyName: string;
	mastery: number;
	people: number;
}

type MasteryRow = { department_id: number; competency_id: string; earned: number; possible: number; people: number };

/** Applies the privacy rule to raw sums. */
export function toMastery(earned: number, possible: number, people: number): Mastery {
	if (people === 0) return { mastery: null, people: 0, suppressed: false, earned: 0, possible: 0 };
	if (people < MIN_PEOPLE) return { mastery: null, people: null, suppressed: true, earned: null, possible: null };
	return { mastery: possible > 0 ? earned / possible : null, people, suppressed: false, earned, possible };
}

/** Competencies (filter applied), in framework order. */
export async function competencyColumns(ctx: Context): Promise<CompetencyColumn[]> {
	const found = await rows<{ id: string; name: string }>(
		db,
		sql`select k.id, ${sql.raw(ctx.locale === 'en' ? 'k.name_en' : 'k.name_zh')} as name from competency k
		where ${ctx.filters.competency ? sql`k.id = ${ctx.filters.competency}` : sql`true`} order by k.position, k.id`
	);
	return found.map((r) => ({ id: r.id, name: r.name }));
}

/** Mastery per competency for the given departments, each pooled over its whole subtree. */
export async function masteryFor(ctx: Context, departmentIds: number[]): Promise<Map<number, Map<string, Mastery>>> {
	const found = departmentIds.length
		? await rows<MasteryRow>(db, rollUp(masteryCells(ctx), departmentIds, 'competency_id', ['earned', 'possible', 'people']))
		: [];
	const out = new Map<number, Map<string, Mastery>>(departmentIds.map((id) => [id, new Map()]));
	for (const r of found)
		out.get(Number(r.department_id))?.set(r.competency_id, toMastery(Number(r.earned), Number(r.possible), Number(r.people)));
	return out;
}

const NOBODY: Mastery = { mastery: null, people: 0, suppressed: false, earned: 0, possible: 0 };

/**
 * The skill-gap heatmap: departments (the root, its children, expanded children) by competency. With
 * `sort`, siblings are ordered by that competency's mastery (weakest first for 'asc'); suppressed and
 * empty cells go last either way.
 */
export async function heatmap(ctx: Context, expand: number[] = [], sort?: { competency: string; dir: 'asc' | 'desc' }): Promise<Heatmap> {
	const [tree, competencies] = await Promise.all([visibleTree(ctx, expand), competencyColumns(ctx)]);
	const cells = await masteryFor(
		ctx,
		tree.map((d) => d.id)
	);
	let out: HeatmapRow[] = tree.map((dept) => {
		const byCompetency = cells.get(dept.id) ?? new Map<string, Mastery>();
		return { ...dept, cells: Object.fromEntries(competencies.map((k) => [k.id, byCompetency.get(k.id) ?? NOBODY])) };
	});
	if (sort && competencies.some((k) => k.id === sort.competency)) out = sortSiblings(out, sort.competency, sort.dir);
	return { competencies, rows: out };
}

/** Reorders each parent's children by one competency, keeping every subtree under its parent. */
function sortSiblings(list: HeatmapRow[], competency: string, dir: 'asc' | 'desc'): HeatmapRow[] {
	const children = new Map<number | null, HeatmapRow[]>();
	for (const row of list) {
		const key = row.level === 0 ? null : row.parentId;
		if (!children.has(key)) children.set(key, []);
		children.get(key)!.push(row);
	}
	const value = (r: HeatmapRow) => r.cells[competency]?.mastery;
	for (const group of children.values()) {
		group.sort((a, b) => {
			const va = value(a);
			const vb = value(b);
			if (va == null || vb == null) return va == null && vb == null ? 0 : va == null ? 1 : -1;
			return dir === 'asc' ? va - vb : vb - va;
		});
	}
	const out: HeatmapRow[] = [];
	const visit = (row: HeatmapRow) => {
		out.push(row);
		for (const child of children.get(row.id) ?? []) visit(child);
	};
	for (const top of children.get(null) ?? []) visit(top);
	return out;
}

/**
 * The largest gaps: the (working unit, competency) cells with the lowest mastery among cells that are
 * not suppressed. Working units are the departments without sub-departments, so cells never overlap
 * and a remediation assignment lands on the people the gap was measured on.
 */
export async function largestGaps(ctx: Context, limit = 5): Promise<Gap[]> {
	const found = await rows<MasteryRow & { code: string; name: string; competency_name: string }>(
		db,
		sql`select c.department_id, c.competency_id, c.earned, c.possible, c.people, d.code, ${nameSql(ctx.locale)} as name,
			${sql.raw(ctx.locale === 'en' ? 'k.name_en' : 'k.name_zh')} as competency_name
		from (${masteryCells(ctx)}) c
		join department d on d.id = c.department_id
		join competency k on k.id = c.competency_id
		where c.people >= ${MIN_PEOPLE} and c.possible > 0
			and not exists (select 1 from department ch where ch.parent_id = d.id)
		order by c.earned::float8 / c.possible, c.people desc, d.code, k.position
		limit ${limit}`
	);
	return found.map((r) => ({
		departmentId: Number(r.department_id),
		departmentCode: r.code,
		departmentName: r.name,
		competencyId: r.competency_id,
		competencyName: r.competency_name,
		mastery: Number(r.earned) / Number(r.possible),
		people: Number(r.people)
	}));
}

export interface GapCell {
	department: { id: number; code: string; name: string; path: string };
	competency: CompetencyColumn;
	cell: Mastery;
	/** The same competency over the whole report root, for comparison. */
	reference: Mastery;
	/** Courses tagged with the competency, with the assignment that applies to the department now. */
	courses: {
		id: string;
		title: string;
		hours: number;
		assignment: { required: boolean; due: string; recurrence: string; inherited: boolean } | null;
	}[];
}

/** One heatmap cell in detail, with what remediation would assign. Undefined when outside the report. */
export async function gapCell(ctx: Context, departmentId: number, competencyId: string): Promise<GapCell | undefined> {
	const [found] = await rows<{ id: number; code: string; name: string; path: string; competency_name: string }>(
		db,
		sql`select d.id, d.code, ${nameSql(ctx.locale)} as name, d.path, ${sql.raw(ctx.locale === 'en' ? 'k.name_en' : 'k.name_zh')} as competency_name
		from department d, competency k
		where d.id = ${departmentId} and d.path like ${likePrefix(ctx.root.path)} and k.id = ${competencyId}`
	);
	if (!found) return undefined;
	const cellCtx: Context = { ...ctx, filters: { ...ctx.filters, competency: competencyId } };
	const [cells, courses] = await Promise.all([
		masteryFor(cellCtx, [departmentId, ctx.root.id]),
		rows<{
			id: string;
			title: string;
			hours: number;
			required: boolean | null;
			due: string | null;
			recurrence: string | null;
			assigned_department_id: number | null;
		}>(
			db,
			sql`select c.id, ${sql.raw(ctx.locale === 'en' ? 'c.title_en' : 'c.title_zh')} as title, c.hours::float8 as hours,
				da.required, to_char(da.current_due, 'YYYY-MM-DD') as due, da.recurrence, da.assigned_department_id
			from course c
			left join govlearn_department_assignment da on da.department_id = ${departmentId} and da.course_id = c.id
			where c.present and not c.draft and ${competencyId} = any(c.competencies)
			order by c.position, c.id`
		)
	]);
	return {
		department: { id: Number(found.id), code: found.code, name: found.name, path: found.path },
		competency: { id: competencyId, name: found.competency_name },
		cell: cells.get(departmentId)?.get(competencyId) ?? NOBODY,
		reference: cells.get(ctx.root.id)?.get(competencyId) ?? NOBODY,
		courses: courses.map((c) => ({
			id: c.id,
			title: c.title,
			hours: Number(c.hours),
			assignment:
				c.due === null
					? null
					: {
							required: Boolean(c.required),
							due: c.due,
							recurrence: String(c.recurrence),
							inherited: Number(c.assigned_department_id) !== departmentId
						}
		}))
	};
}
