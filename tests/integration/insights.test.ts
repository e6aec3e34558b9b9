// HR insights: every figure of the overview, the completion matrix and the heatmap is recomputed here
// in TypeScript from the raw rows of a constructed organisation (people who moved department, a
// yearly assignment with last year's completion, a revoked certificate, suppressed cells, inactive
// and pending accounts) and compared with what the service reports; then the HR scope, remediation
// and the exports.
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { eq, sql } from 'drizzle-orm';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { db, rows, schema } from '../../src/lib/server/db';
import * as insights from '../../src/lib/server/insights';
import { resetDatabase, testDatabase } from '../helpers/db';
import { createDepartment, createUser } from '../helpers/factories';

beforeAll(async () => {
	await testDatabase();
});
beforeEach(resetDatabase);

// ---------------------------------------------------------------------------------------------
// The constructed organisation

function random(seed: number) {
	let a = seed >>> 0;
	const next = () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	return { next, int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)), chance: (p: number) => next() < p };
}

const DAY = 86_400_000;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

async function today(): Promise<string> {
	const [r] = await rows<{ d: string }>(db, sql`select to_char(current_date, 'YYYY-MM-DD') as d`);
	return r.d;
}

async function competency(id: string, position: number) {
	await db.insert(schema.competency).values({ id, nameZh: `能力${id}`, nameEn: `Skill ${id}`, position });
}

async function course(id: string, competencies: string[], hours: number, position: number, draft = false) {
	await db.insert(schema.course).values({
		id,
		slug: id,
		position,
		titleZh: `课程${id}`,
		titleEn: `Course ${id}`,
		hours,
		competencies,
		level: 'basic',
		passScore: 60,
		attemptLimit: 3,
		draft,
		contentVersion: 'v1'
	});
}

async function assign(
	courseId: string,
	department: { id: number },
	dueDate: string,
	opts: { recurrence?: 'none' | 'yearly'; required?: boolean; ended?: boolean; createdAt?: Date } = {}
) {
	await db.insert(schema.assignment).values({
		courseId,
		departmentId: department.id,
		dueDate,
		recurrence: opts.recurrence ?? 'none',
		required: opts.required ?? true,
		createdAt: opts.createdAt ?? new Date(),
		endedAt: opts.ended ? new Date() : null
	});
}

let certificate = 0;
async function complete(userId: number, courseId: string, at: Date, departmentId: number, hours: number, revoked = false) {
	await db.insert(schema.completion).values({
		userId,
		courseId,
		completedAt: at,
		year: at.getUTCFullYear(),
		departmentId,
		hours,
		score: 80,
		contentVersion: 'v1',
		certificateCode: `cert${++certificate}`,
		revokedAt: revoked ? new Date() : null
	});
}

let attemptNo = new Map<string, number>();
/** A submitted attempt with per-question answers: [competency, earned] pairs, 2 points per question. */
async function attempt(userId: number, courseId: string, at: Date, answers: [string, number][]) {
	const key = `${userId}/${courseId}`;
	const no = (attemptNo.get(key) ?? 0) + 1;
	attemptNo.set(key, no);
	const [a] = await db
		.insert(schema.quizAttempt)
		.values({
			userId,
			courseId,
			attemptNo: no,
			year: at.getUTCFullYear(),
			contentVersion: 'v1',
			locale: 'zh-CN',
			slots: [],
			startedAt: at,
			submittedAt: at
		})
		.returning();
	await db.insert(schema.attemptAnswer).values(
		answers.map(([competencyId, earned], i) => ({
			attemptId: a.id,
			questionId: `q${i}`,
			courseId,
			userId,
			competencyId,
			attemptNo: no,
			contentVersion: 'v1',
			keyHash: 'k',
			locale: 'zh-CN',
			pointsPossible: 2,
			pointsEarned: earned,
			correct: earned === 2,
			response: [0],
			answeredAt: at
		}))
	);
}

interface Org {
	root: Awaited<ReturnType<typeof createDepartment>>;
	a: Awaited<ReturnType<typeof createDepartment>>;
	a1: Awaited<ReturnType<typeof createDepartment>>;
	a2: Awaited<ReturnType<typeof createDepartment>>;
	b: Awaited<ReturnType<typeof createDepartment>>;
	b1: Awaited<ReturnType<typeof createDepartment>>;
	c: Awaited<ReturnType<typeof createDepartment>>;
	hr: { id: number; username: string };
	hrA: { id: number; username: string };
	mover: { id: number };
	recurring: { id: number };
	outsider: { id: number };
	today: string;
}

/**
 * ROOT ─ A ─ A1, A2
 *      ├ B ─ B1
 *      └ C
 * Courses c1 (k1, k2), c2 (k2), c3 (k3), c4 (k1, draft).
 */
async function buildOrg(seed = 7): Promise<Org> {
	attemptNo = new Map();
	const r = random(seed);
	const t = await today();
	const now = new Date(`${t}T12:00:00Z`);
	const year = now.getUTCFullYear();
	const daysAgo = (n: number) => new Date(now.getTime() - n * DAY);
	// Mid-year moments of this year that are already past, and of last year.
	const thisYear = (n: number) => {
		const start = Date.UTC(year, 0, 2, 12);
		return new Date(start + Math.floor(((now.getTime() - start) * n) / 100));
	};
	const lastYear = new Date(Date.UTC(year - 1, 5, 15, 12));

	await competency('k1', 0);
	await competency('k2', 1);
	await competency('k3', 2);
	await course('c1', ['k1', 'k2'], 2, 0);
	await course('c2', ['k2'], 1.5, 1);
	await course('c3', ['k3'], 3, 2);
	await course('c4', ['k1'], 1, 3, true);

	const root = await createDepartment({ code: 'ROOT' });
	const a = await createDepartment({ code: 'A', parent: root });
	const a1 = await createDepartment({ code: 'A1', parent: a });
	const a2 = await createDepartment({ code: 'A2', parent: a });
	const b = await createDepartment({ code: 'B', parent: root });
	const b1 = await createDepartment({ code: 'B1', parent: b });
	const c = await createDepartment({ code: 'C', parent: root });

	const hr = await createUser({ username: 'hr', department: root, roles: ['hr', 'learner'], hrScope: root, password: null });
	const hrA = await createUser({ username: 'hr-a', department: a, roles: ['hr', 'learner'], hrScope: a, password: null });

	// Assignments: one-off c1 for everyone, already due; yearly c2 for A, due a year ago (so this
	// year's period applies); c2 one-off for the rest, due later; c3 recommended only; B overrides c1
	// with a later due date; an ended c3 assignment on C that no longer applies.
	const longAgo = isoDay(daysAgo(400)).replace(/-02-29$/, '-02-28');
	await assign('c1', root, isoDay(daysAgo(30)));
	await assign('c2', a, longAgo, { recurrence: 'yearly' });
	await assign('c2', root, isoDay(new Date(now.getTime() + 10 * DAY)));
	await assign('c3', root, isoDay(new Date(now.getTime() + 60 * DAY)), { required: false });
	await assign('c1', b, isoDay(new Date(now.getTime() + 30 * DAY)));
	await assign('c3', c, isoDay(daysAgo(5)), { ended: true });
	await assign('c4', root, isoDay(daysAgo(3)));

	const sizes: [typeof root, number][] = [
		[a1, 9],
		[a2, 4],
		[a, 2],
		[b1, 8],
		[b, 1],
		[c, 6]
	];
	const people: { id: number; dept: typeof root }[] = [];
	for (const [dept, n] of sizes) {
		for (let i = 0; i < n; i++) {
			const status = r.chance(0.08) ? 'inactive' : r.chance(0.05) ? 'pending' : 'active';
			const u = await createUser({ department: dept, status, password: null });
			people.push({ id: u.id, dept });
		}
	}
	for (const p of people) {
		for (const courseId of ['c1', 'c2', 'c3']) {
			const roll = r.next();
			if (roll < 0.3) continue;
			await db
				.insert(schema.enrollment)
				.values({ userId: p.id, courseId, startedAt: thisYear(r.int(1, 40)), lastSeenAt: thisYear(r.int(40, 60)) });
			if (roll > 0.45)
				await db.insert(schema.lessonProgress).values({ userId: p.id, courseId, lessonSlug: 'l1', completedAt: thisYear(r.int(40, 60)) });
			if (roll > 0.55) {
				const comps = courseId === 'c1' ? ['k1', 'k1', 'k2'] : courseId === 'c2' ? ['k2', 'k2'] : ['k3', 'k3', 'k3'];
				await attempt(
					p.id,
					courseId,
					thisYear(r.int(60, 70)),
					comps.map((k) => [k, r.int(0, 2)])
				);
				if (roll > 0.7)
					await attempt(
						p.id,
						courseId,
						thisYear(r.int(70, 75)),
						comps.map((k) => [k, 2])
					);
			}
			if (roll > 0.65)
				await complete(
					p.id,
					courseId,
					thisYear(r.int(75, 95)),
					p.dept.id,
					courseId === 'c1' ? 2 : courseId === 'c2' ? 1.5 : 3,
					r.chance(0.1)
				);
		}
	}

	// A person who completed c1 in B1 and has since moved to A1.
	const mover = await createUser({ department: b1, password: null });
	await db.insert(schema.enrollment).values({ userId: mover.id, courseId: 'c1', startedAt: thisYear(10), lastSeenAt: thisYear(12) });
	await attempt(mover.id, 'c1', thisYear(12), [
		['k1', 0],
		['k1', 0],
		['k2', 0]
	]);
	await complete(mover.id, 'c1', thisYear(15), b1.id, 2);
	await db.update(schema.user).set({ departmentId: a1.id }).where(eq(schema.user.id, mover.id));

	// Yearly c2 in A: completed last year only (does not count), and c1 completed last year (one-off: counts).
	const recurring = await createUser({ department: a2, password: null });
	await complete(recurring.id, 'c2', lastYear, a2.id, 1.5);
	await complete(recurring.id, 'c1', lastYear, a2.id, 2);

	// Someone outside A, for the district HR checks.
	const outsider = await createUser({ department: b1, password: null });
	await complete(outsider.id, 'c1', thisYear(50), b1.id, 2);

	await db.insert(schema.setting).values({ key: 'annual_target_hours', value: '3' });
	return {
		root,
		a,
		a1,
		a2,
		b,
		b1,
		c,
		hr: { id: hr.id, username: hr.username },
		hrA: { id: hrA.id, username: hrA.username },
		mover,
		recurring,
		outsider,
		today: t
	};
}

// ---------------------------------------------------------------------------------------------
// The independent computation, from the raw rows

async function raw() {
	const [departments, users, assignments, completions, enrollments, lessons, attempts, answers, courses] = await Promise.all([
		db.select().from(schema.department),
		db.select().from(schema.user),
		db.select().from(schema.assignment),
		db.select().from(schema.completion),
		db.select().from(schema.enrollment),
		db.select().from(schema.lessonProgress),
		db.select().from(schema.quizAttempt),
		db.select().from(schema.attemptAnswer),
		db.select().from(schema.course)
	]);
	return { departments, users, assignments, completions, enrollments, lessons, attempts, answers, courses };
}
type Raw = Awaited<ReturnType<typeof raw>>;

function currentDue(due: string, recurrence: string, today: string): string {
	if (recurrence !== 'yearly' || today <= due) return due;
	return `${today.slice(0, 4)}${due.slice(4)}`;
}

function model(data: Raw, today: string) {
	const deptById = new Map(data.departments.map((d) => [d.id, d]));
	const inSubtree = (deptId: number, rootId: number) => deptById.get(deptId)!.path.startsWith(deptById.get(rootId)!.path);
	const staff = data.users.filter((u) => u.status !== 'inactive');
	const published = data.courses.filter((c) => c.present && !c.draft).map((c) => c.id);

	/** The assignment that applies to a department and course: nearest up the tree, latest first. */
	const applicable = (deptId: number, courseId: string) => {
		const dept = deptById.get(deptId)!;
		const candidates = data.assignments
			.filter((a) => a.courseId === courseId && a.endedAt === null && dept.path.startsWith(deptById.get(a.departmentId)!.path))
			.sort(
				(x, y) =>
					deptById.get(y.departmentId)!.depth - deptById.get(x.departmentId)!.depth ||
					y.createdAt.getTime() - x.createdAt.getTime() ||
					y.id - x.id
			);
		return candidates[0];
	};

	const statusOf = (userId: number, deptId: number, courseId: string) => {
		const a = applicable(deptId, courseId);
		if (!a) return undefined;
		const due = currentDue(a.dueDate, a.recurrence, today);
		const periodStart = a.recurrence === 'yearly' ? new Date(`${due.slice(0, 4)}-01-01T00:00:00Z`) : null;
		const done = data.completions.some(
			(c) => c.userId === userId && c.courseId === courseId && c.revokedAt === null && (!periodStart || c.completedAt >= periodStart)
		);
		const active =
			data.enrollments.some((e) => e.userId === userId && e.courseId === courseId) ||
			data.lessons.some((l) => l.userId === userId && l.courseId === courseId) ||
			data.attempts.some((q) => q.userId === userId && q.courseId === courseId);
		return { required: a.required, done, active: !done && active, overdue: !done && due < today };
	};

	const counts = (rootId: number, courseId: string) => {
		const out = { assigned: 0, completed: 0, inProgress: 0, notStarted: 0, overdue: 0 };
		for (const u of staff) {
			if (!inSubtree(u.departmentId, rootId)) continue;
			const s = statusOf(u.id, u.departmentId, courseId);
			if (!s || !s.required) continue;
			out.assigned++;
			if (s.done) out.completed++;
			else if (s.active) out.inProgress++;
			else out.notStarted++;
			if (s.overdue) out.overdue++;
		}
		return out;
	};

	const mastery = (rootId: number, competencyId: string) => {
		let earned = 0;
		let possible = 0;
		const people = new Set<number>();
		const staffIds = new Map(staff.map((u) => [u.id, u]));
		for (const a of data.answers) {
			const u = staffIds.get(a.userId);
			if (!u || a.attemptNo !== 1 || a.competencyId !== competencyId || !inSubtree(u.departmentId, rootId)) continue;
			earned += a.pointsEarned;
			possible += a.pointsPossible;
			people.add(u.id);
		}
		return insights.toMastery(earned, possible, people.size);
	};

	const hours = (rootId: number, year: number) => {
		const inScope = staff.filter((u) => inSubtree(u.departmentId, rootId));
		const per = new Map<number, number>();
		for (const c of data.completions) {
			if (c.revokedAt !== null || c.year !== year) continue;
			if (!inScope.some((u) => u.id === c.userId)) continue;
			per.set(c.userId, (per.get(c.userId) ?? 0) + c.hours);
		}
		const total = [...per.values()].reduce((s, h) => s + h, 0);
		return { staff: inScope.length, total, per };
	};

	const leaves = data.departments.filter((d) => !data.departments.some((x) => x.parentId === d.id));
	return { counts, mastery, hours, published, leaves, deptById, inSubtree, statusOf, staff };
}

async function ctxFor(scope: { id: number }, filters: insights.Filters = {}, locale: 'en' | 'zh-CN' = 'en') {
	return insights.resolveContext({ departmentId: scope.id }, filters, locale);
}

// ---------------------------------------------------------------------------------------------

describe('figures recomputed from the raw rows', () => {
	it('overview: staff, required completion with its denominator, overdue, hours against target, the five largest gaps', async () => {
		const org = await buildOrg();
		const data = await raw();
		const x = model(data, org.today);
		const ctx = await ctxFor(org.root);
		const got = await insights.overview(ctx);

		const required = { assigned: 0, completed: 0, inProgress: 0, notStarted: 0, overdue: 0 };
		for (const courseId of x.published) {
			const c = x.counts(org.root.id, courseId);
			for (const k of Object.keys(required) as (keyof typeof required)[]) required[k] += c[k];
		}
		const h = x.hours(org.root.id, ctx.year);
		expect(got.staff).toBe(h.staff);
		expect(got.required).toEqual(required);
		expect(required.assigned).toBeGreaterThan(required.completed);
		expect(required.overdue).toBeGreaterThan(0);
		expect(got.hours.total).toBeCloseTo(h.total, 6);
		expect(got.hours.average).toBeCloseTo(h.total / h.staff, 6);
		expect(got.hours.target).toBe(3);
		expect(got.hours.reached).toBe([...h.per.values()].filter((v) => v >= 3).length);

		const cells = x.leaves
			.filter((d) => x.inSubtree(d.id, org.root.id))
			.flatMap((d) => ['k1', 'k2', 'k3'].map((k, position) => ({ d, k, position, m: x.mastery(d.id, k) })))
			.filter((c) => !c.m.suppressed && c.m.mastery !== null)
			.sort(
				(p, q) => p.m.mastery! - q.m.mastery! || q.m.people! - p.m.people! || p.d.code.localeCompare(q.d.code) || p.position - q.position
			)
			.slice(0, 5);
		expect(cells.length).toBeGreaterThan(0);
		expect(got.gaps.map((g) => [g.departmentCode, g.competencyId, g.people])).toEqual(cells.map((c) => [c.d.code, c.k, c.m.people]));
		got.gaps.forEach((g, i) => expect(g.mastery).toBeCloseTo(cells[i].m.mastery!, 9));
	});

	it('completion matrix: every cell of every visible row, parents rolling up their subtree', async () => {
		const org = await buildOrg();
		const x = model(await raw(), org.today);
		const ctx = await ctxFor(org.root);
		const matrix = await insights.completionMatrix(ctx, [org.a.id]);
		expect(matrix.courses.map((c) => c.id)).toEqual(['c1', 'c2', 'c3']);
		expect(matrix.rows.map((r) => [r.code, r.level])).toEqual([
			['ROOT', 0],
			['A', 1],
			['A1', 2],
			['A2', 2],
			['B', 1],
			['C', 1]
		]);
		for (const row of matrix.rows) {
			for (const courseId of ['c1', 'c2', 'c3']) expect(row.cells[courseId], `${row.code}/${courseId}`).toEqual(x.counts(row.id, courseId));
		}
		// c3 is only recommended (and its required assignment on C has ended): nobody must take it.
		expect(matrix.rows[0].cells.c3.assigned).toBe(0);
		// The parent is the sum of its children and its own staff: nobody is counted twice.
		const [root, a, a1, a2] = matrix.rows;
		expect(a.cells.c1.assigned).toBe(
			a1.cells.c1.assigned + a2.cells.c1.assigned + x.staff.filter((u) => u.departmentId === org.a.id).length
		);
		const ownRoot = x.staff.filter((u) => u.departmentId === org.root.id).length * 2; // c1 and c2 are required there
		expect(root.total.assigned).toBe(matrix.rows.filter((r) => r.level === 1).reduce((s, r) => s + r.total.assigned, 0) + ownRoot);
	});

	it('counts a person in their current department, and last year does not satisfy a yearly assignment', async () => {
		const org = await buildOrg();
		const ctx = await ctxFor(org.root);
		const x = model(await raw(), org.today);
		expect(x.statusOf(org.mover.id, org.a1.id, 'c1')).toMatchObject({ done: true });
		expect(x.statusOf(org.recurring.id, org.a2.id, 'c2')).toMatchObject({ done: false, overdue: true });
		expect(x.statusOf(org.recurring.id, org.a2.id, 'c1')).toMatchObject({ done: true });
		const matrix = await insights.completionMatrix(ctx, [org.a.id, org.b.id]);
		const byCode = new Map(matrix.rows.map((r) => [r.code, r]));
		const withoutMover = model({ ...(await raw()), users: (await raw()).users.filter((u) => u.id !== org.mover.id) }, org.today);
		expect(byCode.get('A1')!.cells.c1.completed).toBe(withoutMover.counts(org.a1.id, 'c1').completed + 1);
		expect(byCode.get('B1')!.cells.c1.completed).toBe(withoutMover.counts(org.b1.id, 'c1').completed);
		const record = await insights.personRecord(ctx, org.recurring.id);
		expect(record!.figures.courses.c2).toMatchObject({ status: 'not-started', overdue: true });
		expect(record!.figures.courses.c1).toMatchObject({ status: 'completed', overdue: false });
	});

	it('heatmap: mastery over first attempts, people behind each cell, fewer than five suppressed', async () => {
		const org = await buildOrg();
		const x = model(await raw(), org.today);
		const ctx = await ctxFor(org.root);
		const map = await insights.heatmap(ctx, [org.a.id, org.b.id]);
		expect(map.competencies.map((k) => k.id)).toEqual(['k1', 'k2', 'k3']);
		let suppressed = 0;
		let shown = 0;
		for (const row of map.rows) {
			for (const k of ['k1', 'k2', 'k3']) {
				const want = x.mastery(row.id, k);
				const got = row.cells[k];
				expect({ ...got, mastery: got.mastery === null ? null : Number(got.mastery.toFixed(9)) }, `${row.code}/${k}`).toEqual({
					...want,
					mastery: want.mastery === null ? null : Number(want.mastery.toFixed(9))
				});
				if (got.suppressed) suppressed++;
				else if (got.mastery !== null) shown++;
			}
		}
		expect(suppressed).toBeGreaterThan(0);
		expect(shown).toBeGreaterThan(0);
		// A2 has at most five people, not all tested: its cells are withheld entirely.
		const a2 = map.rows.find((r) => r.code === 'A2')!;
		expect(Object.values(a2.cells).every((c) => c.suppressed || c.people === 0)).toBe(true);
	});

	it('sorts sibling rows by a competency without tearing subtrees apart', async () => {
		const org = await buildOrg();
		const ctx = await ctxFor(org.root);
		const map = await insights.heatmap(ctx, [org.a.id], { competency: 'k1', dir: 'asc' });
		const top = map.rows.filter((r) => r.level === 1);
		const values = top.map((r) => r.cells.k1.mastery).filter((v): v is number => v !== null);
		expect(values).toEqual([...values].sort((p, q) => p - q));
		const ia = map.rows.findIndex((r) => r.code === 'A');
		expect(map.rows.slice(ia + 1, ia + 3).map((r) => r.parentId)).toEqual([org.a.id, org.a.id]);
	});

	it('applies the course, competency and period filters', async () => {
		const org = await buildOrg();
		const x = model(await raw(), org.today);
		const byCourse = await insights.completionMatrix(await ctxFor(org.root, { course: 'c2' }));
		expect(byCourse.courses.map((c) => c.id)).toEqual(['c2']);
		expect(byCourse.rows[0].cells.c2).toEqual(x.counts(org.root.id, 'c2'));
		const byCompetency = await insights.completionMatrix(await ctxFor(org.root, { competency: 'k2' }));
		expect(byCompetency.courses.map((c) => c.id)).toEqual(['c1', 'c2']);
		const skills = await insights.heatmap(await ctxFor(org.root, { competency: 'k3' }));
		expect(skills.competencies.map((k) => k.id)).toEqual(['k3']);
		const future = await insights.heatmap(await ctxFor(org.root, { from: '2999-01-01' }));
		expect(future.rows[0].cells.k1).toMatchObject({ people: 0, mastery: null });
		const period = await insights.overview(
			await ctxFor(org.root, { from: `${Number(org.today.slice(0, 4)) - 1}-01-01`, to: `${Number(org.today.slice(0, 4)) - 1}-12-31` })
		);
		expect(period.hours.year).toBeNull();
		expect(period.hours.total).toBeCloseTo(3.5, 6); // the recurring person's two completions last year
	});

	it('counts completions and hours per ISO week, with empty weeks', async () => {
		const org = await buildOrg();
		const data = await raw();
		const weeks = await insights.weeklyTrend(await ctxFor(org.root));
		expect(weeks.length).toBeGreaterThanOrEqual(52);
		expect(weeks.every((w) => /^\d{4}-W\d{2}$/.test(w.label))).toBe(true);
		const staff = new Set(data.users.filter((u) => u.status !== 'inactive').map((u) => u.id));
		const since = new Date(`${weeks[0].start}T00:00:00Z`);
		const expected = data.completions.filter((c) => c.revokedAt === null && staff.has(c.userId) && c.completedAt >= since);
		const lastYearStart = new Date(new Date(`${org.today}T00:00:00Z`).getTime());
		lastYearStart.setUTCFullYear(lastYearStart.getUTCFullYear() - 1);
		const inRange = expected.filter((c) => c.completedAt >= lastYearStart);
		expect(weeks.reduce((s, w) => s + w.completions, 0)).toBe(inRange.length);
		expect(weeks.reduce((s, w) => s + w.hours, 0)).toBeCloseTo(
			inRange.reduce((s, c) => s + c.hours, 0),
			6
		);
	});
});

describe('drill-down', () => {
	it('lists a department’s staff with status per course, hours and mastery, and one person’s record', async () => {
		const org = await buildOrg();
		const x = model(await raw(), org.today);
		const ctx = await ctxFor(org.root, { department: org.a.id });
		const staff = await insights.departmentStaff(ctx, 1);
		const expected = x.staff.filter((u) => x.inSubtree(u.departmentId, org.a.id));
		expect(staff.total).toBe(expected.length);
		expect(new Set(staff.people.map((p) => p.id))).toEqual(new Set(expected.map((u) => u.id)));
		const h = x.hours(org.a.id, ctx.year);
		for (const p of staff.people) {
			expect(p.hours).toBeCloseTo(h.per.get(p.id) ?? 0, 6);
			for (const courseId of ['c1', 'c2']) {
				const s = x.statusOf(p.id, p.departmentId, courseId)!;
				expect(p.courses[courseId].status).toBe(s.done ? 'completed' : s.active ? 'in-progress' : 'not-started');
				expect(p.courses[courseId].overdue).toBe(s.overdue);
			}
		}
		const record = await insights.personRecord(ctx, org.mover.id);
		// Completed in B1, reported in A1 now; the record keeps where it was earned.
		expect(record!.completions).toEqual([
			expect.objectContaining({
				courseId: 'c1',
				hours: 2,
				certificateCode: expect.any(String),
				departmentName: org.b1.nameEn,
				revoked: false
			})
		]);
		expect(record!.figures.mastery.k1).toEqual({ competencyId: 'k1', earned: 0, possible: 4, mastery: 0 });
	});
});

describe('the HR scope', () => {
	it('shows a district HR only its subtree, and hides everything outside (404)', async () => {
		const org = await buildOrg();
		const x = model(await raw(), org.today);
		const ctx = await ctxFor(org.a);
		const view = await insights.overview(ctx);
		expect(view.staff).toBe(x.staff.filter((u) => x.inSubtree(u.departmentId, org.a.id)).length);
		const matrix = await insights.completionMatrix(ctx);
		expect(matrix.rows.map((r) => r.code)).toEqual(['A', 'A1', 'A2']);
		expect(matrix.rows[0].cells.c2).toEqual(x.counts(org.a.id, 'c2'));
		// Outside: the filter, a drill-down, a person, a gap cell, an export with a person.
		await expect(ctxFor(org.a, { department: org.b.id })).rejects.toMatchObject({ kind: 'not-found' });
		await expect(ctxFor(org.a, { department: org.root.id })).rejects.toMatchObject({ kind: 'not-found' });
		await expect(ctxFor(org.a, { department: 999999 })).rejects.toMatchObject({ kind: 'not-found' });
		expect(await insights.personRecord(ctx, org.outsider.id)).toBeUndefined();
		expect(await insights.gapCell(ctx, org.b1.id, 'k1')).toBeUndefined();
		expect(await insights.exportTable(ctx, 'record', org.outsider.id)).toBeUndefined();
		const exported = await text(insights.csvStream((await insights.exportTable(ctx, 'staff'))!));
		const usernames = new Set(
			(await db.select().from(schema.user))
				.filter((u) => x.inSubtree(u.departmentId, org.a.id) && u.status !== 'inactive')
				.map((u) => u.username)
		);
		const lines = parse(exported.slice(1)) as string[][];
		expect(new Set(lines.slice(1).map((l) => l[0]))).toEqual(usernames);
	});

	it('refuses bad filters with a 400', async () => {
		const org = await buildOrg();
		await expect(ctxFor(org.root, { course: 'nope' })).rejects.toMatchObject({ kind: 'invalid' });
		await expect(ctxFor(org.root, { competency: 'nope' })).rejects.toMatchObject({ kind: 'invalid' });
		expect(() => insights.parseFilters(new URLSearchParams('from=2026-02-30'))).toThrow();
		expect(() => insights.parseFilters(new URLSearchParams('from=2026-03-01&to=2026-02-01'))).toThrow();
		expect(() => insights.parseFilters(new URLSearchParams('department=abc'))).toThrow();
		expect(insights.parseFilters(new URLSearchParams('department=&course=c1'))).toEqual({ course: 'c1' });
	});

	it('offers only the scope’s departments in the filters, as an indented tree', async () => {
		const org = await buildOrg();
		const options = await insights.filterOptions(await ctxFor(org.a));
		expect(options.departments.map((d) => [d.id, d.depth])).toEqual([
			[String(org.a.id), 0],
			[String(org.a1.id), 1],
			[String(org.a2.id), 1]
		]);
		expect(options.courses.map((c) => c.id)).toEqual(['c1', 'c2', 'c3']);
		expect(options.competencies.map((k) => k.id)).toEqual(['k1', 'k2', 'k3']);
	});
});

describe('remediation', () => {
	it('assigns the competency’s courses to the department in one step, audited, visible to its learners at once', async () => {
		const org = await buildOrg();
		const ctx = await ctxFor(org.root);
		const cell = await insights.gapCell(ctx, org.c.id, 'k2');
		expect(cell!.courses.map((c) => c.id)).toEqual(['c1', 'c2']);
		expect(cell!.courses[0].assignment).toMatchObject({ required: true, inherited: true });
		const due = isoDay(new Date(Date.now() + 20 * DAY));
		const result = await insights.remediate(ctx, org.hr, org.c.id, 'k2', { dueDate: due, courses: ['c1', 'c2'] });
		expect(result).toMatchObject({ ok: true, courses: ['c1', 'c2'] });
		const learner = (await db.select().from(schema.user).where(eq(schema.user.departmentId, org.c.id))).find(
			(u) => u.status !== 'inactive'
		)!;
		const seen = await rows<{ course_id: string; due: string; assigned_department_id: number }>(
			db,
			sql`select course_id, to_char(current_due, 'YYYY-MM-DD') as due, assigned_department_id from govlearn_user_assignment where user_id = ${learner.id} and course_id in ('c1', 'c2') order by course_id`
		);
		expect(seen).toEqual([
			{ course_id: 'c1', due, assigned_department_id: org.c.id },
			{ course_id: 'c2', due, assigned_department_id: org.c.id }
		]);
		const log = await db.select().from(schema.auditLog);
		expect(log.filter((l) => l.action === 'assignment.create')).toHaveLength(2);
		expect(log.find((l) => l.action === 'insights.remediation')).toMatchObject({ actorUsername: 'hr', targetId: String(org.c.id) });
	});

	it('changes nothing on bad input or outside the scope', async () => {
		const org = await buildOrg();
		const ctxA = await ctxFor(org.a);
		const due = isoDay(new Date(Date.now() + 20 * DAY));
		expect(await insights.remediate(ctxA, org.hrA, org.b1.id, 'k2', { dueDate: due, courses: ['c2'] })).toEqual({
			ok: false,
			reason: 'not-found'
		});
		expect(await insights.remediate(ctxA, org.hrA, org.a1.id, 'k2', { dueDate: due, courses: ['c3'] })).toEqual({
			ok: false,
			reason: 'unknown-course'
		});
		expect(await insights.remediate(ctxA, org.hrA, org.a1.id, 'k2', { dueDate: due, courses: [] })).toEqual({
			ok: false,
			reason: 'no-courses'
		});
		expect(await insights.remediate(ctxA, org.hrA, org.a1.id, 'k2', { dueDate: '2020-01-01', courses: ['c2'] })).toEqual({
			ok: false,
			reason: 'due-past'
		});
		expect(await insights.remediate(ctxA, org.hrA, org.a1.id, 'k2', { dueDate: 'soon', courses: ['c2'] })).toEqual({
			ok: false,
			reason: 'due-date'
		});
		expect(await insights.remediate(ctxA, org.hrA, org.a1.id, 'k1', { dueDate: due, courses: ['c4'] })).toEqual({
			ok: false,
			reason: 'unknown-course'
		});
		const [{ n }] = await rows<{ n: number }>(db, sql`select count(*)::int as n from assignment`);
		expect(Number(n)).toBe(7);
		expect((await db.select().from(schema.auditLog)).length).toBe(0);
	});
});

async function text(stream: ReadableStream<Uint8Array>): Promise<string> {
	return new TextDecoder('utf-8', { ignoreBOM: true }).decode(await bytes(stream));
}
async function bytes(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
	return new Uint8Array(await new Response(stream).arrayBuffer());
}

describe('exports', () => {
	it('CSV with BOM: the matrix for every department and course, the heatmap with suppressed cells as n<5', async () => {
		const org = await buildOrg();
		const x = model(await raw(), org.today);
		const ctx = await ctxFor(org.root);
		const csv = await text(insights.csvStream((await insights.exportTable(ctx, 'completion'))!));
		expect(csv.charCodeAt(0)).toBe(0xfeff);
		const lines = parse(csv.slice(1)) as string[][];
		expect(lines[0]).toContain('Completion rate (%)');
		expect(lines.length - 1).toBe(7 * 3); // departments x published courses
		const rootC1 = lines.find((l) => l[0] === 'ROOT' && l[3] === 'c1')!;
		const want = x.counts(org.root.id, 'c1');
		expect(rootC1.slice(5, 10).map(Number)).toEqual([want.assigned, want.completed, want.inProgress, want.notStarted, want.overdue]);

		const skills = parse((await text(insights.csvStream((await insights.exportTable(ctx, 'skills'))!))).slice(1)) as string[][];
		expect(skills.length - 1).toBe(7 * 3);
		const departments = (await raw()).departments;
		for (const line of skills.slice(1)) {
			const dept = departments.find((d) => d.code === line[0])!;
			const m = x.mastery(dept.id, line[3]);
			if (m.suppressed) expect(line.slice(5)).toEqual(['n<5', 'n<5', 'n<5', 'n<5']);
			else expect(Number(line[6])).toBe(m.people);
		}
		expect(skills.some((l) => l[5] === 'n<5')).toBe(true);
	});

	it('XLSX streamed by exceljs, readable back; the record of one person; file names with view and date', async () => {
		const org = await buildOrg();
		const ctx = await ctxFor(org.root, {}, 'zh-CN');
		const table = (await insights.exportTable(ctx, 'staff'))!;
		const data = await bytes(insights.xlsxStream(table));
		expect(String.fromCharCode(data[0], data[1])).toBe('PK');
		const book = new ExcelJS.Workbook();
		await book.xlsx.load(data.buffer as ArrayBuffer);
		const sheet = book.worksheets[0];
		expect(sheet.getRow(1).getCell(1).value).toBe('工号');
		const x = model(await raw(), org.today);
		expect(sheet.actualRowCount - 1).toBe(x.staff.length);

		const record = (await insights.exportTable(ctx, 'record', org.mover.id))!;
		const response = insights.exportResponse(record, 'csv', '2026-01-31');
		expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
		const disposition = response.headers.get('content-disposition')!;
		expect(disposition).toMatch(/^attachment; filename="govlearn-record-u\d+-2026-01-31\.csv"; filename\*=UTF-8''/);
		expect(decodeURIComponent(disposition.split("''")[1])).toMatch(/^学时档案-.+-2026-01-31\.csv$/);
		const body = await text(response.body!);
		expect(body.charCodeAt(0)).toBe(0xfeff);
		const lines = parse(body.slice(1)) as string[][];
		expect(lines).toHaveLength(2);
		expect(lines[1][3]).toBe('c1');
	});

	it('a name that is a formula stays text in CSV and XLSX; a negative number stays a number', async () => {
		const formulas = ['=HYPERLINK("https://evil.example","x")', '+1+1', '-1+1', '@SUM(A1)', '\t=1', '\r=1'];
		const table: insights.Table = {
			title: 'T',
			fileAscii: 't',
			fileName: 't',
			columns: ['=name', 'n'],
			async *batches() {
				yield formulas.map((f, i) => [f, -(i + 1)]);
			}
		};
		const csv = parse((await text(insights.csvStream(table))).slice(1)) as string[][];
		expect(csv[0]).toEqual(["'=name", 'n']);
		expect(csv.slice(1)).toEqual(formulas.map((f, i) => [`'${f}`, String(-(i + 1))]));
		const book = new ExcelJS.Workbook();
		await book.xlsx.load((await bytes(insights.xlsxStream(table))).buffer as ArrayBuffer);
		const sheet = book.worksheets[0];
		expect(sheet.getRow(1).getCell(1).value).toBe("'=name");
		formulas.forEach((f, i) => {
			const [name, n] = [sheet.getRow(i + 2).getCell(1), sheet.getRow(i + 2).getCell(2)];
			expect(name.type).toBe(ExcelJS.ValueType.String);
			// XML reads a carriage return back as a line feed; what matters is the apostrophe in front.
			expect(name.value).toBe(`'${f}`.replace('\r', '\n'));
			expect(n.type).toBe(ExcelJS.ValueType.Number);
			expect(n.value).toBe(-(i + 1));
		});
	});

	it('streams lazily: batches are fetched as the client reads, and stop when it goes away', async () => {
		for (const format of ['csv', 'xlsx'] as const) {
			let produced = 0;
			let finished = false;
			const table: insights.Table = {
				title: 'T',
				fileAscii: 't',
				fileName: 't',
				columns: ['n', 'text'],
				async *batches() {
					try {
						for (let b = 0; b < 10_000; b++) {
							produced++;
							// Hardly compressible text, so compressed bytes say how many rows were made.
							yield Array.from({ length: 1000 }, (_, i) => [
								b * 1000 + i,
								Array.from({ length: 4 }, (_, k) => ((b * 1000 + i) * 2654435761 * (k + 1)).toString(36)).join('')
							]);
						}
					} finally {
						finished = true;
					}
				}
			};
			const reader = (format === 'csv' ? insights.csvStream(table) : insights.xlsxStream(table)).getReader();
			let bytes = 0;
			while (bytes < 300_000) bytes += (await reader.read()).value!.length;
			await new Promise((resolve) => setTimeout(resolve, 200));
			// Far fewer than the 10,000 batches that exist: what the reader asked for plus small buffers
			// (for XLSX, a few megabytes of rows the compressor has taken but not yet handed over).
			expect(produced, format).toBeLessThan(format === 'csv' ? 10 : 150);
			await reader.cancel();
			await new Promise((resolve) => setTimeout(resolve, 300));
			const after = produced;
			await new Promise((resolve) => setTimeout(resolve, 300));
			expect(produced, format).toBe(after);
			expect(finished, format).toBe(true);
		}
	});

	it('neutralises cells that a spreadsheet would run as formulas', async () => {
		const org = await buildOrg();
		await db.update(schema.user).set({ displayName: '=HYPERLINK("http://evil")' }).where(eq(schema.user.id, org.mover.id));
		const csv = await text(insights.csvStream((await insights.exportTable(await ctxFor(org.root), 'staff'))!));
		expect(csv).toContain(`"'=HYPERLINK(""http://evil"")"`);
	});
});
