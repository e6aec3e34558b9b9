// Two figures are computed two ways (see the top of src/lib/server/insights/department-rollups.ts):
// from the department rollups when the report is unfiltered, from the per-person rows when a course or
// period filter asks for what only they hold. Without those filters both ways must give the same
// numbers, for every department of the tree as the report root.
import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { db, rows, schema } from '../../src/lib/server/db';
import * as insights from '../../src/lib/server/insights';
import { personMasteryCells } from '../../src/lib/server/insights/cells';
import { deptMasteryCells, deptStaffAndHours } from '../../src/lib/server/insights/department-rollups';
import { personStaffAndHours } from '../../src/lib/server/insights/overview';
import { testDatabase } from '../helpers/db';
import { createDepartment, createUser } from '../helpers/factories';
import { insertRandomAttempt } from '../helpers/activity';
import { createRandom } from '../../seeds/random';

const COURSES = ['c1', 'c2', 'c3'];
const COMPETENCIES = ['k1', 'k2', 'k3'];

beforeAll(async () => {
	await testDatabase();
});

async function randomOrganisation() {
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
	const r = createRandom(4242);
	const root = await createDepartment({ code: 'R' });
	const depts = [root, await createDepartment({ parent: root }), await createDepartment({ parent: root })];
	depts.push(await createDepartment({ parent: depts[1] }), await createDepartment({ parent: depts[1] }));
	const year = new Date().getFullYear();
	const users: number[] = [];
	for (let i = 0; i < 40; i++)
		users.push(
			(
				await createUser({
					department: r.pick(depts),
					password: null,
					status: r.pick(['active', 'active', 'pending', 'inactive'] as const)
				})
			).id
		);
	let certificate = 0;
	for (const userId of users) {
		for (const courseId of COURSES) {
			if (r.int(0, 2) === 0) continue;
			const at = new Date(Date.UTC(r.pick([year, year - 1]), r.int(0, 11), r.int(1, 28)));
			await insertRandomAttempt(r, { userId, courseId, attemptNo: 1, at, competencies: COMPETENCIES });
			if (r.int(0, 1) === 0) {
				await db.insert(schema.completion).values({
					userId,
					courseId,
					completedAt: at,
					year: at.getUTCFullYear(),
					departmentId: root.id,
					hours: r.pick([1, 1.5, 2.5, 3]),
					score: 90,
					contentVersion: 'v1',
					certificateCode: `c${++certificate}`,
					revokedAt: r.int(0, 5) === 0 ? at : null
				});
			}
		}
	}
	// Moves and status changes after the learning, so the rollups have had to follow people around.
	for (let i = 0; i < 10; i++)
		await db
			.update(schema.user)
			.set({ departmentId: r.pick(depts).id })
			.where(eq(schema.user.id, r.pick(users)));
	for (let i = 0; i < 5; i++)
		await db
			.update(schema.user)
			.set({ status: r.pick(['active', 'inactive'] as const) })
			.where(eq(schema.user.id, r.pick(users)));
	await db
		.insert(schema.setting)
		.values({ key: 'annual_target_hours', value: '3' })
		.onConflictDoUpdate({ target: schema.setting.key, set: { value: '3' } });
	return depts;
}

const sorted = (cells: Record<string, unknown>[]) =>
	cells
		.map((c) => ({
			department: Number(c.department_id),
			competency: String(c.competency_id),
			earned: Number(c.earned),
			possible: Number(c.possible),
			people: Number(c.people)
		}))
		.sort((a, b) => a.department - b.department || a.competency.localeCompare(b.competency));

describe('department rollups and per-person rows give the same figures', () => {
	it('mastery cells, staff, hours and people at the target, for every department as the report root', async () => {
		const depts = await randomOrganisation();
		let compared = 0;
		for (const dept of depts) {
			for (const filters of [{}, { competency: 'k2' }]) {
				const ctx = await insights.resolveContext({ departmentId: depts[0].id }, { department: dept.id, ...filters }, 'en');
				const fast = deptMasteryCells(ctx)!;
				const byPerson = sorted(await rows(db, personMasteryCells(ctx)));
				expect(sorted(await rows(db, fast)), `mastery under ${dept.code} ${JSON.stringify(filters)}`).toEqual(byPerson);
				compared += byPerson.length;
			}
			const ctx = await insights.resolveContext({ departmentId: depts[0].id }, { department: dept.id }, 'en');
			const [fast] = await rows<Record<string, unknown>>(db, deptStaffAndHours(ctx, 50)!);
			const [byPerson] = await rows<Record<string, unknown>>(db, personStaffAndHours(ctx, 50));
			const figures = (r: Record<string, unknown>) => ({
				staff: Number(r.staff),
				total: Number(r.total),
				reached: Number(r.reached),
				target: r.target
			});
			expect(figures(fast), `staff and hours under ${dept.code}`).toEqual(figures(byPerson));
		}
		// Something was there to compare: cells in several departments, and hours this year at the root.
		expect(compared).toBeGreaterThan(10);
		const [root] = await rows<{ total: number; reached: number }>(
			db,
			personStaffAndHours(await insights.resolveContext({ departmentId: depts[0].id }, {}, 'en'), 50)
		);
		expect(Number(root.total)).toBeGreaterThan(0);
		expect(Number(root.reached)).toBeGreaterThan(0);
		expect(await rows(db, sql`select 1 from insight_dept_delta`)).toEqual([]);
	});
});
