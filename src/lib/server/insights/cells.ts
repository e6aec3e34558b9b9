// The two set-based building blocks every insights figure is made of, at the grain of one current
// department: completion of required assignments per (department, course), and first-attempt
// mastery per (department, competency). Parents are summed from these by the materialised path, so
// a person (who has one current department) is counted exactly once in every subtree.
import { type SQL } from 'drizzle-orm';
import { sql } from '../db';
import { likePrefix, type Context } from './context';
import { deptCompletionCells, deptMasteryCells } from './department-rollups';

/** Ids of the departments in the report's subtree. */
export function subtreeIds(ctx: Context): SQL {
	return sql`select id from department where path like ${likePrefix(ctx.root.path)}`;
}

/** Restricts a course id column by the course and competency filters. */
export function courseWhere(ctx: Context, column: SQL): SQL {
	const parts: SQL[] = [];
	if (ctx.filters.course) parts.push(sql`${column} = ${ctx.filters.course}`);
	if (ctx.filters.competency) parts.push(sql`${column} in (select id from course where ${ctx.filters.competency} = any(competencies))`);
	return parts.length ? sql.join(parts, sql` and `) : sql`true`;
}

/** First-attempt rows inside the filtered period (the period is inclusive of both days). */
function periodWhere(ctx: Context, column: SQL): SQL {
	const parts: SQL[] = [];
	if (ctx.filters.from) parts.push(sql`${column} >= ${ctx.filters.from}::date`);
	if (ctx.filters.to) parts.push(sql`${column} < ${ctx.filters.to}::date + 1`);
	return parts.length ? sql.join(parts, sql` and `) : sql`true`;
}

/**
 * Required-learning status per (current department, course) for staff (accounts not inactive):
 * assigned = people the nearest required assignment applies to; done = a completion in the current
 * period (any completion for one-off assignments); active = not done but enrolled, a lesson done or
 * an attempt made; overdue = not done and the current due date has passed.
 * Columns: department_id, course_id, assigned, done, active, overdue. Read from the department
 * rollups (see department-rollups.ts).
 */
export function completionCells(ctx: Context): SQL {
	return deptCompletionCells(ctx);
}

/**
 * First-attempt points per (current department, competency) for staff, with the number of distinct
 * people behind them (a person who answered questions of the competency in two courses counts once).
 * Columns: department_id, competency_id, earned, possible, people.
 */
export function masteryCells(ctx: Context): SQL {
	// Without course or period filters the department rollups hold the same sums.
	const fast = deptMasteryCells(ctx);
	if (fast) return fast;
	const competency = ctx.filters.competency ? sql`f.competency_id = ${ctx.filters.competency}` : sql`true`;
	const course = ctx.filters.course ? sql`f.course_id = ${ctx.filters.course}` : sql`true`;
	return sql`
		select department_id, competency_id, sum(e)::int as earned, sum(p)::int as possible, count(*)::int as people
		from (
			select f.department_id, f.competency_id, f.user_id, sum(f.points_earned) as e, sum(f.points_possible) as p
			from insight_first_attempt f
			where f.staff and f.department_id in (${subtreeIds(ctx)}) and ${competency} and ${course} and ${periodWhere(ctx, sql`f.attempted_at`)}
			group by f.department_id, f.competency_id, f.user_id
		) per_person
		group by department_id, competency_id`;
}

/**
 * Sums cells (a query with a department_id column) up to the given departments: each cell counts for
 * every ancestor on its materialised path. `keys` are the grouping columns besides the department.
 */
export function rollUp(cells: SQL, departmentIds: number[], keys: string, sums: string[]): SQL {
	const ids = departmentIds.length ? sql.join(departmentIds.map((id) => sql`${id}`), sql`, `) : sql`null`;
	const totals = sql.raw(sums.map((c) => `sum(c.${c})::int as ${c}`).join(', '));
	return sql`
		select a.anc::int as department_id, ${sql.raw(keys.split(',').map((k) => `c.${k.trim()}`).join(', '))}, ${totals}
		from (${cells}) c
		join department d on d.id = c.department_id
		cross join lateral unnest(string_to_array(trim(both '/' from d.path), '/')) as a(anc)
		where a.anc::int in (${ids})
		group by a.anc, ${sql.raw(keys.split(',').map((k) => `c.${k.trim()}`).join(', '))}`;
}

/** Period condition on a completion timestamp, for hours and records. */
export function completionPeriod(ctx: Context, column: SQL, yearColumn: SQL): SQL {
	if (!ctx.filters.from && !ctx.filters.to) return sql`${yearColumn} = ${ctx.year}`;
	return periodWhere(ctx, column);
}

export { periodWhere };
