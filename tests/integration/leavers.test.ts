import { eq } from 'drizzle-orm';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as staffImport from '../../src/lib/server/admin/import';
import { AdminError } from '../../src/lib/server/admin/errors';
import { passwordAllowed, passwordPolicy, setPasswordPolicy } from '../../src/lib/server/auth/password-sign-in';
import { createSession, validateSessionToken } from '../../src/lib/server/auth/session';
import { db, schema } from '../../src/lib/server/db';
import { resetDatabase, testDatabase } from '../helpers/db';
import { createDepartment, createUser } from '../helpers/factories';

const csv = (text: string) => new TextEncoder().encode(text);

async function previewAndApply(text: string, actor: { id: number; username: string } | null) {
	const id = await staffImport.preview(csv(text), 'staff.csv', actor);
	const batch = (await staffImport.getBatch(id))!;
	return { batch, errors: await staffImport.batchErrors(id) };
}

const byUsername = async (username: string) => (await db.select().from(schema.user).where(eq(schema.user.username, username)))[0];

beforeAll(async () => {
	await testDatabase();
});
beforeEach(resetDatabase);

describe('leavers in the staff import', () => {
	it('deactivates an inactive row at once: its sessions end, the account stays, others are untouched', async () => {
		const dept = await createDepartment({ code: 'EAST' });
		const leaver = await createUser({ username: 'L001', displayName: '离职者', department: dept });
		const stayer = await createUser({ username: 'L002', displayName: '在职者', department: dept });
		const { token } = await createSession(leaver.id, leaver.roles);
		const other = await createSession(stayer.id, stayer.roles);
		const result = await staffImport.importFile(
			csv('工号,姓名,部门编码,状态\nL001,离职者,EAST,离职\nL002,在职者,EAST,在职\n'),
			'staff.csv',
			{ dryRun: false }
		);
		expect(result.plan.errors).toEqual([]);
		expect(result.updated).toBe(1);
		expect(result.plan.unchanged).toBe(1);
		expect((await byUsername('L001')).status).toBe('inactive');
		expect(await validateSessionToken(token)).toBeNull();
		expect(await db.$count(schema.session, eq(schema.session.userId, leaver.id))).toBe(0);
		expect(await validateSessionToken(other.token)).not.toBeNull();
		const [change] = await db.select().from(schema.auditLog).where(eq(schema.auditLog.action, 'user.update'));
		expect(change).toMatchObject({ targetId: String(leaver.id), before: { status: 'active' } });
		expect(change.after).toMatchObject({ status: 'inactive' });
	});

	it('reads English status words, shows the change in the preview, and brings a deactivated account back', async () => {
		const dept = await createDepartment({ code: 'EAST' });
		await createUser({ username: 'L010', displayName: 'A', department: dept });
		await createUser({ username: 'L011', displayName: 'B', department: dept, status: 'inactive' });
		await createUser({ username: 'L012', displayName: 'C', department: dept, status: 'inactive', password: null });
		const { batch, errors } = await previewAndApply(
			'username,name,department,status\nL010,A,EAST,inactive\nL011,B,EAST,active\nL012,C,EAST,Active\nL099,Nobody,EAST,inactive\n',
			null
		);
		expect(errors).toEqual([]);
		expect(batch.toUpdate).toBe(3);
		expect(batch.toCreate).toBe(0);
		expect(batch.sample?.updates[0].changes).toEqual([{ field: 'status', before: 'active', after: 'inactive' }]);
		await staffImport.apply(batch.id, batch.fileHash, null);
		expect((await byUsername('L010')).status).toBe('inactive');
		expect((await byUsername('L011')).status).toBe('active');
		// Never had a password: back as pending (an activation link, or government sign-in, brings them in).
		expect((await byUsername('L012')).status).toBe('pending');
		expect(await byUsername('L099')).toBeUndefined();
	});

	it('refuses a status it cannot read, with the row and the value', async () => {
		await createDepartment({ code: 'EAST' });
		const { errors } = await previewAndApply('工号,姓名,部门编码,状态\nL020,甲,EAST,休假\n', null);
		expect(errors).toEqual([{ row: 2, column: 'status', value: '休假', kind: 'bad_status' }]);
	});

	it('cannot take away the importing admin’s own admin role or deactivate them', async () => {
		const dept = await createDepartment({ code: 'EAST' });
		const me = await createUser({ username: 'A001', displayName: '管理员', department: dept, roles: ['learner', 'admin'] });
		await createUser({ username: 'A002', displayName: '另一管理员', department: dept, roles: ['learner', 'admin'] });
		const actor = { id: me.id, username: me.username };
		const roles = await previewAndApply('工号,姓名,部门编码,角色\nA001,管理员,EAST,学员\n', actor);
		expect(roles.errors).toEqual([{ row: 2, column: 'roles', value: '学员', kind: 'own_admin' }]);
		const status = await previewAndApply('工号,姓名,部门编码,状态\nA001,管理员,EAST,离职\n', actor);
		expect(status.errors).toEqual([{ row: 2, column: 'status', value: '离职', kind: 'own_admin' }]);
		await expect(staffImport.apply(status.batch.id, status.batch.fileHash, actor)).rejects.toThrow(AdminError);
		expect((await byUsername('A001')).roles).toContain('admin');
		// Another admin may be changed by them, as long as one remains.
		const other = await previewAndApply('工号,姓名,部门编码,角色\nA002,另一管理员,EAST,学员\n', actor);
		expect(other.errors).toEqual([]);
	});

	it('cannot remove the last active admin, even from the command line', async () => {
		const dept = await createDepartment({ code: 'EAST' });
		await createUser({ username: 'A010', displayName: '唯一管理员', department: dept, roles: ['learner', 'admin'] });
		await createUser({ username: 'A011', displayName: '停用管理员', department: dept, roles: ['learner', 'admin'], status: 'inactive' });
		const result = await staffImport.importFile(csv('工号,姓名,部门编码,状态\nA010,唯一管理员,EAST,离职\n'), 'staff.csv', {
			dryRun: false
		});
		expect(result.plan.errors).toEqual([{ row: 2, column: 'status', value: '离职', kind: 'last_admin' }]);
		expect(result.batchId).toBeNull();
		expect((await byUsername('A010')).status).toBe('active');
		// Handing the role to someone in the same file is fine.
		const handover = await staffImport.importFile(
			csv('工号,姓名,部门编码,角色,状态\nA010,唯一管理员,EAST,学员,\nA012,新管理员,EAST,管理员,\n'),
			'staff.csv',
			{ dryRun: true }
		);
		expect(handover.plan.errors).toEqual([{ row: 2, column: 'roles', value: '学员', kind: 'last_admin' }]);
	});
});

describe('password sign-in off, with break-glass admins', () => {
	it('is on for everyone until an admin turns it off; then only the named admins may use a password', async () => {
		const dept = await createDepartment();
		const admin = await createUser({ username: 'bg-admin', department: dept, roles: ['learner', 'admin'] });
		await createUser({ username: 'plain', department: dept });
		expect(await passwordAllowed('plain')).toBe(true);
		const actor = { id: admin.id, username: admin.username };
		await expect(setPasswordPolicy({ enabled: false, breakGlass: [] }, actor)).rejects.toMatchObject({ code: 'break_glass_required' });
		await expect(setPasswordPolicy({ enabled: false, breakGlass: ['plain', 'nobody'] }, actor)).rejects.toMatchObject({
			code: 'break_glass_not_admin',
			detail: 'plain, nobody'
		});
		expect((await passwordPolicy()).enabled).toBe(true);
		await setPasswordPolicy({ enabled: false, breakGlass: [' bg-admin ', 'bg-admin'] }, actor);
		expect(await passwordPolicy()).toEqual({ enabled: false, breakGlass: ['bg-admin'] });
		expect(await passwordAllowed('plain')).toBe(false);
		expect(await passwordAllowed('bg-admin')).toBe(true);
		const [logged] = await db.select().from(schema.auditLog).where(eq(schema.auditLog.action, 'settings.password_sign_in'));
		expect(logged).toMatchObject({
			actorUsername: 'bg-admin',
			before: { enabled: true, breakGlass: [] },
			after: { enabled: false, breakGlass: ['bg-admin'] }
		});
		await setPasswordPolicy({ enabled: true, breakGlass: [] }, actor);
		expect(await passwordAllowed('plain')).toBe(true);
	});
});
