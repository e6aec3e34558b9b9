// The report's filters as SQL conditions, shared by the per-person queries and the department rollups.
import { type SQL } from 'drizzle-orm';
import { sql } from '../db';
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
export function periodWhere(ctx: Context, column: SQL): SQL {
	const parts: SQL[] = [];
	if (ctx.filters.from) parts.push(sql`${column} >= ${ctx.filters.from}::date`);
	if (ctx.filters.to) parts.push(sql`${column} < ${ctx.filters.to}::date + 1`);
	return parts.length ? sql.join(parts, sql` and `) : sql`true`;
}

/** Period condition on a completion timestamp, for hours and records. */
export function completionPeriod(ctx: Context, column: SQL, yearColumn: SQL): SQL {
	if (!ctx.filters.from && !ctx.filters.to) return sql`${yearColumn} = ${ctx.year}`;
	return periodWhere(ctx, column);
}
