// Assignments as a learner sees them on /me: the nearest assignment up the tree applies, yearly
// assignments need a completion in the current period, and each course carries a status.
import { eq } from 'drizzle-orm';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useLibrary, type CourseDef } from '../../src/lib/server/content';
import { db, schema } from '../../src/lib/server/db';
import * as learning from '../../src/lib/server/learning';
import * as quiz from '../../src/lib/server/quiz';
import { toShownIndices } from '../../src/lib/server/quiz/slots';
import { resetDatabase, testDatabase } from '../helpers/db';
import { createDepartment, createUser, syncLibrary } from '../helpers/factories';

let basics: CourseDef;
let advanced: CourseDef;

beforeAll(async () => {
	await testDatabase();
});
beforeEach(async () => {
	await resetDatabase();
	useLibrary(await syncLibrary());
	basics = learning.publishedCourse('fixture-basics')!;
	advanced = learning.publishedCourse('fixture-advanced')!;
});

const year = new Date().getFullYear();
const iso = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

async function assign(
	courseId: string,
	department: { id: number },
	dueDate: string,
	opts: { recurrence?: 'none' | 'yearly'; required?: boolean; createdAt?: Date } = {}
) {
	const [row] = await db
		.insert(schema.assignment)
		.values({
			courseId,
			departmentId: department.id,
			dueDate,
			recurrence: opts.recurrence ?? 'none',
			required: opts.required ?? true,
			createdAt: opts.createdAt ?? new Date()
		})
		.returning();
	return row;
}

/** Completes a course for a person at a given moment (lessons, then a perfect quiz). */
async function complete(userId: number, course: CourseDef, at: Date) {
	for (const l of learning.visibleLessons(course)) await learning.markLessonDone(userId, course, l.slug, at);
	const started = await quiz.startAttempt(userId, course, 'zh-CN', at);
	if (!started.ok) throw new Error(started.reason);
	const [attempt] = await db.select().from(schema.quizAttempt).where(eq(schema.quizAttempt.id, started.attemptId));
	const values: Record<number, string[]> = {};
	attempt.slots.forEach((slot, position) => {
		const q = course.quiz['zh-CN']!.find((x) => x.id === slot.id)!;
		values[position] =
			q.type === 'short'
				? [q.accepted[0]]
				: toShownIndices(
						slot,
						q.options.flatMap((o, i) => (o.correct ? [i] : []))
					).map(String);
	});
	const result = await quiz.submitAttempt(userId, course, started.attemptId, values, 'zh-CN', at);
	expect(result).toMatchObject({ passed: true });
}

async function tree() {
	const root = await createDepartment({ code: 'ROOT' });
	const district = await createDepartment({ code: 'DISTRICT', parent: root });
	const office = await createDepartment({ code: 'OFFICE', parent: district });
	const bureau = await createDepartment({ code: 'BUREAU', parent: root });
	return { root, district, office, bureau };
}

describe('assignments on /me', () => {
	it('applies the nearest assignment up the tree', async () => {
		const { root, district, office, bureau } = await tree();
		await assign('fixture-basics', root, `${year}-12-31`, { required: true });
		await assign('fixture-basics', district, `${year}-11-30`, { required: false });
		const inOffice = await createUser({ department: office });
		const inBureau = await createUser({ department: bureau });
		const officeView = await learning.assignedCourses(inOffice.id, 'en');
		expect(officeView).toEqual([expect.objectContaining({ slug: 'fixture-basics', due: `${year}-11-30`, required: false })]);
		const bureauView = await learning.assignedCourses(inBureau.id, 'en');
		expect(bureauView).toEqual([expect.objectContaining({ slug: 'fixture-basics', due: `${year}-12-31`, required: true })]);
	});

	it('does not let a completion from last year satisfy a yearly assignment, but does for a one-off', async () => {
		const { root } = await tree();
		await assign('fixture-basics', root, `${year}-12-31`, { recurrence: 'yearly' });
		await assign('fixture-advanced', root, `${year}-12-31`, { recurrence: 'none' });
		const user = await createUser({ department: root });
		const lastYear = new Date(year - 1, 5, 15);
		await complete(user.id, basics, lastYear);
		await complete(user.id, advanced, lastYear);
		let view = await learning.assignedCourses(user.id, 'en');
		expect(view.find((a) => a.slug === 'fixture-basics')).toMatchObject({ status: 'in-progress', yearly: true });
		expect(view.find((a) => a.slug === 'fixture-advanced')?.status).toBe('completed');
		// Passing the quiz again this year (lessons stay done) satisfies the current period.
		await complete(user.id, basics, new Date());
		view = await learning.assignedCourses(user.id, 'en');
		expect(view.find((a) => a.slug === 'fixture-basics')?.status).toBe('completed');
	});

	it('rolls a yearly due date into the current year', async () => {
		const { root } = await tree();
		await assign('fixture-basics', root, `${year - 2}-12-31`, { recurrence: 'yearly' });
		const user = await createUser({ department: root });
		const [view] = await learning.assignedCourses(user.id, 'en');
		expect(view.due).toBe(`${year}-12-31`);
	});

	it('shows not started, in progress, overdue and completed', async () => {
		const { root } = await tree();
		const yesterday = new Date(Date.now() - 86_400_000);
		await assign('fixture-basics', root, iso(yesterday));
		await assign('fixture-advanced', root, `${year + 1}-06-30`);
		const fresh = await createUser({ department: root });
		const busy = await createUser({ department: root });
		const done = await createUser({ department: root });
		expect((await learning.assignedCourses(fresh.id, 'en')).map((a) => [a.slug, a.status])).toEqual([
			['fixture-basics', 'overdue'],
			['fixture-advanced', 'not-started']
		]);
		await learning.startCourse(busy.id, advanced);
		expect((await learning.assignedCourses(busy.id, 'en')).find((a) => a.slug === 'fixture-advanced')?.status).toBe('in-progress');
		await complete(done.id, basics, new Date());
		expect((await learning.assignedCourses(done.id, 'en')).find((a) => a.slug === 'fixture-basics')?.status).toBe('completed');
	});

	it('ignores ended assignments and inactive people', async () => {
		const { root } = await tree();
		const a = await assign('fixture-basics', root, `${year}-12-31`);
		const user = await createUser({ department: root });
		const gone = await createUser({ department: root, status: 'inactive' });
		expect(await learning.assignedCourses(user.id, 'en')).toHaveLength(1);
		expect(await learning.assignedCourses(gone.id, 'en')).toHaveLength(0);
		await db.update(schema.assignment).set({ endedAt: new Date() }).where(eq(schema.assignment.id, a.id));
		expect(await learning.assignedCourses(user.id, 'en')).toHaveLength(0);
	});
});

describe('the /me dashboard', () => {
	it("counts this year's hours against the target and suggests courses for the weakest competencies", async () => {
		const { root } = await tree();
		const user = await createUser({ department: root });
		// A first attempt at the basics quiz with every gamma-free question wrong: alpha and beta are weak.
		const started = await quiz.startAttempt(user.id, basics, 'zh-CN');
		if (!started.ok) throw new Error(started.reason);
		await quiz.submitAttempt(user.id, basics, started.attemptId, {}, 'zh-CN');
		const before = await learning.dashboard(user.id, 'en');
		expect(before.hours).toEqual({ earned: 0, target: 50 });
		expect(before.mastery.map((m) => [m.id, m.mastery])).toEqual([
			['fx-alpha', 0],
			['fx-beta', 0]
		]);
		expect(before.suggestions.map((s) => s.slug)).toEqual(['fixture-basics', 'fixture-advanced']);
		expect(before.suggestions[0]).toMatchObject({ mastery: 0 });
		expect(before.suggestions[1]).toMatchObject({ mastery: null, competency: 'Gamma skill' });
		expect(before.inProgress.map((c) => c.slug)).toEqual(['fixture-basics']);

		await complete(user.id, advanced, new Date());
		const after = await learning.dashboard(user.id, 'en');
		expect(after.hours.earned).toBe(2);
		expect(after.suggestions.map((s) => s.slug)).toEqual(['fixture-basics']);
		expect(after.certificates).toEqual([expect.objectContaining({ title: 'Fixture Advanced', hours: 2, revoked: false })]);
	});

	it('suggests nothing once every competency is strong', async () => {
		const { root } = await tree();
		const user = await createUser({ department: root });
		await complete(user.id, basics, new Date());
		const view = await learning.dashboard(user.id, 'zh-CN');
		// Gamma was never tested: its course is suggested as unknown ground; basics is completed.
		expect(view.suggestions.map((s) => s.slug)).toEqual(['fixture-advanced']);
		await complete(user.id, advanced, new Date());
		expect((await learning.dashboard(user.id, 'zh-CN')).suggestions).toEqual([]);
	});
});
