// Sessions as the Lucia guide builds them (lucia-auth.com, "Basic session API"): a token
// `id.secret`, the secret's SHA-256 stored, compared in constant time, with sliding expiry.
import { sha256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { and, eq, lt, ne } from 'drizzle-orm';
import { db, schema, type Executor } from '../db';
import type { Role } from '../db/schema';
import { localeCookie, servedOverHttps } from './cookies';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** HR and admin sessions are short (30 min idle, 8 h in all); everyone else's last a while. */
export function sessionLimits(roles: readonly string[]): { idle: number; absolute: number } {
	return roles.includes('admin') || roles.includes('hr')
		? { idle: 30 * MINUTE, absolute: 8 * HOUR }
		: { idle: 14 * DAY, absolute: 30 * DAY };
}

export interface SessionUser {
	id: number;
	username: string;
	displayName: string;
	roles: Role[];
	departmentId: number;
	hrScopeId: number | null;
	locale: 'zh-CN' | 'en' | null;
}

export interface ValidSession {
	id: string;
	userId: number;
	createdAt: Date;
	expiresAt: Date;
}

function randomString(bytes: number): string {
	return encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(bytes)));
}

function hashSecret(secret: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(secret)));
}

/**
 * Creates a session and returns the token for the cookie (never stored). Password and government
 * sign-in both come here; the latter keeps the provider's ID token for signing out there too.
 */
export async function createSession(userId: number, roles: readonly string[], executor: Executor = db, extra: { idToken?: string } = {}) {
	const id = randomString(15); // 120 bits
	const secret = randomString(20); // 160 bits
	const now = new Date();
	const { idle, absolute } = sessionLimits(roles);
	const expiresAt = new Date(Math.min(now.getTime() + idle, now.getTime() + absolute));
	await executor
		.insert(schema.session)
		.values({ id, userId, secretHash: hashSecret(secret), createdAt: now, lastSeenAt: now, expiresAt, idToken: extra.idToken ?? null });
	return { token: `${id}.${secret}`, session: { id, userId, createdAt: now, expiresAt } satisfies ValidSession };
}

/** Looks the token up; returns null (and deletes the row) when it is unknown, wrong or expired. */
export async function validateSessionToken(token: string): Promise<{ session: ValidSession; user: SessionUser } | null> {
	const [id, secret] = token.split('.');
	if (!id || !secret || id.length > 64 || secret.length > 64) return null;
	const [found] = await db
		.select({ session: schema.session, user: schema.user })
		.from(schema.session)
		.innerJoin(schema.user, eq(schema.user.id, schema.session.userId))
		.where(eq(schema.session.id, id));
	if (!found) return null;
	const given = new TextEncoder().encode(hashSecret(secret));
	const stored = new TextEncoder().encode(found.session.secretHash);
	if (!constantTimeEqual(given, stored)) return null;

	const { session, user } = found;
	const now = Date.now();
	const { idle, absolute } = sessionLimits(user.roles);
	const hardEnd = session.createdAt.getTime() + absolute;
	if (user.status !== 'active' || now >= hardEnd || now >= session.lastSeenAt.getTime() + idle) {
		await db.delete(schema.session).where(eq(schema.session.id, id));
		return null;
	}
	let expiresAt = session.expiresAt;
	// Slide at most once a minute, so a busy page costs one write a minute, not one per request.
	if (now - session.lastSeenAt.getTime() > MINUTE) {
		expiresAt = new Date(Math.min(now + idle, hardEnd));
		await db
			.update(schema.session)
			.set({ lastSeenAt: new Date(now), expiresAt })
			.where(eq(schema.session.id, id));
	}
	return {
		session: { id, userId: user.id, createdAt: session.createdAt, expiresAt },
		user: {
			id: user.id,
			username: user.username,
			displayName: user.displayName,
			roles: user.roles as Role[],
			departmentId: user.departmentId,
			hrScopeId: user.hrScopeId,
			locale: user.locale
		}
	};
}

/** Deletes the session; returns the provider's ID token it held (government sign-in), for signing out there. */
export async function invalidateSession(sessionId: string): Promise<{ idToken: string | null }> {
	const [gone] = await db.delete(schema.session).where(eq(schema.session.id, sessionId)).returning({ idToken: schema.session.idToken });
	return { idToken: gone?.idToken ?? null };
}

/** Ends every session of a user (password change, deactivation), optionally keeping one. */
export async function invalidateUserSessions(userId: number, keepSessionId?: string, executor: Executor = db): Promise<void> {
	const mine = eq(schema.session.userId, userId);
	await executor.delete(schema.session).where(keepSessionId ? and(mine, ne(schema.session.id, keepSessionId)) : mine);
}

export async function deleteExpiredSessions(): Promise<void> {
	await db.delete(schema.session).where(lt(schema.session.expiresAt, new Date()));
}

interface CookieJar {
	set(name: string, value: string, options: { path: string; [key: string]: unknown }): void;
}

/** The cookies a new session gets, whichever way the user signed in: the session, and their saved language. */
export function setSessionCookies(cookies: CookieJar, token: string, expiresAt: Date, locale: 'zh-CN' | 'en' | null): void {
	const { name, options } = sessionCookie();
	cookies.set(name, token, { ...options, expires: expiresAt });
	if (locale) cookies.set(...localeCookie(locale));
}

/** `__Host-` prefix and `secure` whenever the app is served over HTTPS. */
export function sessionCookie() {
	const secure = servedOverHttps();
	return {
		name: secure ? '__Host-govlearn_session' : 'govlearn_session',
		options: { httpOnly: true, secure, sameSite: 'lax' as const, path: '/' }
	};
}
