// What the load needs, prepared straight in the database: sessions for many users (signing in 5,000
// learners through argon2 would take minutes and is measured on its own) and open quiz attempts, one
// per learner, so every submission under load is a real first submission.
import { createHash, randomBytes } from 'node:crypto';
import type { Sql } from 'postgres';
import type { CourseDef, Library } from '../../src/lib/server/content/library';
import type { QuizQuestion } from '../../src/lib/server/quiz/parse';

export const COOKIE = 'govlearn_session';
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

function base32(bytes: number): string {
	return [...randomBytes(bytes)].map((b) => BASE32[b & 31]).join('');
}

/** Sessions for these users; returns `govlearn_session=<token>` cookie headers in the same order. */
export async function createSessions(sql: Sql, userIds: number[]): Promise<string[]> {
	if (userIds.length === 0) return [];
	const tokens = userIds.map(() => ({ id: `bench${base32(12)}`, secret: base32(20) }));
	const now = new Date();
	const expires = new Date(now.getTime() + 20 * 3_600_000);
	const ids = tokens.map((t) => t.id);
	const hashes = tokens.map((t) => createHash('sha256').update(t.secret).digest('hex'));
	await sql`insert into session (id, secret_hash, user_id, created_at, last_seen_at, expires_at)
		select id, h, u, ${now}, ${now}, ${expires} from unnest(${ids}::text[], ${hashes}::text[], ${userIds}::int[]) as t(id, h, u)`;
	return tokens.map((t) => `${COOKIE}=${t.id}.${t.secret}`);
}

/** Removes the benchmark's sessions (and those its sign-ins opened). */
export async function dropSessions(sql: Sql, since: Date, signInUsers: number[]): Promise<void> {
	await sql`delete from session where id like 'bench%'`;
	if (signInUsers.length) await sql`delete from session where user_id = any(${signInUsers}::int[]) and created_at >= ${since}`;
}

export async function userIds(sql: Sql, usernames: string[]): Promise<number[]> {
	const found = await sql<{ id: number; username: string }[]>`select id, username from "user" where username = any(${usernames}::text[])`;
	const byName = new Map(found.map((r) => [r.username, r.id]));
	const missing = usernames.filter((u) => !byName.has(u));
	if (missing.length) throw new Error(`accounts missing (run npm run seed:scale first): ${missing.slice(0, 5).join(', ')}`);
	return usernames.map((u) => byName.get(u)!);
}

/** Generated learners with an active account, `offset` rows into the list. */
export async function learners(sql: Sql, count: number, offset = 0): Promise<{ id: number; username: string }[]> {
	return sql<{ id: number; username: string }[]>`
		select id, username from "user" where generated and status = 'active' and username like 'S%' order by id limit ${count} offset ${offset}`;
}

export interface PreparedSubmission {
	cookie: string;
	path: string;
	body: string;
	userId: number;
}

function shuffled<T>(items: T[]): T[] {
	for (let i = items.length - 1; i > 0; i--) {
		const j = Math.floor(Math.random() * (i + 1));
		[items[i], items[j]] = [items[j], items[i]];
	}
	return items;
}

/**
 * `count` learners who never touched `course` (spread over the province, or whole departments one after
 * the other, as on a training day): every lesson marked done, one open attempt each (as the
 * start action makes it), and the form body that answers it (`rightShare` of the questions right, so
 * most submissions pass and complete the course inside the measured request).
 */
export async function prepareSubmissions(
	sql: Sql,
	library: Library,
	count: number,
	rightShare = 0.9,
	crowd: 'province' | 'departments' = 'province'
): Promise<{ course: CourseDef; submissions: PreparedSubmission[] }> {
	const courses = library.courses.filter((c) => !c.draft && c.errors.length === 0);
	const free = await sql<{ course_id: string; n: number }[]>`
		select c.id as course_id, (select count(*) from "user" u where u.generated and u.status = 'active' and u.username like 'S%'
			and not exists (select 1 from enrollment e where e.user_id = u.id and e.course_id = c.id)
			and not exists (select 1 from quiz_attempt a where a.user_id = u.id and a.course_id = c.id))::int as n
		from course c where c.id = any(${courses.map((c) => c.id)}::text[]) order by n desc limit 1`;
	const course = courses.find((c) => c.id === free[0]?.course_id);
	if (!course || free[0].n < count)
		throw new Error(`not enough learners without activity in any course (${free[0]?.n ?? 0} < ${count}); reseed`);
	const people = await sql<{ id: number }[]>`
		select u.id from "user" u where u.generated and u.status = 'active' and u.username like 'S%'
			and not exists (select 1 from enrollment e where e.user_id = u.id and e.course_id = ${course.id})
			and not exists (select 1 from quiz_attempt a where a.user_id = u.id and a.course_id = ${course.id})
		order by ${crowd === 'province' ? sql`md5(u.id::text)` : sql`u.department_id desc, u.id`} limit ${count}`;
	const ids = people.map((p) => p.id);
	const lessons = course.lessons.filter((l) => !l.draft).map((l) => l.slug);
	const now = new Date();
	const questions: QuizQuestion[] = course.quiz['zh-CN'] ?? course.quiz.en ?? [];
	const year = now.getFullYear();
	await sql.begin(async (tx) => {
		await tx`insert into enrollment (user_id, course_id, started_at, last_lesson_slug, last_seen_at)
			select u, ${course.id}, ${now}, ${lessons.at(-1)!}, ${now} from unnest(${ids}::int[]) as t(u)`;
		await tx`insert into lesson_progress (user_id, course_id, lesson_slug, completed_at)
			select u, ${course.id}, l, ${now} from unnest(${ids}::int[]) as t(u) cross join unnest(${lessons}::text[]) as s(l)`;
	});
	const slotsOf = ids.map(() => {
		const slots = questions.map((q) => {
			const order = q.options.map((_, i) => i);
			return { id: q.id, options: course.shuffle && q.type !== 'true-false' ? shuffled(order) : order };
		});
		return course.shuffle ? shuffled(slots) : slots;
	});
	const attempts = await sql<{ id: number; user_id: number }[]>`
		insert into quiz_attempt (user_id, course_id, attempt_no, year, content_version, locale, slots, started_at)
		select u, ${course.id}, 1, ${year}, ${course.version}, 'zh-CN', s::jsonb, ${now}
		from unnest(${ids}::int[], ${slotsOf.map((s) => JSON.stringify(s))}::text[]) as t(u, s)
		returning id, user_id`;
	const attemptOf = new Map(attempts.map((a) => [a.user_id, a.id]));
	const cookies = await createSessions(sql, ids);
	const submissions = ids.map((userId, i) => {
		const form = new URLSearchParams({ attempt: String(attemptOf.get(userId)) });
		slotsOf[i].forEach((slot, position) => {
			const q = questions.find((x) => x.id === slot.id)!;
			const right = Math.random() < rightShare;
			if (q.type === 'short') {
				form.append(`q${position}`, right ? q.accepted[0] : '不知道');
				return;
			}
			const rightShown = slot.options.flatMap((fileIndex, shown) => (q.options[fileIndex].correct ? [shown] : []));
			const wrongShown = slot.options.flatMap((fileIndex, shown) => (q.options[fileIndex].correct ? [] : [shown]));
			const picked = right || wrongShown.length === 0 ? rightShown : [wrongShown[0]];
			for (const shown of picked) form.append(`q${position}`, String(shown));
		});
		return { cookie: cookies[i], path: `/courses/${course.slug}/quiz?/submit`, body: form.toString(), userId };
	});
	return { course, submissions };
}
