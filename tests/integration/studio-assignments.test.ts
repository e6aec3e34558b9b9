import { and, eq } from 'drizzle-orm';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as assignments from '../../src/lib/server/assignments';
import { db, schema } from '../../src/lib/server/db';
import { resetDatabase, testDatabase } from '../helpers/db';
import { createDepartment, createUser } from '../helpers/factories';
import { syncTestLibrary } from './studio-helpers';

beforeAll(async () => {
	await testDatabase();
});
beforeEach(resetDatabase);

/** CITY > EAST > EAST-GSC, CITY > WEST; two people in EAST-GSC, one in EAST, one in WEST; a trainer. */
async function organisation() {
	await syncTestLibrary({ brokenDraft: true });
	const city = await createDepartment({ code: 'CITY', nameEn: 'City' });
	const east = await createDepartment({ code: 'EAST', nameEn: 'East', parent: city });
	const gsc = await createDepartment({ code: 'EAST-GSC', nameEn: 'East service centre', parent: east });
	const west = await createDepartment({ code: 'WEST', nameEn: 'West', parent: city });
	const trainer = await createUser({ username: 'trainer', department: city, roles: ['learner', 'trainer'], password: null });
	const a = await createUser({ username: 'gsc-a', department: gsc, password: null });
	const b = await createUser({ username: 'gsc-b', department: gsc, password: null });
	const c = await createUser({ username: 'east-c', department: east, password: null });
	const w = await createUser({ username: 'west-w', department: west, password: null });
	await createUser({ username: 'gone', department: gsc, status: 'inactive', password: null });
	return { city, east, gsc, west, trainer, a, b, c, w, by: { id: trainer.id, username: trainer.username } };
}

async function complete(userId: number, departmentId: number, when: Date) {
	await db.insert(schema.completion).values({
		userId,
		courseId: 'stats',
		completedAt: when,
		year: when.getUTCFullYear(),
		departmentId,
		hours: 1,
		score: 100,
		contentVersion: 'v',
		certificateCode: `C${userId}-${when.getTime()}`
	});
}

describe('assignments in the studio', () => {
	it('lists coverage by the nearest assignment up the tree and completions in the current period', async () => {
		const o = await organisation();
		const whole = await assignments.createAssignment(
			{ courseId: 'stats', departmentId: o.city.id, dueDate: '2030-12-31', recurrence: 'none', required: true },
			o.by
		);
		// Yearly, first due last year: this year's period runs from 1 January.
		const year = new Date().getUTCFullYear();
		const east = await assignments.createAssignment(
			{ courseId: 'stats', departmentId: o.east.id, dueDate: `${year - 1}-12-31`, recurrence: 'yearly', required: false },
			o.by
		);
		await complete(o.a.id, o.gsc.id, new Date());
		// A completion from three years ago does not satisfy a yearly assignment this year.
		await complete(o.c.id, o.east.id, new Date(Date.UTC(year - 3, 2, 1)));
		await complete(o.w.id, o.west.id, new Date(Date.UTC(2020, 0, 5)));

		const list = await assignments.listAssignments();
		const byId = new Map(list.map((r) => [r.id, r]));
		// East (nearest for a, b, c): 3 active people, of whom a completed this year (c's is too old).
		expect(byId.get(east.id)).toMatchObject({
			departmentCode: 'EAST',
			covered: 3,
			completed: 1,
			recurrence: 'yearly',
			required: false,
			dueDate: `${year - 1}-12-31`,
			currentDue: `${year}-12-31`,
			courseTitleEn: 'Statistics course'
		});
		// The city-wide one now only reaches the trainer and w (one-off: any completion counts).
		expect(byId.get(whole.id)).toMatchObject({ departmentCode: 'CITY', covered: 2, completed: 1, recurrence: 'none', required: true });
	});

	it('edits due date, recurrence and required with an audit entry, and ends an assignment so the wider one applies again', async () => {
		const o = await organisation();
		const whole = await assignments.createAssignment(
			{ courseId: 'stats', departmentId: o.city.id, dueDate: '2030-12-31', recurrence: 'none', required: true },
			o.by
		);
		const east = await assignments.createAssignment(
			{ courseId: 'stats', departmentId: o.east.id, dueDate: '2030-06-30', recurrence: 'none', required: true },
			o.by
		);
		const updated = await assignments.updateAssignment(east.id, { dueDate: '2031-01-15', recurrence: 'yearly', required: false }, o.by);
		expect(updated).toMatchObject({ dueDate: '2031-01-15', recurrence: 'yearly', required: false });
		const [entry] = await db
			.select()
			.from(schema.auditLog)
			.where(and(eq(schema.auditLog.action, 'assignment.update'), eq(schema.auditLog.targetId, String(east.id))));
		expect(entry.actorUsername).toBe('trainer');
		expect(entry.before).toMatchObject({ dueDate: '2030-06-30', required: true });
		expect(entry.after).toMatchObject({ dueDate: '2031-01-15', required: false });

		await assignments.endAssignment(east.id, o.by);
		await expect(
			assignments.updateAssignment(east.id, { dueDate: '2031-01-15', recurrence: 'none', required: true }, o.by)
		).rejects.toMatchObject({ code: 'ended' });
		expect((await assignments.listAssignments()).map((r) => r.id)).toEqual([whole.id]);
		expect((await assignments.getAssignment(whole.id))?.covered).toBe(5);
		expect((await assignments.listAssignments({ includeEnded: true })).find((r) => r.id === east.id)?.endedAt).toBeInstanceOf(Date);
	});

	it('refuses bad input: impossible dates, drafts, unknown departments', async () => {
		const o = await organisation();
		expect(assignments.assignmentEdit.safeParse({ dueDate: '2030-02-30', recurrence: 'none', required: true }).success).toBe(false);
		expect(assignments.assignmentEdit.safeParse({ dueDate: '30.06.2030', recurrence: 'none', required: true }).success).toBe(false);
		expect(
			assignments.assignmentInput.parse({ courseId: 'stats', departmentId: '3', dueDate: '2030-06-30', required: 'false' }).required
		).toBe(false);
		expect(assignments.assignmentInput.parse({ courseId: 'stats', departmentId: '3', dueDate: '2030-06-30' }).required).toBe(true);
		await expect(
			assignments.createAssignment(
				{ courseId: 'wip', departmentId: o.city.id, dueDate: '2030-01-01', recurrence: 'none', required: true },
				o.by
			)
		).rejects.toMatchObject({ code: 'draft-course' });
		await expect(
			assignments.createAssignment(
				{ courseId: 'stats', departmentId: 99999, dueDate: '2030-01-01', recurrence: 'none', required: true },
				o.by
			)
		).rejects.toMatchObject({ code: 'unknown-department' });
		expect(await db.select().from(schema.assignment)).toEqual([]);
		expect((await assignments.courseOptions()).map((c) => c.id)).toEqual(['stats']);
	});

	it('explains for a department and a person which assignment applies and why', async () => {
		const o = await organisation();
		const whole = await assignments.createAssignment(
			{ courseId: 'stats', departmentId: o.city.id, dueDate: '2030-12-31', recurrence: 'none', required: true },
			o.by
		);
		const eastOld = await assignments.createAssignment(
			{ courseId: 'stats', departmentId: o.east.id, dueDate: '2030-05-01', recurrence: 'none', required: true },
			o.by
		);
		const eastNew = await assignments.createAssignment(
			{ courseId: 'stats', departmentId: o.east.id, dueDate: '2030-06-30', recurrence: 'none', required: false },
			o.by
		);

		const gsc = (await assignments.explainDepartment(o.gsc.id))!;
		expect(gsc.chain.map((d) => d.code)).toEqual(['CITY', 'EAST', 'EAST-GSC']);
		expect(gsc.courses).toHaveLength(1);
		expect(gsc.courses[0].candidates.map((c) => [c.assignmentId, c.applies, c.reason])).toEqual([
			[eastNew.id, true, 'inherited'],
			[eastOld.id, false, 'overridden-newer'],
			[whole.id, false, 'overridden-nearer']
		]);
		const gscOwn = await assignments.createAssignment(
			{ courseId: 'stats', departmentId: o.gsc.id, dueDate: '2030-03-01', recurrence: 'none', required: true },
			o.by
		);
		const again = (await assignments.explainDepartment(o.gsc.id))!;
		expect(again.courses[0].candidates[0]).toMatchObject({ assignmentId: gscOwn.id, applies: true, reason: 'own' });

		const west = (await assignments.explainDepartment(o.west.id))!;
		expect(west.courses[0].candidates.map((c) => [c.assignmentId, c.reason])).toEqual([[whole.id, 'inherited']]);

		await complete(o.a.id, o.gsc.id, new Date());
		const person = (await assignments.explainPerson('gsc-a'))!;
		expect(person.person?.username).toBe('gsc-a');
		expect(person.courses[0].completedAt).toBeInstanceOf(Date);
		expect((await assignments.explainPerson('gsc-b'))!.courses[0].completedAt).toBeNull();
		expect(await assignments.explainPerson('nobody')).toBeUndefined();
		// The department view counts people (gsc-a and gsc-b) and completions, and names nobody.
		const counted = (await assignments.explainDepartment(o.gsc.id))!;
		expect(counted.courses[0].coverage).toEqual({ people: 2, completed: 1 });
		expect(counted.person).toBeUndefined();
		expect(JSON.stringify(counted)).not.toMatch(/gsc-a|gsc-b/);
		expect(await assignments.explainDepartment(99999)).toBeUndefined();
	});

	it('lists departments in tree order', async () => {
		const o = await organisation();
		const options = await assignments.departmentOptions();
		expect(options.map((d) => d.code)).toEqual(['CITY', 'EAST', 'EAST-GSC', 'WEST']);
		expect(options.find((d) => d.id === o.gsc.id)?.depth).toBe(2);
	});
});
