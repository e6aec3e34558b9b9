// The one-time activation link: the person behind a new (or reset) account sets their password.
import { and, eq, isNull, ne } from 'drizzle-orm';
import { audit } from '../audit';
import type { PasswordProblem } from '../auth/password-policy';
import { createSession, invalidateUserSessions } from '../auth/session';
import { db, schema } from '../db';
import { DomainError } from '../errors';
import { LinkGone, lookUpLink, newPasswordThroughLink, spendLink, type LinkLookup, type LinkProblem } from '../auth/links';

export type { LinkProblem };
export type LinkState = LinkLookup;

/** What the link is: valid (for whom), or why it cannot be used. A pending account may use it. */
export function check(token: string): Promise<LinkState> {
	return lookUpLink(db, schema.activationToken, token, (status) => status !== 'inactive');
}

export type ActivationResult =
	| { ok: true; userId: number; session: { token: string; expiresAt: Date }; locale: 'zh-CN' | 'en' | null }
	| { ok: false; problem: LinkProblem | 'mismatch' | PasswordProblem };

/**
 * Sets the password through a link, once: the link is spent in the same statement that checks it, so
 * two submissions cannot both succeed. The account becomes active, its other sessions and links end,
 * and a new session is opened for the person.
 */
export async function activate(token: string, password: string, confirm: string): Promise<ActivationResult> {
	const state = await check(token);
	const chosen = await newPasswordThroughLink(state, password, confirm);
	if (!chosen.ok) return chosen;
	const { passwordHash } = chosen;
	return db
		.transaction(async (tx): Promise<ActivationResult> => {
			const t = schema.activationToken;
			const spent = await spendLink(tx, t, token);
			// Spent or expired by someone else meanwhile; say which after the transaction (PGlite has one connection).
			if (spent === undefined) throw new LinkGone();
			const [user] = await tx
				.update(schema.user)
				.set({ passwordHash, status: 'active', updatedAt: new Date() })
				.where(and(eq(schema.user.id, spent), ne(schema.user.status, 'inactive')))
				.returning();
			// Deactivated between the check and now: undo spending the link.
			if (!user) throw new InactiveAccount();
			await tx.delete(t).where(and(eq(t.userId, user.id), isNull(t.usedAt)));
			await invalidateUserSessions(user.id, undefined, tx);
			await audit({ action: 'user.activate', targetType: 'user', targetId: user.id, actor: { id: user.id, username: user.username } }, tx);
			const { token: sessionToken, session } = await createSession(user.id, user.roles, tx);
			return { ok: true, userId: user.id, session: { token: sessionToken, expiresAt: session.expiresAt }, locale: user.locale };
		})
		.catch(async (e): Promise<ActivationResult> => {
			if (e instanceof InactiveAccount) return { ok: false, problem: 'inactive' };
			if (e instanceof LinkGone) {
				const now = await check(token);
				return { ok: false, problem: now.status === 'valid' ? 'used' : now.status };
			}
			throw e;
		});
}

// Thrown only to roll the transaction back; activate() turns it into its result.
class InactiveAccount extends DomainError<'inactive'> {
	constructor() {
		super('conflict', 'inactive');
	}
}
