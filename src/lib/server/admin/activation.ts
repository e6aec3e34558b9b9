// The one-time activation link: the person behind a new (or reset) account sets their password.
import { and, eq, isNull, ne } from 'drizzle-orm';
import { audit } from '../audit';
import { hashPassword } from '../auth/password';
import { passwordProblem } from '../auth/password-policy';
import { createSession, invalidateUserSessions } from '../auth/session';
import { db, schema, sql } from '../db';
import { hashToken, plausibleToken } from './tokens';

export type LinkProblem = 'unknown' | 'used' | 'expired' | 'inactive';
export type LinkState = { status: 'valid'; username: string; displayName: string; expiresAt: Date } | { status: LinkProblem };

/** What the link is: valid (for whom), or why it cannot be used. */
export async function check(token: string): Promise<LinkState> {
	if (!plausibleToken(token)) return { status: 'unknown' };
	const [found] = await db
		.select({ usedAt: schema.activationToken.usedAt, expiresAt: schema.activationToken.expiresAt, username: schema.user.username, displayName: schema.user.displayName, status: schema.user.status })
		.from(schema.activationToken)
		.innerJoin(schema.user, eq(schema.user.id, schema.activationToken.userId))
		.where(eq(schema.activationToken.tokenHash, hashToken(token)));
	if (!found) return { status: 'unknown' };
	if (found.usedAt) return { status: 'used' };
	if (found.status === 'inactive') return { status: 'inactive' };
	if (found.expiresAt.getTime() <= Date.now()) return { status: 'expired' };
	return { status: 'valid', username: found.username, displayName: found.displayName, expiresAt: found.expiresAt };
}

export type ActivationResult =
	| { ok: true; userId: number; session: { token: string; expiresAt: Date }; locale: 'zh-CN' | 'en' | null }
	| { ok: false; problem: LinkProblem | 'mismatch' | 'short' | 'common' | 'long' };

/**
 * Sets the password through a link, once: the link is spent in the same statement that checks it, so
 * two submissions cannot both succeed. The account becomes active, its other sessions and links end,
 * and a new session is opened for the person.
 */
export async function activate(token: string, password: string, confirm: string): Promise<ActivationResult> {
	const state = await check(token);
	if (state.status !== 'valid') return { ok: false, problem: state.status };
	if (password !== confirm) return { ok: false, problem: 'mismatch' };
	const weak = passwordProblem(password);
	if (weak) return { ok: false, problem: weak };
	const passwordHash = await hashPassword(password);
	return db.transaction(async (tx): Promise<ActivationResult> => {
		const t = schema.activationToken;
		const [spent] = await tx
			.update(t)
			.set({ usedAt: new Date() })
			.where(and(eq(t.tokenHash, hashToken(token)), isNull(t.usedAt), sql`${t.expiresAt} > now()`))
			.returning({ userId: t.userId });
		// Spent or expired by someone else meanwhile; say which after the transaction (PGlite has one connection).
		if (!spent) throw new LinkGone();
		const [user] = await tx
			.update(schema.user)
			.set({ passwordHash, status: 'active', updatedAt: new Date() })
			.where(and(eq(schema.user.id, spent.userId), ne(schema.user.status, 'inactive')))
			.returning();
		// Deactivated between the check and now: undo spending the link.
		if (!user) throw new InactiveAccount();
		await tx.delete(t).where(and(eq(t.userId, user.id), isNull(t.usedAt)));
		await invalidateUserSessions(user.id, undefined, tx);
		await audit({ action: 'user.activate', targetType: 'user', targetId: user.id, actor: { id: user.id, username: user.username } }, tx);
		const { token: sessionToken, session } = await createSession(user.id, user.roles, tx);
		return { ok: true, userId: user.id, session: { token: sessionToken, expiresAt: session.expiresAt }, locale: user.locale };
	}).catch(async (e): Promise<ActivationResult> => {
		if (e instanceof InactiveAccount) return { ok: false, problem: 'inactive' };
		if (e instanceof LinkGone) {
			const now = await check(token);
			return { ok: false, problem: now.status === 'valid' ? 'used' : now.status };
		}
		throw e;
	});
}

class InactiveAccount extends Error {}
class LinkGone extends Error {}
