// Relative due dates: an assignment due N days after a person joins the department (or is assigned,
// whichever is later) gives each person their own date, in the matrix, the staff list, /me and the
// reminders; new staff are not overdue on their first day.
import { eq, sql } from 'drizzle-orm';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useLibrary } from '../../src/lib/server/content';
import { createAssignment, assignmentInput, getAssignment } from '../../src/lib/server/assignments';
import { db, rows, schema } from '../../src/lib/server/db';
import * as insights from '../../src/lib/server/insights';
import { assignedCourses } from '../../src/lib/server/learning/me';
import { scanReminders } from '../../src/lib/server/notifications/events';
import { resetDatabase, testDatabase } from '../helpers/db';
import { createDepartment, createUser, syncLibrary } from '../helpers/factories';

beforeAll(async () => {
	await testDatabase();
});
beforeEach(async () => {
	await resetDatabase();
	useLibrary(await syncLibrary());
});

const DAY = 86_400_000;
const iso = (offsetDays: number) => new Date(Date.now() + offsetDays * DAY).toISOString().slice(0, 10);

async function setting() {
	const root = await createDepartment({ nameEn: 'City' });
	const veteran = await createUser({ username: 'veteran', department: root });
	const newcomer = await createUser({ username: 'newcomer', department: root });
	await db
		.update(schema.user)
		.set({ departmentJoinedAt: new Date(Date.now() - 400 * DAY), email: 'veteran@example.gov.cn' })
		.where(eq(schema.user.id, veteran.id));
	await db.update(schema.user).set({ email: 'newcomer@example.gov.cn' }).where(eq(schema.user.id, newcomer.id));
	// Assigned 20 days ago, due 14 days after joining or assignment: the veteran's date passed 6 days ago,
	// the newcomer (joined today) has until 14 days from now.
	const input = assignmentInput.parse({
		courseId: 'fixture-basics',
		departmentId: String(root.id),
		dueDays: '14',
		reminderOffsets: '14, 3'
	});
	const a = await createAssignment(input, { id: veteran.id, username: 'veteran' });
	await db
		.update(schema.assignment)
		.set({ createdAt: new Date(Date.now() - 20 * DAY) })
		.where(eq(schema.assignment.id, a.id));
	return { root, veteran, newcomer, assignment: a };
}

describe('relative due dates', () => {
	it('give each person their own due date on /me: the newcomer is not overdue on day one', async () => {
		const { veteran, newcomer } = await setting();
		const [v] = await assignedCourses(veteran.id, 'en');
		const [n] = await assignedCourses(newcomer.id, 'en');
		expect(v).toMatchObject({ due: iso(-6), status: 'overdue' });
		expect(n).toMatchObject({ due: iso(14), status: 'not-started' });
	});

	it('count each person’s own date in the completion matrix and the staff list', async () => {
		const { root } = await setting();
		const ctx = await insights.resolveContext({ departmentId: root.id }, {}, 'en');
		const matrix = await insights.completionMatrix(ctx);
		const row = matrix.rows.find((r) => r.id === root.id)!;
		expect(row.cells['fixture-basics']).toMatchObject({ assigned: 2, overdue: 1 });
		const staff = await insights.departmentStaff(ctx, 1);
		const byName = new Map(staff.people.map((p) => [p.username, p.courses['fixture-basics']]));
		expect(byName.get('veteran')).toMatchObject({ due: iso(-6), overdue: true });
		expect(byName.get('newcomer')).toMatchObject({ due: iso(14), overdue: false });
	});

	it('drive the reminders: overdue for the veteran, the 14-day reminder for the newcomer', async () => {
		const { veteran, newcomer } = await setting();
		await scanReminders();
		const sent = await rows<{ user_id: number; kind: string; due: string }>(
			db,
			sql`select user_id, kind, params->>'due' as due from message where kind in ('reminder_due', 'reminder_overdue') order by user_id`
		);
		expect(sent).toEqual([
			{ user_id: veteran.id, kind: 'reminder_overdue', due: iso(-6) },
			{ user_id: newcomer.id, kind: 'reminder_due', due: iso(14) }
		]);
	});

	it('restart from the day a person moves to another department', async () => {
		const { veteran } = await setting();
		const other = await createDepartment({ nameEn: 'Other' });
		await db.insert(schema.assignment).values({ courseId: 'fixture-advanced', departmentId: other.id, dueDate: iso(30), dueDays: 30 });
		await db.update(schema.user).set({ departmentId: other.id }).where(eq(schema.user.id, veteran.id));
		const [row] = await rows<{ joined_today: boolean }>(
			db,
			sql`select department_joined_at::date = current_date as joined_today from "user" where id = ${veteran.id}`
		);
		expect(row.joined_today).toBe(true);
		const courses = await assignedCourses(veteran.id, 'en');
		expect(courses.map((c) => [c.slug, c.due])).toEqual([['fixture-advanced', iso(30)]]);
	});

	it('refuse a relative yearly assignment and bad reminder days; keep the days and offsets', async () => {
		const { assignment } = await setting();
		expect(assignmentInput.safeParse({ courseId: 'x', departmentId: '1', dueDays: '10', recurrence: 'yearly' }).success).toBe(false);
		expect(assignmentInput.safeParse({ courseId: 'x', departmentId: '1', dueDays: '0' }).success).toBe(false);
		expect(assignmentInput.safeParse({ courseId: 'x', departmentId: '1', dueDate: iso(5), reminderOffsets: '7, x' }).success).toBe(false);
		expect(assignmentInput.safeParse({ courseId: 'x', departmentId: '1' }).success).toBe(false);
		const stored = await getAssignment(assignment.id);
		expect(stored).toMatchObject({ dueDays: 14, reminderOffsets: [14, 3] });
	});
});
