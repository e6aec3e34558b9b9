// The two set-based building blocks every insights figure is made of, at the grain of one current
// department: completion of required assignments per (department, course), and first-attempt
// mastery per (department, competency). Parents are summed from these by the materialised path, so
// a person (who has one current department) is counted exactly once in every subtree.
import { type SQL } from 'drizzle-orm';
import { sql } from '../db';
import type { Context } from './context';
import { deptCompletionCells, deptMasteryCells } from './department-rollups';
import { periodWhere, subtreeIds } from './filters';

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
	return deptMasteryCells(ctx) ?? personMasteryCells(ctx);
}

/** `masteryCells` summed from the per-person rows, which also know the course and the day of each attempt. */
export function personMasteryCells(ctx: Context): SQL {
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
	const ids = departmentIds.length
		? sql.join(
				departmentIds.map((id) => sql`${id}`),
				sql`, `
			)
		: sql`null`;
	const totals = sql.raw(sums.map((c) => `sum(c.${c})::int as ${c}`).join(', '));
	return sql`
		select a.anc::int as department_id, ${sql.raw(
			keys
				.split(',')
				.map((k) => `c.${k.trim()}`)
				.join(', ')
		)}, ${totals}
		from (${cells}) c
		join department d on d.id = c.department_id
		cross join lateral unnest(string_to_array(trim(both '/' from d.path), '/')) as a(anc)
		where a.anc::int in (${ids})
		group by a.anc, ${sql.raw(
			keys
				.split(',')
				.map((k) => `c.${k.trim()}`)
				.join(', ')
		)}`;
}
