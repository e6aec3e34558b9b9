// The two set-based building blocks every insights figure is made of, at the grain of one current
// department: completion of required assignments per (department, course), and first-attempt
// mastery per (department, competency). Parents are summed from these by the materialised path, so
// a person (who has one current department) is counted exactly once in every subtree.
import { sql, type SQL } from '../db';
import { likePrefix, type Context } from './context';

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
 * Columns: department_id, course_id, assigned, done, active, overdue.
 */
export function completionCells(ctx: Context): SQL {
	return sql`
		with sd as (${subtreeIds(ctx)}),
		ua as (
			select da.department_id, da.course_id, da.current_due, coalesce(da.period_start, '-infinity'::date) as ps
			from govlearn_department_assignment da join sd on sd.id = da.department_id
			where da.required and ${courseWhere(ctx, sql`da.course_id`)}
		),
		staff as (
			select u.department_id, count(*)::int as n
			from "user" u join sd on sd.id = u.department_id
			where u.status <> 'inactive'
			group by u.department_id
		),
		prog as (
			select x.department_id, x.course_id,
				count(*) filter (where x.last_completed_at >= ua.ps)::int as done,
				count(*) filter (where (x.last_completed_at is null or x.last_completed_at < ua.ps) and x.last_activity_at is not null)::int as active
			from insight_user_course x join ua on ua.department_id = x.department_id and ua.course_id = x.course_id
			where x.staff
			group by x.department_id, x.course_id
		)
		select ua.department_id, ua.course_id, staff.n as assigned,
			coalesce(prog.done, 0) as done, coalesce(prog.active, 0) as active,
			case when ua.current_due < current_date then staff.n - coalesce(prog.done, 0) else 0 end as overdue
		from ua
		join staff on staff.department_id = ua.department_id
		left join prog on prog.department_id = ua.department_id and prog.course_id = ua.course_id`;
}

/**
 * First-attempt points per (current department, competency) for staff, with the number of distinct
 * people behind them (a person who answered questions of the competency in two courses counts once).
 * Columns: department_id, competency_id, earned, possible, people.
 */
export function masteryCells(ctx: Context): SQL {
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
