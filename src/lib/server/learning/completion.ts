import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { CourseDef } from '../content';
import { db, rows, schema, type Executor } from '../db';
import { visibleLessons } from './catalogue';
import { asDate, list, yearOf, yearRange } from './sql';
import { notifyCertificate } from '../notifications/events';

/** 80 random bits in base32 (16 characters): unguessable, and easy to read out or type. */
export function certificateCode(): string {
	return encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(10)));
}

/**
 * Records a completion when every visible lesson is done and a quiz attempt submitted this calendar
 * year passed; at most one per person, course and year. Keeps the department the person is in now.
 * Returns the new completion, or undefined when the course is not (newly) complete.
 * One statement (checks and insert together): it runs inside every passing quiz submission.
 */
export async function completeIfDone(
	tx: Executor,
	userId: number,
	course: CourseDef,
	now = new Date()
): Promise<{ id: number; certificateCode: string } | undefined> {
	const year = yearOf(now);
	const { start, end } = yearRange(year);
	const visible = visibleLessons(course).map((l) => l.slug);
	const lessonsDone = visible.length
		? sql`(select count(*) from lesson_progress l where l.user_id = u.id and l.course_id = ${course.id} and l.lesson_slug in ${list(visible)}) = ${visible.length}`
		: sql`true`;
	const [row] = await rows<{ id: number; certificate_code: string }>(
		tx,
		sql`insert into completion (user_id, course_id, completed_at, year, department_id, hours, score, attempt_id, content_version, certificate_code)
		select u.id, ${course.id}, ${now.toISOString()}::timestamptz, ${year}, u.department_id, ${course.hours}, coalesce(best.score, 0), best.id, ${course.version}, ${certificateCode()}
		from "user" u
		cross join lateral (
			select a.id, a.score from quiz_attempt a
			where a.user_id = u.id and a.course_id = ${course.id} and a.passed
				and a.submitted_at >= ${start.toISOString()}::timestamptz and a.submitted_at < ${end.toISOString()}::timestamptz
			order by a.score desc, a.submitted_at limit 1
		) best
		where u.id = ${userId}
			and not exists (select 1 from completion c where c.user_id = u.id and c.course_id = ${course.id} and c.year = ${year})
			and ${lessonsDone}
		on conflict do nothing
		returning id, certificate_code`
	);
	if (!row) return undefined;
	await notifyCertificate(tx, Number(row.id));
	return { id: Number(row.id), certificateCode: row.certificate_code };
}

/** Credit hours a person earned in a calendar year (revoked certificates do not count). */
export async function hoursInYear(userId: number, year: number, executor: Executor = db): Promise<number> {
	const [row] = await executor
		.select({ hours: sql<string | number | null>`sum(${schema.completion.hours})` })
		.from(schema.completion)
		.where(and(eq(schema.completion.userId, userId), eq(schema.completion.year, year), isNull(schema.completion.revokedAt)));
	return Number(row?.hours ?? 0);
}

/** The organisation's annual credit-hour target (setting `annual_target_hours`, default 50). */
export async function annualTarget(executor: Executor = db): Promise<number> {
	const [row] = await executor
		.select({ value: schema.setting.value })
		.from(schema.setting)
		.where(eq(schema.setting.key, 'annual_target_hours'));
	const value = Number(row?.value);
	return Number.isFinite(value) && value > 0 ? value : 50;
}

export interface CertificateView {
	code: string;
	holderName: string;
	holderUsername: string;
	departmentZh: string;
	departmentEn: string;
	courseTitleZh: string;
	courseTitleEn: string;
	hours: number;
	score: number;
	completedAt: Date;
	revoked: boolean;
}

function normalizeCode(code: string): string | undefined {
	const c = code.trim().toLowerCase();
	return /^[a-z2-7]{8,64}$/.test(c) ? c : undefined;
}

async function findCertificate(code: string) {
	const c = normalizeCode(code);
	if (!c) return undefined;
	const [row] = await rows<Record<string, unknown>>(
		db,
		sql`select co.certificate_code, co.completed_at, co.hours::float8 as hours, co.score, co.revoked_at is not null as revoked,
			u.id as user_id, u.display_name, u.username, cd.path as current_path,
			d.name_zh as dept_zh, d.name_en as dept_en, c.title_zh, c.title_en
		from completion co
		join "user" u on u.id = co.user_id
		join department cd on cd.id = u.department_id
		join department d on d.id = co.department_id
		join course c on c.id = co.course_id
		where co.certificate_code = ${c}`
	);
	return row;
}

function toView(row: Record<string, unknown>): CertificateView {
	return {
		code: String(row.certificate_code),
		holderName: String(row.display_name),
		holderUsername: String(row.username),
		departmentZh: String(row.dept_zh),
		departmentEn: String(row.dept_en),
		courseTitleZh: String(row.title_zh),
		courseTitleEn: String(row.title_en),
		hours: Number(row.hours),
		score: Number(row.score),
		completedAt: asDate(row.completed_at)!,
		revoked: Boolean(row.revoked)
	};
}

/**
 * A certificate as its holder sees it. Admins and HR officers whose scope holds the person's current
 * department may open it too; for anyone else it does not exist.
 */
export async function certificateFor(
	viewer: { id: number; roles: readonly string[]; hrScopeId: number | null; departmentId: number },
	code: string
): Promise<CertificateView | undefined> {
	const row = await findCertificate(code);
	if (!row) return undefined;
	if (Number(row.user_id) === viewer.id || viewer.roles.includes('admin')) return toView(row);
	if (viewer.roles.includes('hr')) {
		const [scope] = await db
			.select({ path: schema.department.path })
			.from(schema.department)
			.where(eq(schema.department.id, viewer.hrScopeId ?? viewer.departmentId));
		if (scope && String(row.current_path).startsWith(scope.path)) return toView(row);
	}
	return undefined;
}

/** Public verification: holder, course, date, valid or revoked. Nothing else leaves this function. */
export async function verifyCertificate(code: string) {
	const row = await findCertificate(code);
	if (!row) return undefined;
	const view = toView(row);
	return {
		code: view.code,
		holderName: view.holderName,
		courseTitleZh: view.courseTitleZh,
		courseTitleEn: view.courseTitleEn,
		completedAt: view.completedAt,
		valid: !view.revoked
	};
}
