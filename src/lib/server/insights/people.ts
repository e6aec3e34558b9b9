import { type SQL } from 'drizzle-orm';
import { db, rows, sql } from '../db';
import { likePrefix, nameSql, type Context } from './context';
import { deptStaffPage } from './department-rollups';
import { completionPeriod, courseWhere, periodWhere } from './filters';

export type PersonStatus = 'completed' | 'in-progress' | 'not-started';

export interface CourseStatus {
	courseId: string;
	required: boolean;
	due: string;
	status: PersonStatus;
	overdue: boolean;
}

export interface PersonMastery {
	competencyId: string;
	earned: number;
	possible: number;
	mastery: number | null;
}

export interface StaffRow {
	id: number;
	username: string;
	name: string;
	departmentId: number;
	departmentName: string;
	hours: number;
	courses: Record<string, CourseStatus>;
	mastery: Record<string, PersonMastery>;
}

export const PAGE_SIZE = 50;

function json<T>(value: unknown): T {
	return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

/**
 * Per person: status of every assigned course (the nearest assignment, required or recommended),
 * hours in the year (or the filtered period) and first-attempt mastery per competency. `people` is a
 * query with (at least) columns id, username, display_name, department_id, department_name, total;
 * one statement answers for the whole batch.
 */
export function personFigures(ctx: Context, people: SQL): SQL {
	const competency = ctx.filters.competency ? sql`f.competency_id = ${ctx.filters.competency}` : sql`true`;
	const course = ctx.filters.course ? sql`f.course_id = ${ctx.filters.course}` : sql`true`;
	// Course statuses in one grouped pass over the batch (the assignment view once, not per person);
	// hours and mastery by index lookups per person, which beat hashing whole tables for a page.
	return sql`
		with p as materialized (${people}),
		da as materialized (
			select da.department_id, da.course_id, da.required, da.current_due, coalesce(da.period_start, '-infinity'::date) as ps,
				da.due_days, da.assigned_on
			from govlearn_department_assignment da
			where da.department_id in (select distinct department_id from p) and ${courseWhere(ctx, sql`da.course_id`)}
				and da.course_id in (select id from course where present and not draft)
		),
		courses as (
			select p.id, json_agg(json_build_object(
					'courseId', da.course_id, 'required', da.required, 'due', to_char(pd.due, 'YYYY-MM-DD'),
					'done', coalesce(x.last_completed_at >= da.ps, false),
					'active', x.last_activity_at is not null,
					'overdue', not coalesce(x.last_completed_at >= da.ps, false) and pd.due < current_date)) as j
			from p join da on da.department_id = p.department_id
			-- Each person's own due date (a relative assignment counts from when they joined the department).
			cross join lateral (select case when da.due_days is null then da.current_due
				else govlearn_personal_due(da.current_due, da.due_days, da.assigned_on, (select u.department_joined_at from "user" u where u.id = p.id)) end as due) pd
			left join insight_user_course x on x.user_id = p.id and x.course_id = da.course_id
			group by p.id
		)
		select p.*,
			coalesce((select sum(c.hours) from completion c
				where c.user_id = p.id and c.revoked_at is null and ${completionPeriod(ctx, sql`c.completed_at`, sql`c.year`)}), 0)::float8 as hours,
			courses.j as courses,
			(select json_agg(json_build_object('competencyId', m.competency_id, 'earned', m.e, 'possible', m.p))
				from (select f.competency_id, sum(f.points_earned) as e, sum(f.points_possible) as p
					from insight_first_attempt f
					where f.user_id = p.id and ${competency} and ${course} and ${periodWhere(ctx, sql`f.attempted_at`)}
					group by f.competency_id) m) as mastery
		from p left join courses on courses.id = p.id`;
}

type FigureRow = {
	id: number;
	username: string;
	display_name: string;
	department_id: number;
	department_name: string;
	total: number;
	hours: number;
	courses: unknown;
	mastery: unknown;
};

export function toStaffRow(r: FigureRow): StaffRow {
	const courses: Record<string, CourseStatus> = {};
	for (const c of json<{ courseId: string; required: boolean; due: string; done: boolean; active: boolean; overdue: boolean }[] | null>(
		r.courses
	) ?? []) {
		courses[c.courseId] = {
			courseId: c.courseId,
			required: c.required,
			due: c.due,
			status: c.done ? 'completed' : c.active ? 'in-progress' : 'not-started',
			overdue: c.overdue
		};
	}
	const mastery: Record<string, PersonMastery> = {};
	for (const m of json<{ competencyId: string; earned: number; possible: number }[] | null>(r.mastery) ?? []) {
		const earned = Number(m.earned);
		const possible = Number(m.possible);
		mastery[m.competencyId] = { competencyId: m.competencyId, earned, possible, mastery: possible > 0 ? earned / possible : null };
	}
	return {
		id: Number(r.id),
		username: r.username,
		name: r.display_name,
		departmentId: Number(r.department_id),
		departmentName: r.department_name,
		hours: Number(r.hours),
		courses,
		mastery
	};
}

/** Staff of the report root's subtree, a page at a time, by department then name. */
export async function departmentStaff(
	ctx: Context,
	page = 1
): Promise<{ people: StaffRow[]; total: number; page: number; pageCount: number }> {
	const offset = (Math.max(1, page) - 1) * PAGE_SIZE;
	// Staff counts per department pick the departments the page falls in: no sort of the whole subtree.
	const people = deptStaffPage(ctx, offset, PAGE_SIZE);
	const found = await rows<FigureRow>(
		db,
		sql`${personFigures(ctx, people)} order by p.department_id = ${ctx.root.id} desc, p.department_name, p.department_id, p.display_name, p.id`
	);
	const total = found.length ? Number(found[0].total) : 0;
	return { people: found.map(toStaffRow), total, page: Math.max(1, page), pageCount: Math.max(1, Math.ceil(total / PAGE_SIZE)) };
}

/** The departments from the HR scope root down to `path` (breadcrumbs). */
export async function breadcrumbs(ctx: Context, path: string): Promise<{ id: number; name: string }[]> {
	const found = await rows<{ id: number; name: string }>(
		db,
		sql`select d.id, ${nameSql(ctx.locale)} as name from department d
		where ${path} like d.path || '%' and d.path like ${likePrefix(ctx.scope.path)} order by d.depth`
	);
	return found.map((r) => ({ id: Number(r.id), name: r.name }));
}

export interface PersonRecord {
	person: {
		id: number;
		username: string;
		name: string;
		status: string;
		departmentId: number;
		departmentName: string;
		departmentPath: string;
	};
	completions: {
		courseId: string;
		title: string;
		completedAt: string;
		year: number;
		hours: number;
		score: number;
		certificateCode: string;
		revoked: boolean;
		departmentName: string;
	}[];
	hoursByYear: { year: number; hours: number; courses: number }[];
	figures: StaffRow;
}

/**
 * One person's learning record (学时档案): every completion with date, hours, score and certificate
 * (the period filter narrows it), hours per year, assigned courses and mastery. Undefined when the
 * person's current department is outside the HR scope.
 */
export async function personRecord(ctx: Context, personId: number): Promise<PersonRecord | undefined> {
	const [person] = await rows<{
		id: number;
		username: string;
		display_name: string;
		status: string;
		department_id: number;
		department_name: string;
		path: string;
	}>(
		db,
		sql`select u.id, u.username, u.display_name, u.status, u.department_id, ${nameSql(ctx.locale)} as department_name, d.path
		from "user" u join department d on d.id = u.department_id
		where u.id = ${personId} and d.path like ${likePrefix(ctx.scope.path)}`
	);
	if (!person) return undefined;
	const one = sql`select u.id, u.username, u.display_name, u.department_id, ${nameSql(ctx.locale)} as department_name, 1 as total
		from "user" u join department d on d.id = u.department_id where u.id = ${personId}`;
	const [completions, figures] = await Promise.all([
		rows<{
			course_id: string;
			title: string;
			completed_at: string;
			year: number;
			hours: number;
			score: number;
			certificate_code: string;
			revoked: boolean;
			department_name: string;
		}>(
			db,
			sql`select c.course_id, coalesce(${sql.raw(ctx.locale === 'en' ? 'co.title_en' : 'co.title_zh')}, c.course_id) as title,
				to_char(c.completed_at, 'YYYY-MM-DD') as completed_at, c.year, c.hours::float8 as hours, c.score, c.certificate_code,
				c.revoked_at is not null as revoked, ${nameSql(ctx.locale)} as department_name
			from completion c
			left join course co on co.id = c.course_id
			join department d on d.id = c.department_id
			where c.user_id = ${personId} and ${periodWhere(ctx, sql`c.completed_at`)}
			order by c.completed_at desc, c.id desc`
		),
		rows<FigureRow>(db, personFigures(ctx, one))
	]);
	const list = completions.map((c) => ({
		courseId: c.course_id,
		title: c.title,
		completedAt: c.completed_at,
		year: Number(c.year),
		hours: Number(c.hours),
		score: Number(c.score),
		certificateCode: c.certificate_code,
		revoked: Boolean(c.revoked),
		departmentName: c.department_name
	}));
	const years = new Map<number, { year: number; hours: number; courses: number }>();
	for (const c of list) {
		if (c.revoked) continue;
		const y = years.get(c.year) ?? { year: c.year, hours: 0, courses: 0 };
		y.hours += c.hours;
		y.courses += 1;
		years.set(c.year, y);
	}
	return {
		person: {
			id: Number(person.id),
			username: person.username,
			name: person.display_name,
			status: person.status,
			departmentId: Number(person.department_id),
			departmentName: person.department_name,
			departmentPath: person.path
		},
		completions: list,
		hoursByYear: [...years.values()].sort((a, b) => b.year - a.year),
		figures: toStaffRow(figures[0])
	};
}
