import { eq } from 'drizzle-orm';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { changePassword } from '../../src/lib/server/auth/account';
import { attemptSignIn, signIn } from '../../src/lib/server/auth/login';
import { createSession, invalidateUserSessions, validateSessionToken } from '../../src/lib/server/auth/session';
import { backoffSeconds, recordFailure, recordSuccess, retryAfter, accountKey, ipKey } from '../../src/lib/server/auth/throttle';
import { verifyPassword as verifyStored } from '../../src/lib/server/auth/password';
import { db, schema } from '../../src/lib/server/db';
import { resetDatabase, testDatabase } from '../helpers/db';
import { createDepartment, createUser } from '../helpers/factories';

beforeAll(async () => {
	await testDatabase();
});
beforeEach(resetDatabase);

describe('sign-in', () => {
	it('opens a session for the right password and refuses a wrong one the same way as an unknown user', async () => {
		const dept = await createDepartment();
		const user = await createUser({ username: 'G001', department: dept });
		const ok = await signIn('G001', 'test-password');
		expect(ok.ok).toBe(true);
		const wrong = await signIn('G001', 'nope');
		const unknown = await signIn('G999', 'nope');
		expect(wrong.ok).toBe(false);
		expect(unknown.ok).toBe(false);
		if (!ok.ok) return;
		const validated = await validateSessionToken(ok.token);
		expect(validated?.user.id).toBe(user.id);
	});

	it('stores only a hash of the session secret', async () => {
		const dept = await createDepartment();
		const user = await createUser({ department: dept });
		const { token } = await createSession(user.id, user.roles);
		const [id, secret] = token.split('.');
		const [row] = await db.select().from(schema.session).where(eq(schema.session.id, id));
		expect(row.secretHash).not.toContain(secret);
		expect(row.secretHash).toMatch(/^[0-9a-f]{64}$/);
		expect(await validateSessionToken(`${id}.${secret}x`)).toBeNull();
	});

	it('refuses inactive accounts and ends their sessions', async () => {
		const dept = await createDepartment();
		const user = await createUser({ username: 'G002', department: dept });
		const { token } = await createSession(user.id, user.roles);
		await db.update(schema.user).set({ status: 'inactive' }).where(eq(schema.user.id, user.id));
		expect(await validateSessionToken(token)).toBeNull();
		expect((await signIn('G002', 'test-password')).ok).toBe(false);
	});

	it('ends every other session when asked (password change)', async () => {
		const dept = await createDepartment();
		const user = await createUser({ department: dept });
		const a = await createSession(user.id, user.roles);
		const b = await createSession(user.id, user.roles);
		await invalidateUserSessions(user.id, a.session.id);
		expect(await validateSessionToken(a.token)).not.toBeNull();
		expect(await validateSessionToken(b.token)).toBeNull();
	});

	it('expires an idle HR session after 30 minutes', async () => {
		const dept = await createDepartment();
		const user = await createUser({ department: dept, roles: ['hr'] });
		const { token, session } = await createSession(user.id, user.roles);
		await db
			.update(schema.session)
			.set({ lastSeenAt: new Date(Date.now() - 31 * 60_000) })
			.where(eq(schema.session.id, session.id));
		expect(await validateSessionToken(token)).toBeNull();
	});
});

describe('throttling', () => {
	it('backs off exponentially up to five minutes', () => {
		expect(backoffSeconds(4, 4)).toBe(0);
		expect(backoffSeconds(5, 4)).toBe(30);
		expect(backoffSeconds(6, 4)).toBe(60);
		expect(backoffSeconds(30, 4)).toBe(300);
	});

	it('blocks an account after repeated failures and clears on success', async () => {
		for (let i = 0; i < 5; i++) await recordFailure('G100', '10.0.0.1');
		const wait = await retryAfter([accountKey('G100'), ipKey('10.0.0.2')]);
		expect(wait).toBeGreaterThan(0);
		expect(wait).toBeLessThanOrEqual(30);
		await recordSuccess('G100');
		expect(await retryAfter([accountKey('G100')])).toBe(0);
	});
});

describe('the current password on the account page', () => {
	const change = (current: string) => ({ current, next: 'river-lantern-47', confirm: 'river-lantern-47' });

	it('is throttled like sign-in, shares its count, and every failure is audited', async () => {
		const dept = await createDepartment({ code: 'D1' });
		const user = await createUser({ username: 'G200', displayName: '王五', department: dept });
		const statuses: string[] = [];
		for (let i = 0; i < 7; i++) statuses.push((await changePassword(user, undefined, '10.0.0.9', change(`guess-${i}`))).status);
		expect(statuses).toEqual(['wrong', 'wrong', 'wrong', 'wrong', 'wrong', 'throttled', 'throttled']);
		// Blocked now even with the right password, and for sign-in as well: a session is no way around the limit.
		const right = await changePassword(user, undefined, '10.0.0.9', change('test-password'));
		expect(right.status).toBe('throttled');
		expect(right.retryAfter).toBeGreaterThan(0);
		expect(right.retryAfter).toBeLessThanOrEqual(300);
		expect((await attemptSignIn('G200', 'test-password', '10.0.0.10')).status).toBe('throttled');
		const [stored] = await db.select().from(schema.user).where(eq(schema.user.id, user.id));
		expect(await verifyStored(stored.passwordHash!, 'test-password')).toBe(true);
		const logged = await db
			.select()
			.from(schema.auditLog)
			.where(eq(schema.auditLog.targetId, String(user.id)));
		expect(logged.filter((a) => a.action === 'user.password.wrong')).toHaveLength(5);
		expect(logged.filter((a) => a.action === 'user.password.throttled')).toHaveLength(3);
	});

	it('a right current password changes it and clears the count', async () => {
		const dept = await createDepartment({ code: 'D1' });
		const user = await createUser({ username: 'G201', displayName: '赵六', department: dept });
		for (let i = 0; i < 3; i++) expect((await changePassword(user, undefined, null, change(`guess-${i}`))).status).toBe('wrong');
		expect((await changePassword(user, undefined, null, change('test-password'))).status).toBe('changed');
		expect(await retryAfter([accountKey('G201')])).toBe(0);
		expect((await signIn('G201', 'river-lantern-47')).ok).toBe(true);
	});

	it('refuses a new password that is the username, the name, the app’s name or the demo password', async () => {
		const dept = await createDepartment({ code: 'D1' });
		const user = await createUser({ username: 'G202', displayName: 'Li Si', department: dept });
		for (const [next, status] of [
			['G202 2026', 'personal'],
			['Si Li 2026', 'personal'],
			['LiSi1234', 'personal'],
			['GovLearn2026', 'known'],
			['政务数字能力学院', 'known'],
			['govlearn-demo', 'known']
		] as const)
			expect((await changePassword(user, undefined, null, { current: 'test-password', next, confirm: next })).status, next).toBe(status);
		// Refusals for the new password are not guesses at the current one.
		expect(await retryAfter([accountKey('G202')])).toBe(0);
	});
});
