// The events that send messages, each one set-based SQL over the assignment views, so the reminder
// scan for 100,000 people is a few statements. Scheduled kinds carry a dedupe key, so a scan that runs
// twice (two app servers, a restart) queues each message once.
import { sql } from 'drizzle-orm';
import { db, type Executor } from '../db';
import { queueMessages } from './queue';

const courseParams = sql`'courseId', c.id, 'slug', c.slug, 'titleZh', c.title_zh, 'titleEn', c.title_en`;

/** "New required course" for everyone a (new) assignment applies to who has not completed it. */
export async function notifyAssignment(executor: Executor, assignmentId: number): Promise<number> {
	return queueMessages(
		executor,
		'assignment_new',
		sql`select ua.user_id, jsonb_build_object(${courseParams}, 'due', to_char(ua.current_due, 'YYYY-MM-DD')) as params,
			'assigned:' || ua.assignment_id || ':' || ua.user_id as dedupe_key
		from govlearn_user_assignment ua
		join course c on c.id = ua.course_id
		join "user" u on u.id = ua.user_id and u.status = 'active'
		where ua.assignment_id = ${assignmentId} and ua.required and ua.completed_at is null`
	);
}

/** "Certificate issued", in the transaction that records the completion. */
export async function notifyCertificate(executor: Executor, completionId: number): Promise<number> {
	return queueMessages(
		executor,
		'certificate',
		sql`select co.user_id, jsonb_build_object(${courseParams}, 'code', co.certificate_code) as params, 'certificate:' || co.id as dedupe_key
		from completion co join course c on c.id = co.course_id where co.id = ${completionId}`
	);
}

export interface ScanResult {
	assigned: number;
	due: number;
	overdue: number;
}

/**
 * The reminder scan (every few minutes): new accounts' assignments; before each person's own due date,
 * the reminder of the smallest offset still ahead (offsets per assignment, default 14 and 3 days: made 2
 * days before the date, a person gets the 3-day one only); after it, weekly overdue reminders, at most 4.
 */
export async function scanReminders(executor: Executor = db): Promise<ScanResult> {
	// Accounts made in the last two days get the assignments that already applied to them.
	const assigned = await queueMessages(
		executor,
		'assignment_new',
		sql`select ua.user_id, jsonb_build_object(${courseParams}, 'due', to_char(ua.current_due, 'YYYY-MM-DD')) as params,
			'assigned:' || ua.assignment_id || ':' || ua.user_id as dedupe_key
		from "user" u
		join govlearn_user_assignment ua on ua.user_id = u.id
		join course c on c.id = ua.course_id
		where u.status = 'active' and u.created_at > now() - interval '2 days' and ua.required and ua.completed_at is null`
	);
	const due = await queueMessages(
		executor,
		'reminder_due',
		sql`select ua.user_id,
			jsonb_build_object(${courseParams}, 'due', to_char(ua.current_due, 'YYYY-MM-DD'), 'days', ua.current_due - current_date) as params,
			'due:' || ua.assignment_id || ':' || ua.user_id || ':' || to_char(ua.current_due, 'YYYY-MM-DD') || ':' || o.days as dedupe_key
		from govlearn_user_assignment ua
		join "user" u on u.id = ua.user_id and u.status = 'active'
		join assignment a on a.id = ua.assignment_id
		join course c on c.id = ua.course_id and c.present and not c.draft
		cross join lateral (select min(x) as days from unnest(a.reminder_offsets) x where x >= ua.current_due - current_date) o
		where ua.required and ua.completed_at is null and ua.current_due >= current_date and o.days is not null`
	);
	const overdue = await queueMessages(
		executor,
		'reminder_overdue',
		sql`select ua.user_id,
			jsonb_build_object(${courseParams}, 'due', to_char(ua.current_due, 'YYYY-MM-DD'), 'days', current_date - ua.current_due) as params,
			'overdue:' || ua.assignment_id || ':' || ua.user_id || ':' || to_char(ua.current_due, 'YYYY-MM-DD') || ':' ||
				least(4, (current_date - ua.current_due - 1) / 7 + 1) as dedupe_key
		from govlearn_user_assignment ua
		join "user" u on u.id = ua.user_id and u.status = 'active'
		join course c on c.id = ua.course_id and c.present and not c.draft
		where ua.required and ua.completed_at is null and ua.current_due < current_date`
	);
	return { assigned, due, overdue };
}

/**
 * The weekly digest for each HR officer, of their subtree: required courses completed, newly overdue in
 * the last 7 days, the three courses with the most people missing, a link. Once per ISO week.
 */
export async function scanDigests(executor: Executor = db): Promise<number> {
	return queueMessages(
		executor,
		'hr_digest',
		sql`select hr.id as user_id,
			jsonb_build_object('departmentZh', d.name_zh, 'departmentEn', d.name_en, 'required', s.required, 'done', s.done,
				'percent', case when s.required = 0 then 100 else floor(100.0 * s.done / s.required)::int end,
				'newlyOverdue', s.newly_overdue, 'gaps', coalesce(g.gaps, '[]'::jsonb)) as params,
			'digest:' || hr.id || ':' || to_char(current_date, 'IYYY-IW') as dedupe_key
		from "user" hr
		join department d on d.id = coalesce(hr.hr_scope_id, hr.department_id)
		cross join lateral (
			select count(*) as required, count(ua.completed_at) as done,
				count(*) filter (where ua.completed_at is null and ua.current_due < current_date and ua.current_due >= current_date - 7) as newly_overdue
			from department sd join govlearn_user_assignment ua on ua.department_id = sd.id
			where sd.path like d.path || '%' and ua.required
		) s
		left join lateral (
			select jsonb_agg(jsonb_build_object('titleZh', x.title_zh, 'titleEn', x.title_en, 'missing', x.missing) order by x.missing desc) as gaps
			from (
				select c.title_zh, c.title_en, count(*) as missing
				from department sd join govlearn_user_assignment ua on ua.department_id = sd.id join course c on c.id = ua.course_id
				where sd.path like d.path || '%' and ua.required and ua.completed_at is null
				group by c.id, c.title_zh, c.title_en order by count(*) desc, c.id limit 3
			) x
		) g on true
		where 'hr' = any(hr.roles) and hr.status = 'active'`
	);
}

/**
 * Activation links by mail (a new account, a reset by the admin, a bulk import): one message per account
 * with an address, holding the one-time token until it is delivered. The admin's link (page or CSV) stays
 * the fallback for people without an address.
 */
export async function notifyActivation(executor: Executor, tokens: Map<number, string>, expiresAt: Date): Promise<number> {
	if (!tokens.size) return 0;
	const list = [...tokens].map(([u, t]) => ({ u, t }));
	const expires = expiresAt.toISOString().slice(0, 10);
	let n = 0;
	for (let i = 0; i < list.length; i += 5000) {
		n += await queueMessages(
			executor,
			'activation',
			sql`select r.u as user_id, jsonb_build_object('username', u.username, 'token', r.t, 'expires', ${expires}::text) as params, null::text as dedupe_key
			from jsonb_to_recordset(${JSON.stringify(list.slice(i, i + 5000))}::jsonb) as r(u int, t text) join "user" u on u.id = r.u`
		);
	}
	return n;
}
