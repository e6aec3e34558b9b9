import { type SQL } from 'drizzle-orm';
import { db, rows, sql } from '../db';
import { addCounts, completionFor, courseColumns, emptyCounts, type Counts } from './completion';
import type { Context } from './context';
import { deptStaffAndHours } from './department-rollups';
import { completionPeriod, subtreeIds } from './filters';
import { largestGaps, type Gap } from './skills';

export const DEFAULT_ANNUAL_TARGET = 50;

export interface Overview {
	/** Accounts not inactive whose current department is in the report's subtree. */
	staff: number;
	/** Required assignments over all published courses (course and competency filters applied). */
	required: Counts;
	hours: {
		total: number;
		/** Total over staff (everyone counts, also those with no hours). */
		average: number;
		target: number;
		/** Staff who reached the annual target. */
		reached: number;
		/** The calendar year, or null when a period filter replaces it. */
		year: number | null;
	};
	gaps: Gap[];
}

/**
 * Staff and credit hours in one pass: hours count in the year they were earned (or in the filtered
 * period), revoked certificates never.
 */
async function staffAndHours(ctx: Context) {
	const [r] = await rows<{ staff: number; total: number; reached: number; target: string | null }>(
		db,
		deptStaffAndHours(ctx, DEFAULT_ANNUAL_TARGET) ?? personStaffAndHours(ctx, DEFAULT_ANNUAL_TARGET)
	);
	const parsed = Number(r?.target);
	return {
		staff: Number(r?.staff ?? 0),
		total: Number(r?.total ?? 0),
		reached: Number(r?.reached ?? 0),
		target: Number.isFinite(parsed) && parsed > 0 ? parsed : DEFAULT_ANNUAL_TARGET
	};
}

/** The overview: staff, required-learning completion, overdue, hours against target, the five largest gaps. */
export async function overview(ctx: Context): Promise<Overview> {
	// Independent queries: on Postgres they run side by side on the pool.
	const [courses, people, gaps, counts] = await Promise.all([
		courseColumns(ctx),
		staffAndHours(ctx),
		largestGaps(ctx, 5),
		completionFor(ctx, [ctx.root.id])
	]);
	const byCourse = counts.get(ctx.root.id) ?? new Map<string, Counts>();
	const required = emptyCounts();
	for (const course of courses) addCounts(required, byCourse.get(course.id) ?? emptyCounts());
	const periodFiltered = Boolean(ctx.filters.from || ctx.filters.to);
	return {
		staff: people.staff,
		required,
		hours: {
			total: people.total,
			average: people.staff ? people.total / people.staff : 0,
			target: people.target,
			reached: people.reached,
			year: periodFiltered ? null : ctx.year
		},
		gaps
	};
}

/**
 * `deptStaffAndHours` summed from the people and their completions, which also know the day of each
 * completion (a period filter). Columns: staff, total, reached, target (the setting as stored).
 */
export function personStaffAndHours(ctx: Context, defaultTarget: number): SQL {
	return sql`with su as (select u.id from "user" u where u.status <> 'inactive' and u.department_id in (${subtreeIds(ctx)})),
		per as (
			select c.user_id, sum(c.hours) as h from completion c join su on su.id = c.user_id
			where c.revoked_at is null and ${completionPeriod(ctx, sql`c.completed_at`, sql`c.year`)}
			group by c.user_id
		),
		target as (select coalesce((select value from setting where key = 'annual_target_hours'), ${String(defaultTarget)}) as value)
		select (select count(*) from su)::int as staff,
			coalesce((select sum(h) from per), 0)::float8 as total,
			(select count(*) from per, target where per.h >= (case when target.value ~ '^[0-9]+(\\.[0-9]+)?$' then target.value::numeric else ${defaultTarget} end))::int as reached,
			(select value from target) as target`;
}
