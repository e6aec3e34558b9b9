// Signing in with a username and password: the password check, and the whole sign-in the form makes.
import { eq } from 'drizzle-orm';
import { audit } from '../audit';
import { db, schema } from '../db';
import { admitSignIn } from './hash-queue';
import { passwordAllowed } from './password-sign-in';
import { dummyHash, verifyPassword } from './password';
import { createSession, invalidateSession } from './session';
import { beginAttempt, recordAddressFailure, recordSuccess } from './throttle';

export type SignInResult =
	{ ok: true; token: string; expiresAt: Date; userId: number; locale: 'zh-CN' | 'en' | null } | { ok: false; userId?: number };

/** Checks the password (the same work whether or not the account exists) and opens a new session. */
export async function signIn(username: string, password: string): Promise<SignInResult> {
	const [found] = await db.select().from(schema.user).where(eq(schema.user.username, username.trim()));
	if (!found || !found.passwordHash || found.status !== 'active') {
		await verifyPassword(await dummyHash(), password);
		return { ok: false, userId: found?.id };
	}
	if (!(await verifyPassword(found.passwordHash, password))) return { ok: false, userId: found.id };
	const { token, session } = await createSession(found.id, found.roles);
	return { ok: true, token, expiresAt: session.expiresAt, userId: found.id, locale: found.locale };
}

export type SignInAttempt =
	| { status: 'signed-in'; token: string; expiresAt: Date; userId: number; locale: 'zh-CN' | 'en' | null }
	| { status: 'busy'; retryAfter: number }
	| { status: 'throttled'; retryAfter: number }
	| { status: 'failed' }
	| { status: 'password-off' };

/**
 * One sign-in from the form. Refused at once when this server cannot check passwords in time (busy,
 * before anything is counted); counted against the throttle before the password is checked, so
 * parallel guesses cannot outrun the limit; audited whatever the outcome. A success ends the session
 * the browser had before (`previousSessionId`).
 */
export async function attemptSignIn(
	username: string,
	password: string,
	ip: string | null,
	previousSessionId?: string
): Promise<SignInAttempt> {
	// Password sign-in off: only the break-glass admins get as far as a password check.
	if (!(await passwordAllowed(username))) {
		await audit({
			action: 'auth.login.failure',
			targetType: 'username',
			targetId: username,
			after: { method: 'password', reason: 'password_off' },
			actor: null
		});
		return { status: 'password-off' };
	}
	const admission = admitSignIn();
	if ('retryAfter' in admission) return { status: 'busy', retryAfter: admission.retryAfter };
	let result: SignInResult;
	try {
		const wait = await beginAttempt(username, ip);
		if (wait > 0) {
			await audit({ action: 'auth.login.throttled', targetType: 'username', targetId: username, actor: null });
			return { status: 'throttled', retryAfter: wait };
		}
		result = await signIn(username, password);
		if (!result.ok) {
			await recordAddressFailure(ip);
			await audit({ action: 'auth.login.failure', targetType: 'username', targetId: username, actor: null });
			return { status: 'failed' };
		}
	} finally {
		admission.done();
	}
	await recordSuccess(username);
	if (previousSessionId) await invalidateSession(previousSessionId);
	await audit({ action: 'auth.login.success', targetType: 'user', targetId: result.userId, actor: { id: result.userId, username } });
	return { status: 'signed-in', token: result.token, expiresAt: result.expiresAt, userId: result.userId, locale: result.locale };
}
