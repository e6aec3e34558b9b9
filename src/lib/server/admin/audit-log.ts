// Reading the audit log (the app only ever appends to it; nothing here writes).
import { db, rows, sql } from '../db';

export const AUDIT_PAGE_SIZE = 50;

export interface AuditFilters {
	action?: string;
	/** Actor's username (exact). */
	actor?: string;
	/** UTC calendar days, inclusive: YYYY-MM-DD. */
	from?: string;
	to?: string;
	/** Free text: matched in the target, the actor, the IP and the before/after values. */
	q?: string;
	/** One target, as `type:id` (user:42). */
	target?: { type: string; id: string };
	page?: number;
}

export interface AuditRow {
	id: number;
	at: Date;
	actorId: number | null;
	actorUsername: string | null;
	action: string;
	targetType: string | null;
	targetId: string | null;
	before: unknown;
	after: unknown;
	ip: string | null;
	requestId: string | null;
}

const escapeLike = (q: string) => q.replace(/[\\%_]/g, (c) => `\\${c}`);

/** One page of entries, newest first; `hasNext` instead of a total, so a long log costs no count. */
export async function search(filters: AuditFilters): Promise<{ rows: AuditRow[]; page: number; hasNext: boolean }> {
	const where = [sql`true`];
	if (filters.action)
		where.push(
			filters.action.endsWith('*') ? sql`action like ${escapeLike(filters.action.slice(0, -1)) + '%'}` : sql`action = ${filters.action}`
		);
	if (filters.actor) where.push(sql`actor_username = ${filters.actor}`);
	if (filters.from) where.push(sql`at >= ${filters.from}::date::timestamp at time zone 'UTC'`);
	if (filters.to) where.push(sql`at < (${filters.to}::date + 1)::timestamp at time zone 'UTC'`);
	if (filters.target) where.push(sql`target_type = ${filters.target.type} and target_id = ${filters.target.id}`);
	if (filters.q) {
		const like = `%${escapeLike(filters.q)}%`;
		where.push(
			sql`(target_id ilike ${like} or actor_username ilike ${like} or ip ilike ${like} or before::text ilike ${like} or after::text ilike ${like})`
		);
	}
	const page = Math.max(1, filters.page ?? 1);
	const list = await rows<AuditRow>(
		db,
		sql`select id, at, actor_id as "actorId", actor_username as "actorUsername", action, target_type as "targetType", target_id as "targetId",
		           before, after, ip, request_id as "requestId"
		      from audit_log where ${sql.join(where, sql` and `)}
		     order by id desc limit ${AUDIT_PAGE_SIZE + 1} offset ${(page - 1) * AUDIT_PAGE_SIZE}`
	);
	return {
		rows: list.slice(0, AUDIT_PAGE_SIZE).map((r) => ({ ...r, id: Number(r.id), at: new Date(r.at) })),
		page,
		hasNext: list.length > AUDIT_PAGE_SIZE
	};
}

/** The distinct actions present, read by skipping through the action index (cheap on a long log). */
export async function actions(): Promise<string[]> {
	const list = await rows<{ action: string }>(
		db,
		sql`with recursive a(action) as (
			(select action from audit_log order by action limit 1)
			union all
			select (select action from audit_log where action > a.action order by action limit 1) from a where a.action is not null
		) select action from a where action is not null`
	);
	return list.map((r) => r.action);
}

/** The latest government sign-ins that were refused (unknown department, leaver, bad reply …), for the admin. */
export async function refusedGovernmentSignIns(limit = 10): Promise<AuditRow[]> {
	const list = await rows<AuditRow>(
		db,
		sql`select id, at, actor_id as "actorId", actor_username as "actorUsername", action, target_type as "targetType", target_id as "targetId",
		           before, after, ip, request_id as "requestId"
		      from audit_log where action = 'auth.login.failure' and after->>'method' = 'oidc'
		     order by id desc limit ${limit}`
	);
	return list.map((r) => ({ ...r, id: Number(r.id), at: new Date(r.at) }));
}
