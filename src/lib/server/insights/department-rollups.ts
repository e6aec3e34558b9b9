// The report building blocks read from the department rollups (insight_dept_*, kept exact by
// triggers, drizzle/functions/insights-departments.sql): a few rows per department instead of a row per
// person, so a whole province answers as fast as one district.
//
// Why some figures are computed twice. The department rows count whole subtrees but have no course
// or day grain; the per-person rows (insight_user_course, insight_first_attempt, completion) have it,
// and serve the drill-downs (a department's staff, one person's record) and the filtered reports.
// So mastery cells with a course or period filter (cells.ts `personMasteryCells`) and staff and hours
// with a period filter (overview.ts `personStaffAndHours`) fall back to summing per-person rows; without
// those filters both versions must give the same numbers: tests/integration/insights-two-paths.test.ts
// checks that they do, rollup-departments.test.ts and insights-rollups.test.ts that the rollup tables
// equal a recomputation from the raw records. Required-learning completion has the rollup version only.
import { sql, type SQL } from 'drizzle-orm';
import { likePrefix, nameSql, type Context } from './context';
import { courseWhere, subtreeIds } from './filters';

/**
 * Required-learning status per (current department, course), as `completionCells`: a person is done
 * when their latest valid completion falls in the assignment's current period (any year for one-off
 * assignments), active when not done but showing activity. Columns: department_id, course_id,
 * assigned, done, active, overdue.
 */
export function deptCompletionCells(ctx: Context): SQL {
	return sql`
		with sd as (${subtreeIds(ctx)}),
		ua as (
			select da.department_id, da.course_id, da.current_due, coalesce(extract(year from da.period_start)::int, 0) as py, da.due_days
			from govlearn_department_assignment da join sd on sd.id = da.department_id
			where da.required and ${courseWhere(ctx, sql`da.course_id`)}
		),
		prog as (
			select b.department_id, b.course_id,
				coalesce(sum(b.people) filter (where b.completed_year > 0 and b.completed_year >= ua.py), 0)::int as done,
				coalesce(sum(b.people) filter (where not (b.completed_year > 0 and b.completed_year >= ua.py) and b.active), 0)::int as active
			from insight_dept_course b join ua on ua.department_id = b.department_id and ua.course_id = b.course_id
			group by b.department_id, b.course_id
		)
		select ua.department_id, ua.course_id, s.staff as assigned,
			coalesce(prog.done, 0) as done, coalesce(prog.active, 0) as active,
			case
				-- A relative due date is each person's own: count the people whose date has passed, not done.
				when ua.due_days is not null then (select count(*)::int from govlearn_user_assignment x
					where x.department_id = ua.department_id and x.course_id = ua.course_id and x.completed_at is null and x.current_due < current_date)
				when ua.current_due < current_date then s.staff - coalesce(prog.done, 0)
				else 0
			end as overdue
		from ua
		join insight_dept_staff s on s.department_id = ua.department_id and s.staff > 0
		left join prog on prog.department_id = ua.department_id and prog.course_id = ua.course_id`;
}

/**
 * First-attempt mastery per (current department, competency), as `masteryCells`, or undefined when
 * a course or period filter asks for what only the per-person rows hold.
 * Columns: department_id, competency_id, earned, possible, people.
 */
export function deptMasteryCells(ctx: Context): SQL | undefined {
	if (ctx.filters.course || ctx.filters.from || ctx.filters.to) return undefined;
	const competency = ctx.filters.competency ? sql`m.competency_id = ${ctx.filters.competency}` : sql`true`;
	return sql`
		select m.department_id, m.competency_id, m.earned, m.possible, m.people
		from insight_dept_mastery m
		where m.people > 0 and m.department_id in (${subtreeIds(ctx)}) and ${competency}`;
}

/**
 * Staff, total credit hours and people who reached the annual target in the report year, as the
 * overview's per-person query; undefined when a period filter replaces the year.
 * Columns: staff, total, reached, target (the setting as stored).
 */
export function deptStaffAndHours(ctx: Context, defaultTarget: number): SQL | undefined {
	if (ctx.filters.from || ctx.filters.to) return undefined;
	return sql`
		with sd as (${subtreeIds(ctx)}),
		target as (select coalesce((select value from setting where key = 'annual_target_hours'), ${String(defaultTarget)}) as value),
		h as (select h.hours, h.people from insight_dept_hours h join sd on sd.id = h.department_id where h.year = ${ctx.year} and h.people > 0)
		select (select coalesce(sum(s.staff), 0) from insight_dept_staff s join sd on sd.id = s.department_id)::int as staff,
			(select coalesce(sum(h.hours * h.people), 0) from h)::float8 as total,
			(select coalesce(sum(h.people), 0) from h, target
				where h.hours >= (case when target.value ~ '^[0-9]+(\\.[0-9]+)?$' then target.value::numeric else ${defaultTarget} end))::int as reached,
			(select value from target) as target`;
}

/**
 * One page of the subtree's staff (accounts not inactive), ordered by department (the report root
 * first, then by name) and name, as columns id, username, display_name, department_id,
 * department_name, total. The staff counts per department say which departments the page falls in,
 * so only those people are read and sorted, whatever the page number.
 */
export function deptStaffPage(ctx: Context, offset: number, limit: number): SQL {
	const name = nameSql(ctx.locale);
	return sql`
		with depts as (
			select d.id, ${name} as department_name, s.staff,
				-- Running total up to and including this department, minus its own: a frame ending at the
				-- current row is summed incrementally (one ending "1 preceding" is summed again for every row).
				(sum(s.staff) over (order by d.id = ${ctx.root.id} desc, ${name}, d.id rows unbounded preceding) - s.staff)::int as before
			from department d join insight_dept_staff s on s.department_id = d.id
			where d.path like ${likePrefix(ctx.root.path)} and s.staff > 0
		),
		pick as (select * from depts where before < ${offset + limit} and before + staff > ${offset})
		select u.id, u.username, u.display_name, u.department_id, pick.department_name, (select sum(staff) from depts)::int as total
		from pick cross join lateral (
			select u.id, u.username, u.display_name, u.department_id from "user" u
			where u.department_id = pick.id and u.status <> 'inactive'
			order by u.display_name, u.id
			offset greatest(0, ${offset} - pick.before) limit ${offset + limit} - pick.before - greatest(0, ${offset} - pick.before)
		) u`;
}
