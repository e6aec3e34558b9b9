// The department rollups (insight_dept_staff, _course, _mastery, _hours) are derived data kept by
// triggers. After random activity of every kind (single and bulk statements, moves, status changes,
// revocations, deletes, a TRUNCATE, concurrent transactions, the learning service's own write paths)
// they must equal a recomputation from the raw records.
import { eq, sql } from 'drizzle-orm';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useLibrary } from '../../src/lib/server/content';
import { db, rows, schema } from '../../src/lib/server/db';
import * as learning from '../../src/lib/server/learning';
import * as quiz from '../../src/lib/server/quiz';
import { resetDatabase, testDatabase } from '../helpers/db';
import { createDepartment, createUser, syncLibrary } from '../helpers/factories';
import { insertRandomAttempt } from '../helpers/activity';
import { createRandom } from '../../seeds/random';

beforeAll(async () => {
	await testDatabase();
});
beforeEach(resetDatabase);

type Cell = Record<string, string | number | boolean>;
const key = (r: Cell, cols: string[]) => cols.map((c) => String(r[c])).join('|');
const sortBy = (cols: string[]) => (a: Cell, b: Cell) => key(a, cols).localeCompare(key(b, cols));

/** The four rollups recomputed here, in JS, from the raw tables (years of timestamps as the database's session sees them). */
async function expected() {
	const users = await db.select().from(schema.user);
	const person = new Map(users.map((u) => [u.id, u]));
	const staff = (id: number) => person.get(id)?.status !== 'inactive';
	const count = <T>(map: Map<string, T>, k: string, init: () => T) => map.get(k) ?? (map.set(k, init()), map.get(k)!);

	const staffBy = new Map<string, Cell>();
	for (const u of users)
		if (u.status !== 'inactive')
			(count(staffBy, String(u.departmentId), () => ({ departmentId: u.departmentId, staff: 0 })).staff as number)++;

	const activity = await rows<{ user_id: number; course_id: string; active: boolean }>(
		db,
		sql`select user_id, course_id, false as active from completion where revoked_at is null
		union all select user_id, course_id, true from enrollment
		union all select user_id, course_id, true from lesson_progress
		union all select user_id, course_id, true from quiz_attempt`
	);
	const latest = await rows<{ user_id: number; course_id: string; y: number }>(
		db,
		sql`select distinct on (user_id, course_id) user_id, course_id, extract(year from completed_at)::int as y from completion where revoked_at is null order by user_id, course_id, completed_at desc`
	);
	const latestYear = new Map(latest.map((r) => [`${r.user_id}|${r.course_id}`, Number(r.y)]));
	const perPerson = new Map<string, { userId: number; courseId: string; active: boolean }>();
	for (const a of activity) {
		const p = count(perPerson, `${a.user_id}|${a.course_id}`, () => ({ userId: Number(a.user_id), courseId: a.course_id, active: false }));
		if (a.active) p.active = true;
	}
	const courseBy = new Map<string, Cell>();
	for (const p of perPerson.values()) {
		if (!staff(p.userId)) continue;
		const u = person.get(p.userId)!;
		const year = latestYear.get(`${p.userId}|${p.courseId}`) ?? 0;
		const k = `${u.departmentId}|${p.courseId}|${year}|${p.active}`;
		(count(courseBy, k, () => ({ departmentId: u.departmentId, courseId: p.courseId, completedYear: year, active: p.active, people: 0 }))
			.people as number)++;
	}

	const answers = (await db.select().from(schema.attemptAnswer)).filter((a) => a.attemptNo === 1 && staff(a.userId));
	const mastery = new Map<
		string,
		{ departmentId: number; competencyId: string; people: number; earned: number; possible: number; who: Set<number> }
	>();
	for (const a of answers) {
		const d = person.get(a.userId)!.departmentId;
		const m = count(mastery, `${d}|${a.competencyId}`, () => ({
			departmentId: d,
			competencyId: a.competencyId,
			people: 0,
			earned: 0,
			possible: 0,
			who: new Set<number>()
		}));
		m.who.add(a.userId);
		m.earned += a.pointsEarned;
		m.possible += a.pointsPossible;
	}
	const masteryRows = [...mastery.values()].map(({ who, ...m }) => ({ ...m, people: who.size }));

	const completions = (await db.select().from(schema.completion)).filter((c) => c.revokedAt === null && staff(c.userId));
	const totals = new Map<string, { userId: number; year: number; hours: number }>();
	for (const c of completions)
		count(totals, `${c.userId}|${c.year}`, () => ({ userId: c.userId, year: c.year, hours: 0 })).hours += Number(c.hours);
	const hours = new Map<string, Cell>();
	for (const t of totals.values()) {
		const d = person.get(t.userId)!.departmentId;
		const h = Math.round(t.hours * 10) / 10;
		(count(hours, `${d}|${t.year}|${h}`, () => ({ departmentId: d, year: t.year, hours: h, people: 0 })).people as number)++;
	}
	return {
		staff: [...staffBy.values()].sort(sortBy(['departmentId'])),
		course: [...courseBy.values()].sort(sortBy(['departmentId', 'courseId', 'completedYear', 'active'])),
		mastery: masteryRows.sort(sortBy(['departmentId', 'competencyId'])),
		hours: [...hours.values()].sort(sortBy(['departmentId', 'year', 'hours']))
	};
}

/** What the triggers keep, without rows whose counts went back to zero. */
async function actual() {
	return {
		staff: (await db.select().from(schema.insightDeptStaff)).filter((r) => r.staff !== 0).sort(sortBy(['departmentId'])),
		course: (await db.select().from(schema.insightDeptCourse))
			.filter((r) => r.people !== 0)
			.sort(sortBy(['departmentId', 'courseId', 'completedYear', 'active'])),
		mastery: (await db.select().from(schema.insightDeptMastery))
			.filter((r) => r.people !== 0 || r.earned !== 0 || r.possible !== 0)
			.sort(sortBy(['departmentId', 'competencyId'])),
		hours: (await db.select().from(schema.insightDeptHours))
			.filter((r) => r.people !== 0)
			.map((r) => ({ ...r, hours: Number(r.hours) }))
			.sort(sortBy(['departmentId', 'year', 'hours']))
	};
}

async function expectExact(label: string) {
	const [want, got] = [await expected(), await actual()];
	expect(want.staff.length, `${label}: something to compare`).toBeGreaterThan(0);
	expect(got.staff, `${label}: insight_dept_staff`).toEqual(want.staff);
	expect(got.course, `${label}: insight_dept_course`).toEqual(want.course);
	expect(got.mastery, `${label}: insight_dept_mastery`).toEqual(want.mastery);
	expect(got.hours, `${label}: insight_dept_hours`).toEqual(want.hours);
	// Pending changes are applied when their transaction commits: none are left over.
	expect(await db.select().from(schema.insightDeptDelta), `${label}: insight_dept_delta`).toEqual([]);
	expect(await db.select().from(schema.insightDeptFlush), `${label}: insight_dept_flush`).toEqual([]);
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
			hours: 1.5,
			competencies: [COMPETENCIES[i]],
			level: 'basic',
			passScore: 60,
			attemptLimit: 99,
			contentVersion: 'v1'
		});
	}
}

describe('department rollups equal a recomputation from the raw records', () => {
	it('after random single and bulk writes, moves, status changes, revocations, deletes and a TRUNCATE', async () => {
		await catalogue();
		const r = createRandom(8080);
		const root = await createDepartment({ code: 'R' });
		const depts = [root, await createDepartment({ parent: root }), await createDepartment({ parent: root })];
		depts.push(await createDepartment({ parent: depts[1] }));
		const users: number[] = [];
		for (let i = 0; i < 14; i++) users.push((await createUser({ department: r.pick(depts), password: null })).id);
		// Around new year, so the latest completion's year matters.
		const base = Date.UTC(2025, 10, 1);
		const moment = () => new Date(base + r.int(0, 120) * 86_400_000 + r.int(0, 86_399) * 1000);
		let certificate = 0;
		const attempt = async (userId: number, courseId: string) => {
			const [{ no }] = await db
				.select({ no: sql<number>`coalesce(max(${schema.quizAttempt.attemptNo}), 0) + 1` })
				.from(schema.quizAttempt)
				.where(sql`user_id = ${userId} and course_id = ${courseId}`);
			const at = moment();
			await insertRandomAttempt(r, { userId, courseId, attemptNo: Number(no), at, competencies: COMPETENCIES });
		};
		const complete = async (userId: number) => {
			const at = moment();
			await db
				.insert(schema.completion)
				.values({
					userId,
					courseId: r.pick(COURSES),
					completedAt: at,
					year: at.getUTCFullYear(),
					departmentId: depts[0].id,
					hours: r.pick([1, 1.5, 2.5]),
					score: 90,
					contentVersion: 'v1',
					certificateCode: `c${++certificate}`
				})
				.onConflictDoNothing();
		};

		const ops: (() => Promise<unknown>)[] = [
			() =>
				db
					.insert(schema.enrollment)
					.values({ userId: r.pick(users), courseId: r.pick(COURSES), startedAt: moment(), lastSeenAt: moment() })
					.onConflictDoUpdate({ target: [schema.enrollment.userId, schema.enrollment.courseId], set: { lastSeenAt: moment() } }),
			() => db.delete(schema.enrollment).where(sql`user_id = ${r.pick(users)} and course_id = ${r.pick(COURSES)}`),
			() =>
				db
					.insert(schema.lessonProgress)
					.values([1, 2, 3].map((n) => ({ userId: r.pick(users), courseId: r.pick(COURSES), lessonSlug: `l${n}`, completedAt: moment() })))
					.onConflictDoNothing(),
			() => db.delete(schema.lessonProgress).where(sql`user_id = ${r.pick(users)}`),
			() => attempt(r.pick(users), r.pick(COURSES)),
			() => attempt(r.pick(users), r.pick(COURSES)),
			() =>
				db
					.update(schema.attemptAnswer)
					.set({ pointsEarned: r.int(0, 2) })
					.where(sql`user_id = ${r.pick(users)} and question_id = 'q0'`),
			() =>
				db
					.update(schema.attemptAnswer)
					.set({ competencyId: r.pick(COMPETENCIES) })
					.where(sql`user_id = ${r.pick(users)} and question_id = 'q1'`),
			() => db.delete(schema.attemptAnswer).where(sql`user_id = ${r.pick(users)} and question_id = 'q2'`),
			() => complete(r.pick(users)),
			() => complete(r.pick(users)),
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
			() =>
				db
					.update(schema.completion)
					.set({ hours: 3, year: 2026 })
					.where(sql`id = (select max(id) from completion where user_id = ${r.pick(users)})`),
			() => db.delete(schema.completion).where(sql`id = (select max(id) from completion where user_id = ${r.pick(users)})`),
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
					.where(eq(schema.user.id, r.pick(users))),
			async () =>
				users.push((await createUser({ department: r.pick(depts), password: null, status: r.pick(['active', 'inactive'] as const) })).id)
		];
		for (let step = 1; step <= 300; step++) {
			await r.pick(ops)();
			if (step % 75 === 0) await expectExact(`after ${step} random operations`);
		}

		// Bulk statements over more people than the per-person locks take (the table-lock paths).
		const many = await db
			.insert(schema.user)
			.values(
				Array.from({ length: 300 }, (_, i) => ({ username: `bulk${i}`, displayName: `b${i}`, departmentId: depts[i % depts.length].id }))
			)
			.returning({ id: schema.user.id });
		await db.insert(schema.completion).values(
			many.map((u, i) => ({
				userId: u.id,
				courseId: COURSES[i % 3],
				completedAt: moment(),
				year: 2026,
				departmentId: depts[0].id,
				hours: 2,
				score: 80,
				contentVersion: 'v1',
				certificateCode: `bulk${i}`
			}))
		);
		await db
			.insert(schema.enrollment)
			.values(many.map((u, i) => ({ userId: u.id, courseId: COURSES[i % 3], startedAt: moment(), lastSeenAt: moment() })));
		await expectExact('after bulk inserts');
		await db
			.update(schema.user)
			.set({ departmentId: depts[3].id, status: sql`case when id % 3 = 0 then 'inactive' else status end` })
			.where(sql`username like 'bulk%'`);
		await db
			.update(schema.completion)
			.set({ hours: 4 })
			.where(sql`certificate_code like 'bulk%'`);
		await expectExact('after bulk updates');
		await db.delete(schema.completion).where(sql`certificate_code like 'bulk1%'`);
		await db.delete(schema.enrollment).where(sql`user_id in (select id from "user" where username like 'bulk1%')`);
		await db.delete(schema.user).where(sql`username like 'bulk1%'`);
		await expectExact('after bulk deletes');

		await db.execute(sql`truncate lesson_progress`);
		await db.execute(sql`truncate attempt_answer`);
		await expectExact('after a TRUNCATE');
	});

	it('when concurrent transactions write for the same people and departments', async () => {
		await catalogue();
		const root = await createDepartment({ code: 'R' });
		const other = await createDepartment({ parent: root });
		const users: number[] = [];
		for (let i = 0; i < 4; i++) users.push((await createUser({ department: root, password: null })).id);
		const r = createRandom(7);
		const at = (n: number) => new Date(Date.UTC(2026, 2, 1) + n * 3_600_000);
		let n = 0;
		const jobs = Array.from({ length: 32 }, (_, i) => async () => {
			const userId = users[i % users.length];
			const courseId = COURSES[i % 3];
			await db.transaction(async (tx) => {
				const k = ++n;
				if (i % 4 === 0) {
					const [a] = await tx
						.insert(schema.quizAttempt)
						.values({
							userId,
							courseId,
							attemptNo: 100 + i,
							year: 2026,
							contentVersion: 'v1',
							locale: 'en',
							slots: [],
							startedAt: at(k),
							submittedAt: at(k)
						})
						.returning();
					await tx.insert(schema.attemptAnswer).values({
						attemptId: a.id,
						questionId: 'q',
						courseId,
						userId,
						competencyId: COMPETENCIES[i % 3],
						attemptNo: 1,
						contentVersion: 'v1',
						keyHash: 'k',
						locale: 'en',
						pointsPossible: 2,
						pointsEarned: i % 3,
						correct: false,
						response: [1],
						answeredAt: at(k)
					});
				} else if (i % 4 === 1)
					await tx
						.insert(schema.enrollment)
						.values({ userId, courseId, startedAt: at(k), lastSeenAt: at(k) })
						.onConflictDoUpdate({ target: [schema.enrollment.userId, schema.enrollment.courseId], set: { lastSeenAt: at(k) } });
				else if (i % 4 === 2)
					await tx
						.insert(schema.completion)
						.values({
							userId,
							courseId,
							completedAt: at(k),
							year: 2020 + (i % 3),
							departmentId: root.id,
							hours: 1.5,
							score: 90,
							contentVersion: 'v1',
							certificateCode: `cc${i}`
						})
						.onConflictDoNothing();
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
		const [row] = await db.select().from(schema.insightDeptCourse).where(eq(schema.insightDeptCourse.departmentId, dept.id));
		expect(row).toMatchObject({ courseId: course.id, active: true, people: 1 });
	});
});
