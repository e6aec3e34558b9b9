// The insights rollups (insight_user_course, insight_first_attempt) are derived data kept by
// triggers. After random activity of every kind (inserts, updates, deletes, revocations, department
// moves, status changes, bulk statements, a TRUNCATE, concurrent transactions, and the learning
// service's own write paths) they must equal a recomputation from the raw records.
import { eq, sql } from 'drizzle-orm';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useLibrary } from '../../src/lib/server/content';
import { db, schema } from '../../src/lib/server/db';
import * as learning from '../../src/lib/server/learning';
import * as quiz from '../../src/lib/server/quiz';
import { resetDatabase, testDatabase } from '../helpers/db';
import { createDepartment, createUser, syncLibrary } from '../helpers/factories';
import { insertRandomAttempt } from '../helpers/activity';

beforeAll(async () => {
	await testDatabase();
});
beforeEach(resetDatabase);

function random(seed: number) {
	let a = seed >>> 0;
	const next = () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
	return { next, int, pick: <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)], chance: (p: number) => next() < p };
}

const ms = (d: Date | null | undefined) => (d ? d.getTime() : null);
const maxOf = (xs: (number | null)[]) => xs.reduce<number | null>((m, x) => (x === null ? m : m === null ? x : Math.max(m, x)), null);

/** What the rollups must hold, computed here from the raw tables. */
async function expected() {
	const [users, enrollments, lessons, attempts, answers, completions] = await Promise.all([
		db.select().from(schema.user),
		db.select().from(schema.enrollment),
		db.select().from(schema.lessonProgress),
		db.select().from(schema.quizAttempt),
		db.select().from(schema.attemptAnswer),
		db.select().from(schema.completion)
	]);
	const person = new Map(users.map((u) => [u.id, u]));
	const perCourse = new Map<string, { activity: (number | null)[]; completed: (number | null)[] }>();
	const at = (userId: number, courseId: string) => {
		const key = `${userId}|${courseId}`;
		if (!perCourse.has(key)) perCourse.set(key, { activity: [], completed: [] });
		return perCourse.get(key)!;
	};
	for (const e of enrollments) at(e.userId, e.courseId).activity.push(Math.max(e.startedAt.getTime(), e.lastSeenAt.getTime()));
	for (const l of lessons) at(l.userId, l.courseId).activity.push(l.completedAt.getTime());
	for (const q of attempts) at(q.userId, q.courseId).activity.push(q.startedAt.getTime());
	for (const c of completions) if (c.revokedAt === null) at(c.userId, c.courseId).completed.push(c.completedAt.getTime());
	const userCourse = [...perCourse.entries()]
		.map(([key, v]) => {
			const [userId, courseId] = key.split('|');
			const u = person.get(Number(userId))!;
			return {
				userId: Number(userId),
				courseId,
				departmentId: u.departmentId,
				staff: u.status !== 'inactive',
				lastActivityAt: maxOf(v.activity),
				lastCompletedAt: maxOf(v.completed)
			};
		})
		.filter((r) => r.lastActivityAt !== null || r.lastCompletedAt !== null)
		.sort((p, q) => p.userId - q.userId || p.courseId.localeCompare(q.courseId));

	const first = new Map<
		string,
		{
			userId: number;
			courseId: string;
			competencyId: string;
			attemptedAt: number;
			pointsEarned: number;
			pointsPossible: number;
			answers: number;
		}
	>();
	for (const a of answers) {
		if (a.attemptNo !== 1) continue;
		const key = `${a.userId}|${a.courseId}|${a.competencyId}`;
		const cur = first.get(key) ?? {
			userId: a.userId,
			courseId: a.courseId,
			competencyId: a.competencyId,
			attemptedAt: a.answeredAt.getTime(),
			pointsEarned: 0,
			pointsPossible: 0,
			answers: 0
		};
		cur.attemptedAt = Math.min(cur.attemptedAt, a.answeredAt.getTime());
		cur.pointsEarned += a.pointsEarned;
		cur.pointsPossible += a.pointsPossible;
		cur.answers += 1;
		first.set(key, cur);
	}
	const firstAttempt = [...first.values()]
		.map((r) => {
			const u = person.get(r.userId)!;
			return { ...r, departmentId: u.departmentId, staff: u.status !== 'inactive' };
		})
		.sort((p, q) => p.userId - q.userId || p.courseId.localeCompare(q.courseId) || p.competencyId.localeCompare(q.competencyId));
	return { userCourse, firstAttempt };
}

async function actual() {
	const userCourse = (await db.select().from(schema.insightUserCourse))
		.map((r) => ({ ...r, lastActivityAt: ms(r.lastActivityAt), lastCompletedAt: ms(r.lastCompletedAt) }))
		.sort((p, q) => p.userId - q.userId || p.courseId.localeCompare(q.courseId));
	const firstAttempt = (await db.select().from(schema.insightFirstAttempt))
		.map((r) => ({ ...r, attemptedAt: r.attemptedAt.getTime() }))
		.sort((p, q) => p.userId - q.userId || p.courseId.localeCompare(q.courseId) || p.competencyId.localeCompare(q.competencyId));
	return { userCourse, firstAttempt };
}

async function expectExact(label: string) {
	const [want, got] = [await expected(), await actual()];
	expect(want.userCourse.length + want.firstAttempt.length, `${label}: something to compare`).toBeGreaterThan(0);
	expect(got.userCourse, `${label}: insight_user_course`).toEqual(want.userCourse);
	expect(got.firstAttempt, `${label}: insight_first_attempt`).toEqual(want.firstAttempt);
}

const COURSES = ['c1', 'c2', 'c3'];
const COMPETENCIES = ['k1', 'k2', 'k3'];

async function catalogue() {
	for (const [i, id] of COMPETENCIES.entries()) await db.insert(schema.competency).values({ id, nameZh: id, nameEn: id, position: i });
	for (const [i, id] of COURSES.entries()) {
		await db.insert(schema.course).values({
			id,
			slug: id,
			position: i,
			titleZh: id,
			titleEn: id,
			hours: 1,
			competencies: [COMPETENCIES[i]],
			level: 'basic',
			passScore: 60,
			attemptLimit: 99,
			contentVersion: 'v1'
		});
	}
}

describe('rollups equal a recomputation from the raw records', () => {
	it('after random inserts, updates, deletes, revocations, moves, status changes, bulk statements and a TRUNCATE', async () => {
		await catalogue();
		const r = random(20261125);
		const root = await createDepartment({ code: 'R' });
		const depts = [root, await createDepartment({ parent: root }), await createDepartment({ parent: root })];
		depts.push(await createDepartment({ parent: depts[1] }));
		const users: number[] = [];
		for (let i = 0; i < 12; i++) users.push((await createUser({ department: r.pick(depts), password: null })).id);
		const base = Date.UTC(2026, 0, 10);
		const moment = () => new Date(base + r.int(0, 300) * 86_400_000 + r.int(0, 86_399) * 1000);
		let certificate = 0;

		const ops: (() => Promise<unknown>)[] = [
			// enrol, or touch an enrolment (later or, rarely, earlier)
			() =>
				db
					.insert(schema.enrollment)
					.values({ userId: r.pick(users), courseId: r.pick(COURSES), startedAt: moment(), lastSeenAt: moment() })
					.onConflictDoUpdate({ target: [schema.enrollment.userId, schema.enrollment.courseId], set: { lastSeenAt: moment() } }),
			() =>
				db
					.update(schema.enrollment)
					.set({ lastSeenAt: moment() })
					.where(eq(schema.enrollment.userId, r.pick(users))),
			() => db.delete(schema.enrollment).where(sql`user_id = ${r.pick(users)} and course_id = ${r.pick(COURSES)}`),
			// lessons, several in one statement
			() =>
				db
					.insert(schema.lessonProgress)
					.values([1, 2, 3].map((n) => ({ userId: r.pick(users), courseId: r.pick(COURSES), lessonSlug: `l${n}`, completedAt: moment() })))
					.onConflictDoNothing(),
			() =>
				db
					.update(schema.lessonProgress)
					.set({ completedAt: moment() })
					.where(sql`user_id = ${r.pick(users)}`),
			() => db.delete(schema.lessonProgress).where(sql`user_id = ${r.pick(users)} and lesson_slug = ${`l${r.int(1, 3)}`}`),
			// an attempt with its answers (first or later), or a change to one
			async () => {
				const userId = r.pick(users);
				const courseId = r.pick(COURSES);
				const [{ no }] = await db
					.select({ no: sql<number>`coalesce(max(${schema.quizAttempt.attemptNo}), 0) + 1` })
					.from(schema.quizAttempt)
					.where(sql`user_id = ${userId} and course_id = ${courseId}`);
				const at = moment();
				await insertRandomAttempt(r, { userId, courseId, attemptNo: Number(no), at, competencies: COMPETENCIES, answerGapMs: 1000 });
			},
			() =>
				db
					.update(schema.quizAttempt)
					.set({ startedAt: moment() })
					.where(sql`id = (select min(id) from quiz_attempt where user_id = ${r.pick(users)})`),
			() =>
				db
					.update(schema.quizAttempt)
					.set({ score: r.int(0, 100), passed: r.chance(0.5) })
					.where(sql`user_id = ${r.pick(users)}`),
			() =>
				db
					.update(schema.attemptAnswer)
					.set({ pointsEarned: r.int(0, 2) })
					.where(sql`user_id = ${r.pick(users)} and question_id = 'q0'`),
			() => db.delete(schema.attemptAnswer).where(sql`user_id = ${r.pick(users)} and question_id = 'q1'`),
			async () => {
				const userId = r.pick(users);
				await db
					.delete(schema.attemptAnswer)
					.where(sql`attempt_id in (select id from quiz_attempt where user_id = ${userId} and attempt_no = 1)`);
				await db
					.delete(schema.completion)
					.where(sql`attempt_id in (select id from quiz_attempt where user_id = ${userId} and attempt_no = 1)`);
				await db
					.delete(schema.quizAttempt)
					.where(
						sql`user_id = ${userId} and attempt_no = 1 and not exists (select 1 from quiz_attempt q2 where q2.user_id = quiz_attempt.user_id and q2.course_id = quiz_attempt.course_id and q2.attempt_no > 1)`
					);
			},
			// completions, revocations, reinstatement, deletion
			async () => {
				const userId = r.pick(users);
				const [u] = await db.select().from(schema.user).where(eq(schema.user.id, userId));
				const at = moment();
				await db
					.insert(schema.completion)
					.values({
						userId,
						courseId: r.pick(COURSES),
						completedAt: at,
						year: r.pick([2025, 2026]),
						departmentId: u.departmentId,
						hours: 1,
						score: 90,
						contentVersion: 'v1',
						certificateCode: `c${++certificate}`
					})
					.onConflictDoNothing();
			},
			() =>
				db
					.update(schema.completion)
					.set({ revokedAt: new Date() })
					.where(sql`id = (select min(id) from completion where user_id = ${r.pick(users)} and revoked_at is null)`),
			() =>
				db
					.update(schema.completion)
					.set({ revokedAt: null })
					.where(sql`user_id = ${r.pick(users)}`),
			() => db.delete(schema.completion).where(sql`id = (select max(id) from completion where user_id = ${r.pick(users)})`),
			// people move and change status, one at a time and all at once
			() =>
				db
					.update(schema.user)
					.set({ departmentId: r.pick(depts).id })
					.where(eq(schema.user.id, r.pick(users))),
			() =>
				db
					.update(schema.user)
					.set({ status: r.pick(['active', 'pending', 'inactive'] as const) })
					.where(eq(schema.user.id, r.pick(users))),
			() => db.update(schema.user).set({ departmentId: sql`case when id % 2 = 0 then ${r.pick(depts).id} else department_id end` }),
			() =>
				db
					.update(schema.user)
					.set({ displayName: 'renamed' })
					.where(eq(schema.user.id, r.pick(users)))
		];

		for (let step = 1; step <= 240; step++) {
			await r.pick(ops)();
			if (step % 60 === 0) await expectExact(`after ${step} random operations`);
		}

		// Bulk: more people in one statement than the per-person locks handle (the table-lock path).
		const many = await db
			.insert(schema.user)
			.values(
				Array.from({ length: 300 }, (_, i) => ({ username: `bulk${i}`, displayName: `b${i}`, departmentId: depts[i % depts.length].id }))
			)
			.returning({ id: schema.user.id });
		await db
			.insert(schema.enrollment)
			.values(many.map((u, i) => ({ userId: u.id, courseId: COURSES[i % 3], startedAt: moment(), lastSeenAt: moment() })));
		await db
			.update(schema.user)
			.set({ departmentId: depts[0].id, status: 'inactive' })
			.where(sql`username like 'bulk%'`);
		await db
			.update(schema.enrollment)
			.set({ lastSeenAt: new Date(base) })
			.where(sql`user_id in (select id from "user" where username like 'bulk%')`);
		await expectExact('after bulk statements');

		await db.execute(sql`truncate lesson_progress`);
		await expectExact('after a TRUNCATE');
	});

	it('when concurrent transactions write for the same people', async () => {
		await catalogue();
		const root = await createDepartment({ code: 'R' });
		const other = await createDepartment({ parent: root });
		const users = [
			(await createUser({ department: root, password: null })).id,
			(await createUser({ department: root, password: null })).id
		];
		const r = random(42);
		const at = (n: number) => new Date(Date.UTC(2026, 2, 1) + n * 3_600_000);
		let n = 0;
		const jobs = Array.from({ length: 24 }, (_, i) => async () => {
			const userId = users[i % 2];
			const courseId = COURSES[i % 3];
			await db.transaction(async (tx) => {
				const k = ++n;
				if (i % 4 === 0) await tx.insert(schema.lessonProgress).values({ userId, courseId, lessonSlug: `l${i}`, completedAt: at(k) });
				else if (i % 4 === 1)
					await tx
						.insert(schema.enrollment)
						.values({ userId, courseId, startedAt: at(k), lastSeenAt: at(k) })
						.onConflictDoUpdate({ target: [schema.enrollment.userId, schema.enrollment.courseId], set: { lastSeenAt: at(k) } });
				else if (i % 4 === 2)
					await tx.insert(schema.completion).values({
						userId,
						courseId,
						completedAt: at(k),
						year: 2000 + i,
						departmentId: root.id,
						hours: 1,
						score: 90,
						contentVersion: 'v1',
						certificateCode: `cc${i}`
					});
				else
					await tx
						.update(schema.user)
						.set({ departmentId: r.chance(0.5) ? other.id : root.id })
						.where(eq(schema.user.id, userId));
				await tx.execute(sql`select pg_sleep(0.01)`);
			});
		});
		await Promise.all(jobs.map((job) => job()));
		await expectExact('after concurrent transactions');
	});

	it('through the learning service’s own write paths', async () => {
		const library = await syncLibrary();
		useLibrary(library);
		const course = learning.publishedCourse('fixture-basics')!;
		const dept = await createDepartment();
		const user = await createUser({ department: dept, password: null });
		await learning.startCourse(user.id, course);
		for (const l of learning.visibleLessons(course)) await learning.markLessonDone(user.id, course, l.slug);
		const started = await quiz.startAttempt(user.id, course, 'en');
		expect(started.ok).toBe(true);
		if (!started.ok) return;
		await quiz.submitAttempt(user.id, course, started.attemptId, {}, 'en');
		await expectExact('after the learning flow');
		const [row] = await db.select().from(schema.insightFirstAttempt).where(eq(schema.insightFirstAttempt.userId, user.id));
		expect(row).toMatchObject({ courseId: course.id, pointsEarned: 0 });
	});
});
