// A signed-in person's own account: their password and their interface language.
import { eq } from 'drizzle-orm';
import { audit } from '../audit';
import { db, schema } from '../db';
import { admitSignIn } from './hash-queue';
import { hashPassword, verifyPassword } from './password';
import { passwordProblem } from './password-policy';
import { invalidateUserSessions } from './session';
import { beginAttempt, recordAddressFailure, recordSuccess } from './throttle';

/** What the password form says afterwards. */
export type PasswordChange = 'changed' | 'wrong' | 'mismatch' | 'common' | 'short' | 'long' | 'personal' | 'known' | 'throttled' | 'busy';

export interface PasswordChangeResult {
	status: PasswordChange;
	/** Seconds to wait, when throttled or busy. */
	retryAfter?: number;
}

/**
 * Changes the password once the current one is right and the new one is acceptable. The current
 * password is a sign-in behind a session (a stolen session must not become a way to guess it), so it
 * counts against the same throttle as sign-in, account and address, and failures are audited. Every
 * other session ends; `keepSessionId` (the one making the change) stays so the person is not thrown out
 * mid-task. Audited in the same transaction.
 */
export async function changePassword(
	user: { id: number; username: string; displayName: string },
	keepSessionId: string | undefined,
	ip: string | null,
	input: { current: string; next: string; confirm: string }
): Promise<PasswordChangeResult> {
	if (input.next !== input.confirm) return { status: 'mismatch' };
	const problem = passwordProblem(input.next, { username: user.username, names: [user.displayName] });
	if (problem) return { status: problem };
	const admission = admitSignIn();
	if ('retryAfter' in admission) return { status: 'busy', retryAfter: admission.retryAfter };
	try {
		const wait = await beginAttempt(user.username, ip);
		if (wait > 0) {
			await audit({ action: 'user.password.throttled', targetType: 'user', targetId: user.id });
			return { status: 'throttled', retryAfter: wait };
		}
		const [row] = await db.select({ hash: schema.user.passwordHash }).from(schema.user).where(eq(schema.user.id, user.id));
		if (!row?.hash || !(await verifyPassword(row.hash, input.current))) {
			await recordAddressFailure(ip);
			await audit({ action: 'user.password.wrong', targetType: 'user', targetId: user.id });
			return { status: 'wrong' };
		}
	} finally {
		admission.done();
	}
	await recordSuccess(user.username);
	const hash = await hashPassword(input.next);
	await db.transaction(async (tx) => {
		await tx.update(schema.user).set({ passwordHash: hash, updatedAt: new Date() }).where(eq(schema.user.id, user.id));
		await invalidateUserSessions(user.id, keepSessionId, tx);
		await audit({ action: 'user.password.change', targetType: 'user', targetId: user.id }, tx);
	});
	return { status: 'changed' };
}

/** Saves the person's interface language, which sign-in restores on any device. */
export async function saveLocale(userId: number, locale: 'zh-CN' | 'en'): Promise<void> {
	await db.update(schema.user).set({ locale, updatedAt: new Date() }).where(eq(schema.user.id, userId));
}
