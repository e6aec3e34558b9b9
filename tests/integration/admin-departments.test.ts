import { eq } from 'drizzle-orm';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as departments from '../../src/lib/server/admin/departments';
import { db, schema } from '../../src/lib/server/db';
import { resetDatabase, testDatabase } from '../helpers/db';
import { createDepartment, createUser } from '../helpers/factories';

beforeAll(async () => {
	await testDatabase();
});
beforeEach(resetDatabase);

const byCode = async () => new Map((await db.select().from(schema.department)).map((d) => [d.code, d]));

describe('department tree', () => {
	it('creates departments with unique codes under active parents', async () => {
		const root = await departments.create({ code: 'CITY', nameZh: '市政府', nameEn: 'City', parentId: null });
		const child = await departments.create({ code: 'EAST', nameZh: '东城区', nameEn: 'East', parentId: root });
		const d = (await byCode()).get('EAST')!;
		expect(d).toMatchObject({ id: child, parentId: root, path: `/${root}/${child}/`, depth: 1 });
		await expect(departments.create({ code: 'EAST', nameZh: '重复', nameEn: 'Dup', parentId: root })).rejects.toMatchObject({
			code: 'code_taken'
		});
		await expect(departments.update(child, { code: 'CITY', nameZh: '东城区', nameEn: 'East' })).rejects.toMatchObject({
			code: 'code_taken'
		});
		await departments.update(child, { code: 'EAST', nameZh: '东城区人民政府', nameEn: 'East District' });
		expect((await byCode()).get('EAST')).toMatchObject({ nameZh: '东城区人民政府', nameEn: 'East District' });
		const [entry] = await db.select().from(schema.auditLog).where(eq(schema.auditLog.action, 'department.update'));
		expect(entry).toMatchObject({ before: { nameEn: 'East' }, after: { nameEn: 'East District' } });
	});

	it('moves a whole subtree, rewriting paths and depths, and refuses cycles', async () => {
		const city = await createDepartment({ code: 'CITY' });
		const east = await createDepartment({ code: 'EAST', parent: city });
		const west = await createDepartment({ code: 'WEST', parent: city });
		const unit = await createDepartment({ code: 'EAST-1', parent: east });
		const team = await createDepartment({ code: 'EAST-1-A', parent: unit });

		await departments.move(east.id, west.id);
		const after = await byCode();
		expect(after.get('EAST')).toMatchObject({ parentId: west.id, path: `/${city.id}/${west.id}/${east.id}/`, depth: 2 });
		expect(after.get('EAST-1')).toMatchObject({ parentId: east.id, path: `/${city.id}/${west.id}/${east.id}/${unit.id}/`, depth: 3 });
		expect(after.get('EAST-1-A')).toMatchObject({ path: `/${city.id}/${west.id}/${east.id}/${unit.id}/${team.id}/`, depth: 4 });
		expect(after.get('WEST')).toMatchObject({ path: `/${city.id}/${west.id}/`, depth: 1 });

		await expect(departments.move(east.id, team.id)).rejects.toMatchObject({ code: 'cycle' });
		await expect(departments.move(east.id, east.id)).rejects.toMatchObject({ code: 'cycle' });
		expect((await byCode()).get('EAST')?.parentId).toBe(west.id);

		await departments.move(unit.id, null);
		expect((await byCode()).get('EAST-1-A')).toMatchObject({ path: `/${unit.id}/${team.id}/`, depth: 1 });
		const tree = await departments.tree();
		expect(tree.map((r) => r.code).sort()).toEqual(['CITY', 'EAST-1']);
	});

	it('deactivates only an empty department, or one whose staff are moved in the same step', async () => {
		const city = await createDepartment({ code: 'CITY' });
		const east = await createDepartment({ code: 'EAST', parent: city });
		const unit = await createDepartment({ code: 'EAST-1', parent: east });
		const person = await createUser({ department: unit });
		const gone = await createUser({ department: unit, status: 'inactive' });

		await expect(departments.deactivate(east.id, null)).rejects.toMatchObject({ code: 'has_children' });
		await expect(departments.deactivate(unit.id, null)).rejects.toMatchObject({ code: 'has_staff' });
		await expect(departments.deactivate(unit.id, unit.id)).rejects.toMatchObject({ code: 'bad_target' });
		expect((await byCode()).get('EAST-1')?.active).toBe(true);

		expect(await departments.deactivate(unit.id, east.id)).toBe(1);
		const [moved] = await db.select().from(schema.user).where(eq(schema.user.id, person.id));
		expect(moved.departmentId).toBe(east.id);
		const [stayed] = await db.select().from(schema.user).where(eq(schema.user.id, gone.id));
		expect(stayed.departmentId).toBe(unit.id);
		expect((await byCode()).get('EAST-1')?.active).toBe(false);

		// Nothing moves into a deactivated department; it cannot be a new parent either.
		await expect(departments.deactivate(east.id, unit.id)).rejects.toMatchObject({ code: 'bad_target' });
		await expect(departments.create({ code: 'X', nameZh: 'X', nameEn: 'X', parentId: unit.id })).rejects.toMatchObject({
			code: 'parent_inactive'
		});

		await departments.reactivate(unit.id);
		expect((await byCode()).get('EAST-1')?.active).toBe(true);
		const actions = (await db.select().from(schema.auditLog)).map((a) => a.action);
		expect(actions).toEqual(expect.arrayContaining(['user.update', 'department.deactivate', 'department.reactivate']));
	});

	it('counts staff per department and over each subtree', async () => {
		const city = await createDepartment({ code: 'CITY' });
		const east = await createDepartment({ code: 'EAST', parent: city });
		await createUser({ department: city });
		await createUser({ department: east });
		await createUser({ department: east, status: 'pending' });
		await createUser({ department: east, status: 'inactive' });
		const [root] = await departments.tree();
		expect([root.staff, root.subtreeStaff, root.children[0].staff]).toEqual([1, 3, 2]);
		expect((await departments.options()).map((o) => [o.code, o.depth])).toEqual([
			['CITY', 0],
			['EAST', 1]
		]);
	});
});
