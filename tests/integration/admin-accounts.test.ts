import { eq } from 'drizzle-orm';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as activation from '../../src/lib/server/admin/activation';
import * as users from '../../src/lib/server/admin/users';
import { hashToken } from '../../src/lib/server/admin/tokens';
import { signIn } from '../../src/lib/server/auth/login';
import { createSession, validateSessionToken } from '../../src/lib/server/auth/session';
import { db, schema } from '../../src/lib/server/db';
import { resetDatabase, testDatabase } from '../helpers/db';
import { createDepartment, createUser, syncLibrary } from '../helpers/factories';

beforeAll(async () => {
	await testDatabase();
});
beforeEach(resetDatabase);

const GOOD_PASSWORD = 'river-lantern-47';

async function pendingAccount() {
	const dept = await createDepartment({ code: 'EAST-GSC' });
	const created = await users.create({ username: 'N1', displayName: '新人', email: null, departmentId: dept.id, roles: ['learner'] });
	return { dept, ...created };
}

describe('activation links', () => {
	it('sets the password once: the account becomes active, signs in, and the link is spent', async () => {
		const { id, token } = await pendingAccount();
		expect(await activation.check(token)).toMatchObject({ status: 'valid', username: 'N1', displayName: '新人' });
		const result = await activation.activate(token, GOOD_PASSWORD, GOOD_PASSWORD);
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect((await validateSessionToken(result.session.token))?.user.id).toBe(id);
		const [u] = await db.select().from(schema.user).where(eq(schema.user.id, id));
		expect(u.status).toBe('active');
		expect((await signIn('N1', GOOD_PASSWORD)).ok).toBe(true);

		expect(await activation.check(token)).toEqual({ status: 'used' });
		const again = await activation.activate(token, 'another-password-9', 'another-password-9');
		expect(again).toEqual({ ok: false, problem: 'used' });
		expect((await signIn('N1', GOOD_PASSWORD)).ok).toBe(true);
		const [log] = await db.select().from(schema.auditLog).where(eq(schema.auditLog.action, 'user.activate'));
		expect(log).toMatchObject({ actorId: id, targetId: String(id) });
	});

	it('only one of two simultaneous submissions of the same link succeeds', async () => {
		const { token } = await pendingAccount();
		const results = await Promise.all([
			activation.activate(token, GOOD_PASSWORD, GOOD_PASSWORD),
			activation.activate(token, 'second-choice-12', 'second-choice-12')
		]);
		expect(results.filter((r) => r.ok)).toHaveLength(1);
	});

	it('refuses an expired link and changes nothing', async () => {
		const { id, token } = await pendingAccount();
		await db
			.update(schema.activationToken)
			.set({ expiresAt: new Date(Date.now() - 1000) })
			.where(eq(schema.activationToken.tokenHash, hashToken(token)));
		expect(await activation.check(token)).toEqual({ status: 'expired' });
		expect(await activation.activate(token, GOOD_PASSWORD, GOOD_PASSWORD)).toEqual({ ok: false, problem: 'expired' });
		const [u] = await db.select().from(schema.user).where(eq(schema.user.id, id));
		expect([u.status, u.passwordHash]).toEqual(['pending', null]);
	});

	it('refuses unknown and malformed links', async () => {
		await pendingAccount();
		expect(await activation.check('a'.repeat(32))).toEqual({ status: 'unknown' });
		expect(await activation.check('../../etc/passwd')).toEqual({ status: 'unknown' });
	});

	it('applies the password policy without spending the link', async () => {
		const { token } = await pendingAccount();
		expect(await activation.activate(token, 'short', 'short')).toEqual({ ok: false, problem: 'short' });
		expect(await activation.activate(token, 'password123', 'password123')).toEqual({ ok: false, problem: 'common' });
		expect(await activation.activate(token, GOOD_PASSWORD, GOOD_PASSWORD + 'x')).toEqual({ ok: false, problem: 'mismatch' });
		expect((await activation.check(token)).status).toBe('valid');
	});

	it('refuses the employee number, the name, the app’s name and the demo password, without spending the link', async () => {
		const dept = await createDepartment({ code: 'WEST-GSC' });
		const { token } = await users.create({
			username: 'T1003',
			displayName: 'Zhang San',
			email: null,
			departmentId: dept.id,
			roles: ['learner']
		});
		for (const [password, problem] of [
			['T1003 2024', 'personal'],
			['t1003-2024', 'personal'],
			['zhang san', 'personal'],
			['ZhangSan1', 'personal'],
			['San Zhang', 'personal'],
			['GovLearn', 'known'],
			['govlearn 2026', 'known'],
			['政务数字能力学院', 'known'],
			['govlearn-demo', 'known'],
			['GOVLEARN-DEMO', 'known']
		] as const)
			expect(await activation.activate(token, password, password), password).toEqual({ ok: false, problem });
		expect((await activation.check(token)).status).toBe('valid');
		// A password that merely contains the name is the person's choice.
		expect((await activation.activate(token, 'zhang san walks to work', 'zhang san walks to work')).ok).toBe(true);
	});

	it('a deactivated account cannot be activated through its old link', async () => {
		const { id, token } = await pendingAccount();
		const admin = await createUser({ department: { id: (await db.select().from(schema.department))[0].id }, roles: ['admin'] });
		await users.deactivate(id, admin.id);
		expect((await activation.check(token)).status).toBe('unknown');
		expect((await activation.activate(token, GOOD_PASSWORD, GOOD_PASSWORD)).ok).toBe(false);
	});
});

describe('account administration', () => {
	it('deactivation ends every session at once, and learning records stay', async () => {
		await syncLibrary();
		const dept = await createDepartment();
		const admin = await createUser({ department: dept, roles: ['admin', 'learner'] });
		const person = await createUser({ username: 'P1', department: dept });
		const a = await createSession(person.id, person.roles);
		const b = await createSession(person.id, person.roles);
		const [course] = await db.select().from(schema.course).limit(1);
		await db.insert(schema.completion).values({
			userId: person.id,
			courseId: course.id,
			year: 2026,
			departmentId: dept.id,
			hours: 2,
			score: 90,
			contentVersion: 'v',
			certificateCode: 'C-1'
		});

		await users.deactivate(person.id, admin.id);
		expect(await validateSessionToken(a.token)).toBeNull();
		expect(await validateSessionToken(b.token)).toBeNull();
		expect(await db.select().from(schema.session).where(eq(schema.session.userId, person.id))).toHaveLength(0);
		expect((await signIn('P1', 'test-password')).ok).toBe(false);
		expect(await db.select().from(schema.completion).where(eq(schema.completion.userId, person.id))).toHaveLength(1);
		const [entry] = await db.select().from(schema.auditLog).where(eq(schema.auditLog.action, 'user.deactivate'));
		expect(entry).toMatchObject({ before: { status: 'active' }, after: { status: 'inactive' } });

		// Reactivated with the old password intact.
		expect(await users.reactivate(person.id)).toBeNull();
		expect((await signIn('P1', 'test-password')).ok).toBe(true);
	});

	it('an admin cannot deactivate, reset or demote themselves', async () => {
		const dept = await createDepartment();
		const admin = await createUser({ department: dept, roles: ['admin', 'learner'] });
		await expect(users.deactivate(admin.id, admin.id)).rejects.toMatchObject({ code: 'self' });
		await expect(users.resetActivation(admin.id, admin.id)).rejects.toMatchObject({ code: 'self' });
		await expect(users.setRoles(admin.id, { roles: ['learner'], hrScopeId: null }, admin.id)).rejects.toMatchObject({ code: 'self' });
	});

	it('reset: the old password and sessions stop working and a new single link replaces older ones', async () => {
		const dept = await createDepartment();
		const admin = await createUser({ department: dept, roles: ['admin'] });
		const person = await createUser({ username: 'P2', department: dept });
		const session = await createSession(person.id, person.roles);
		const first = await users.resetActivation(person.id, admin.id);
		expect(await validateSessionToken(session.token)).toBeNull();
		expect((await signIn('P2', 'test-password')).ok).toBe(false);
		const second = await users.resetActivation(person.id, admin.id);
		expect((await activation.check(first.token)).status).toBe('unknown');
		expect((await activation.check(second.token)).status).toBe('valid');
		expect((await activation.activate(second.token, GOOD_PASSWORD, GOOD_PASSWORD)).ok).toBe(true);
		expect((await signIn('P2', GOOD_PASSWORD)).ok).toBe(true);
	});

	it('grants roles with an HR scope, ends the person’s sessions, and audits the change', async () => {
		const city = await createDepartment({ code: 'CITY' });
		const east = await createDepartment({ code: 'EAST', parent: city });
		const admin = await createUser({ department: city, roles: ['admin'] });
		const person = await createUser({ department: east });
		const session = await createSession(person.id, person.roles);
		await users.setRoles(person.id, { roles: ['hr'], hrScopeId: east.id }, admin.id);
		const [u] = await db.select().from(schema.user).where(eq(schema.user.id, person.id));
		expect(u).toMatchObject({ roles: ['learner', 'hr'], hrScopeId: east.id });
		expect(await validateSessionToken(session.token)).toBeNull();
		// Removing hr clears the scope.
		await users.setRoles(person.id, { roles: ['trainer'], hrScopeId: east.id }, admin.id);
		const [after] = await db.select().from(schema.user).where(eq(schema.user.id, person.id));
		expect(after).toMatchObject({ roles: ['learner', 'trainer'], hrScopeId: null });
		expect(await db.select().from(schema.auditLog).where(eq(schema.auditLog.action, 'user.roles'))).toHaveLength(2);
	});

	it('creates accounts without a password and refuses a taken employee number', async () => {
		const { id, dept } = await pendingAccount();
		const [u] = await db.select().from(schema.user).where(eq(schema.user.id, id));
		expect([u.status, u.passwordHash]).toEqual(['pending', null]);
		await expect(users.create({ username: 'N1', displayName: 'x', email: null, departmentId: dept.id, roles: [] })).rejects.toMatchObject({
			code: 'username_taken'
		});
	});

	it('edits name, email and department, refusing a deactivated department', async () => {
		const a = await createDepartment({ code: 'A' });
		const b = await createDepartment({ code: 'B' });
		const closed = await createDepartment({ code: 'C' });
		await db.update(schema.department).set({ active: false }).where(eq(schema.department.id, closed.id));
		const person = await createUser({ department: a, displayName: '旧名' });
		await users.updateProfile(person.id, { displayName: '新名', email: 'x@example.gov.cn', departmentId: b.id });
		expect(await users.get(person.id)).toMatchObject({ displayName: '新名', email: 'x@example.gov.cn', department: { code: 'B' } });
		await expect(users.updateProfile(person.id, { displayName: '新名', email: null, departmentId: closed.id })).rejects.toMatchObject({
			code: 'bad_target'
		});
	});

	it('searches by employee number (any case) or name prefix, 50 a page', async () => {
		const dept = await createDepartment();
		await db.insert(schema.user).values(
			Array.from({ length: 120 }, (_, i) => ({
				username: `G${String(i).padStart(4, '0')}`,
				displayName: i % 2 ? `王${i}` : `李${i}`,
				departmentId: dept.id
			}))
		);
		const first = await users.search({ q: 'g00' });
		expect(first.total).toBe(100);
		expect(first.rows).toHaveLength(50);
		expect(first.pageCount).toBe(2);
		expect((await users.search({ q: 'g00', page: 2 })).rows[0].username).toBe('G0050');
		expect((await users.search({ q: '王' })).total).toBe(60);
		expect((await users.search({ q: '%' })).total).toBe(0);
	});

	it('searches within a department subtree', async () => {
		const city = await createDepartment({ code: 'CITY' });
		const east = await createDepartment({ code: 'EAST', parent: city });
		const unit = await createDepartment({ code: 'EAST-1', parent: east });
		await createUser({ username: 'A', department: city });
		await createUser({ username: 'B', department: unit });
		expect((await users.search({ departmentId: east.id, subtree: true })).rows.map((r) => r.username)).toEqual(['B']);
		expect((await users.search({ departmentId: east.id })).total).toBe(0);
	});
});

describe('audit entries', () => {
	it('record each account change with before and after, shown on the account', async () => {
		const dept = await createDepartment();
		const person = await createUser({ department: dept });
		await users.updateProfile(person.id, { displayName: '改名', email: null, departmentId: dept.id });
		const detail = await users.get(person.id);
		expect(detail?.history[0]).toMatchObject({ action: 'user.update', before: { name: expect.any(String) }, after: { name: '改名' } });
	});
});
