// "Forgot password" (PRODUCT.md §6.3): POST /password-reset with a username mails a one-time link,
// valid one hour; the answer is the same whether or not the account exists (or has an address).
// Using the link sets the password, ends every session of the account and signs the person in.
import { and, eq, isNull, lt, or } from 'drizzle-orm';
import { audit } from '../audit';
import { hashToken, newToken } from '../admin/tokens';
import { LinkGone, lookUpLink, newPasswordThroughLink, spendLink } from './links';
import { db, schema, sql } from '../db';
import { queueMessage } from '../notifications/queue';
import type { PasswordProblem } from './password-policy';
import { passwordAllowed } from './password-sign-in';
import { createSession, invalidateUserSessions } from './session';
import { beginResetRequest, recordSuccess } from './throttle';

export const RESET_MINUTES = 60;

export type ResetRequest = { status: 'sent' } | { status: 'throttled'; retryAfter: number };

/**
 * Handles a request. 'sent' for every admitted request, known account or not: only an active account
 * with an address (and password sign-in allowed for it) gets a mail. Earlier unused links of the account end.
 */
export async function requestReset(username: string, ip: string | null): Promise<ResetRequest> {
	const wait = await beginResetRequest(username, ip);
	if (wait > 0) return { status: 'throttled', retryAfter: wait };
	const name = username.trim();
	const [user] = await db
		.select({ id: schema.user.id, username: schema.user.username, email: schema.user.email, status: schema.user.status })
		.from(schema.user)
		.where(sql`lower(${schema.user.username}) = lower(${name})`);
	if (!user || user.status !== 'active' || !user.email?.trim() || !(await passwordAllowed(user.username))) {
		await audit({
			action: 'user.password_reset.request',
			targetType: 'username',
			targetId: name.slice(0, 128),
			after: { mailed: false },
			actor: null
		});
		return { status: 'sent' };
	}
	const token = newToken();
	await db.transaction(async (tx) => {
		const t = schema.passwordReset;
		await tx.delete(t).where(and(eq(t.userId, user.id), or(isNull(t.usedAt), lt(t.expiresAt, new Date()))));
		await tx.insert(t).values({ tokenHash: hashToken(token), userId: user.id, expiresAt: new Date(Date.now() + RESET_MINUTES * 60_000) });
		await queueMessage('password_reset', user.id, { username: user.username, token }, { executor: tx });
		await audit({ action: 'user.password_reset.request', targetType: 'user', targetId: user.id, after: { mailed: true }, actor: null }, tx);
	});
	return { status: 'sent' };
}

export type ResetProblem = 'unknown' | 'used' | 'expired' | 'inactive';
export type ResetState = { status: 'valid'; username: string; displayName: string } | { status: ResetProblem };

export async function checkReset(token: string): Promise<ResetState> {
	const state = await lookUpLink(db, schema.passwordReset, token, (status) => status === 'active');
	return state.status === 'valid' ? { status: 'valid', username: state.username, displayName: state.displayName } : state;
}

export type ResetResult =
	| { ok: true; userId: number; session: { token: string; expiresAt: Date }; locale: 'zh-CN' | 'en' | null }
	| { ok: false; problem: ResetProblem | 'mismatch' | PasswordProblem };

/** Sets the new password through the link, once (spent in the statement that checks it); every session ends, a new one opens. */
export async function resetPassword(token: string, password: string, confirm: string): Promise<ResetResult> {
	const state = await checkReset(token);
	const chosen = await newPasswordThroughLink(state, password, confirm);
	if (!chosen.ok) return chosen;
	const { passwordHash } = chosen;
	const result = await db
		.transaction(async (tx): Promise<ResetResult> => {
			const t = schema.passwordReset;
			const spent = await spendLink(tx, t, token);
			if (spent === undefined) throw new LinkGone();
			const [user] = await tx
				.update(schema.user)
				.set({ passwordHash, updatedAt: new Date() })
				.where(and(eq(schema.user.id, spent), eq(schema.user.status, 'active')))
				.returning();
			if (!user) throw new LinkGone();
			await tx.delete(t).where(and(eq(t.userId, user.id), isNull(t.usedAt)));
			await invalidateUserSessions(user.id, undefined, tx);
			await audit(
				{ action: 'user.password_reset', targetType: 'user', targetId: user.id, actor: { id: user.id, username: user.username } },
				tx
			);
			const { token: sessionToken, session } = await createSession(user.id, user.roles, tx);
			return { ok: true, userId: user.id, session: { token: sessionToken, expiresAt: session.expiresAt }, locale: user.locale };
		})
		.catch(async (e): Promise<ResetResult> => {
			if (e instanceof LinkGone) {
				const now = await checkReset(token);
				return { ok: false, problem: now.status === 'valid' ? 'used' : now.status };
			}
			throw e;
		});
	// A person who was locked out by wrong guesses can sign in with the new password at once.
	if (result.ok && state.status === 'valid') await recordSuccess(state.username);
	return result;
}
