import { eq } from 'drizzle-orm';
import { db, schema } from '../db';
import { dummyHash, verifyPassword } from './password';
import { createSession } from './session';

export type SignInResult =
	| { ok: true; token: string; expiresAt: Date; userId: number; locale: 'zh-CN' | 'en' | null }
	| { ok: false; userId?: number };

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
