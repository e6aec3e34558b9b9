import { db, rows, sql } from '../db';
import type { Context } from './context';
import { courseWhere, subtreeIds } from './filters';

export interface Week {
	/** Monday of the ISO week, YYYY-MM-DD. */
	start: string;
	/** ISO week label, e.g. 2026-W07. */
	label: string;
	completions: number;
	hours: number;
}

/**
 * Completions and credit hours per ISO week, for staff now in the report's subtree: over the filtered
 * period, or the last twelve months. Weeks without any completion are included (as zero).
 */
export async function weeklyTrend(ctx: Context): Promise<Week[]> {
	const from = ctx.filters.from ? sql`${ctx.filters.from}::date` : sql`(current_date - interval '12 months')::date`;
	const to = ctx.filters.to ? sql`${ctx.filters.to}::date` : sql`current_date`;
	const found = await rows<{ start: string; label: string; completions: number; hours: number }>(
		db,
		sql`with weeks as (
			select generate_series(date_trunc('week', ${from}::timestamp), date_trunc('week', ${to}::timestamp), interval '1 week')::date as week
		),
		done as (
			select date_trunc('week', c.completed_at)::date as week, count(*)::int as n, sum(c.hours)::float8 as h
			from completion c join "user" u on u.id = c.user_id
			where c.revoked_at is null and u.status <> 'inactive' and u.department_id in (${subtreeIds(ctx)})
				and c.completed_at >= ${from} and c.completed_at < ${to} + 1 and ${courseWhere(ctx, sql`c.course_id`)}
			group by 1
		)
		select to_char(w.week, 'YYYY-MM-DD') as start, to_char(w.week, 'IYYY-"W"IW') as label,
			coalesce(d.n, 0) as completions, coalesce(d.h, 0)::float8 as hours
		from weeks w left join done d on d.week = w.week
		order by w.week`
	);
	return found.map((r) => ({ start: r.start, label: r.label, completions: Number(r.completions), hours: Number(r.hours) }));
}
