import { and, eq, gt, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import { db, schema } from '../db';
import { deleteExpiredSessions } from './session';

/** Failures before the back-off starts, and its ceiling (an attacker cannot lock anyone out longer). */
export const ACCOUNT_FREE_FAILURES = 4;
export const IP_FREE_FAILURES = 50;
export const MAX_BLOCK_SECONDS = 300;
const FORGET_AFTER_MINUTES = 15;

export function accountKey(username: string): string {
	return `user:${username.trim().toLowerCase().slice(0, 128)}`;
}
export function ipKey(ip: string | null): string {
	return `ip:${ip ?? 'unknown'}`;
}

/** Seconds blocked after the n-th failure in a row: 30 s, 60 s, 120 s … up to 5 minutes. */
export function backoffSeconds(failures: number, free: number): number {
	if (failures <= free) return 0;
	return Math.min(MAX_BLOCK_SECONDS, 30 * 2 ** Math.min(failures - free - 1, 10));
}

/** Seconds to wait before another try on any of these keys (0 = go ahead). Read-only. */
export async function retryAfter(keys: string[]): Promise<number> {
	const now = new Date();
	const blocked = await db
		.select({ until: schema.loginThrottle.blockedUntil })
		.from(schema.loginThrottle)
		.where(and(inArray(schema.loginThrottle.key, keys), gt(schema.loginThrottle.blockedUntil, now)));
	const latest = Math.max(0, ...blocked.map((b) => b.until!.getTime()));
	return latest ? Math.ceil((latest - now.getTime()) / 1000) : 0;
}

/**
 * Admits one sign-in attempt or says how long to wait (0 = admitted). The attempt counts against the
 * account before the password is checked, under a row lock, so a burst of parallel guesses cannot slip
 * past the limit between "check" and "count": the next one waits for the lock and sees the block. A
 * success clears the count (recordSuccess). The address only counts failures (recordAddressFailure):
 * two hundred colleagues behind one office address may all sign in at nine.
 */
export async function beginAttempt(username: string, ip: string | null, now = new Date()): Promise<number> {
	const account = accountKey(username);
	const t = schema.loginThrottle;
	if (Math.random() < 0.02) await sweep(now).catch(() => {});
	return db.transaction(async (tx) => {
		await tx.insert(t).values({ key: account, failures: 0, updatedAt: now }).onConflictDoNothing();
		const [row] = await tx.select().from(t).where(eq(t.key, account)).for('update');
		const [address] = await tx
			.select({ blockedUntil: t.blockedUntil })
			.from(t)
			.where(eq(t.key, ipKey(ip)));
		const blockedUntil = Math.max(row.blockedUntil?.getTime() ?? 0, address?.blockedUntil?.getTime() ?? 0);
		if (blockedUntil > now.getTime()) return Math.ceil((blockedUntil - now.getTime()) / 1000);
		const stale = row.updatedAt.getTime() < now.getTime() - FORGET_AFTER_MINUTES * 60_000;
		const failures = (stale ? 0 : row.failures) + 1;
		const seconds = backoffSeconds(failures, ACCOUNT_FREE_FAILURES);
		await tx
			.update(t)
			.set({ failures, blockedUntil: seconds ? new Date(now.getTime() + seconds * 1000) : null, updatedAt: now })
			.where(eq(t.key, account));
		return 0;
	});
}

/** A failed attempt also counts against the address it came from. */
export async function recordAddressFailure(ip: string | null): Promise<void> {
	await countFailure(ipKey(ip), IP_FREE_FAILURES);
}

async function countFailure(key: string, free: number): Promise<void> {
	const t = schema.loginThrottle;
	const [row] = await db
		.insert(t)
		.values({ key, failures: 1, updatedAt: new Date() })
		.onConflictDoUpdate({
			target: t.key,
			set: {
				failures: sql`case when ${t.updatedAt} < now() - make_interval(mins => ${FORGET_AFTER_MINUTES}) then 1 else ${t.failures} + 1 end`,
				updatedAt: sql`now()`
			}
		})
		.returning({ failures: t.failures });
	const seconds = backoffSeconds(row.failures, free);
	if (seconds > 0)
		await db
			.update(t)
			.set({ blockedUntil: new Date(Date.now() + seconds * 1000) })
			.where(eq(t.key, key));
}

/** Counts a failure on the account and the address outside an attempt (tests, tools). */
export async function recordFailure(username: string, ip: string | null): Promise<void> {
	await countFailure(accountKey(username), ACCOUNT_FREE_FAILURES);
	await countFailure(ipKey(ip), IP_FREE_FAILURES);
}

/** A successful sign-in clears the account's count (the address's count decays by itself). */
export async function recordSuccess(username: string): Promise<void> {
	await db.delete(schema.loginThrottle).where(eq(schema.loginThrottle.key, accountKey(username)));
}

/** Forgets counts nobody needs any more (random usernames of a spraying attack) and dead sessions. */
export async function sweep(now = new Date()): Promise<void> {
	const t = schema.loginThrottle;
	const forgotten = new Date(now.getTime() - FORGET_AFTER_MINUTES * 60_000);
	await db.delete(t).where(and(lt(t.updatedAt, forgotten), or(isNull(t.blockedUntil), lt(t.blockedUntil, now))));
	await deleteExpiredSessions();
}

/** "Forgot password" requests: each one counts (each can send a mail), per username and per address. */
export const RESET_FREE_REQUESTS = 2;
export const RESET_IP_FREE_REQUESTS = 19;

/**
 * Admits a password-reset request or says how long to wait (0 = admitted), with the sign-in throttle's
 * table and back-off: after the third request for a username, 30 s, then 60 s … up to 5 minutes; after
 * twenty from one address, the same. Keyed by the username as typed, so an unknown username is throttled exactly like a real one.
 */
export async function beginResetRequest(username: string, ip: string | null): Promise<number> {
	const keys = [`reset:${username.trim().toLowerCase().slice(0, 128)}`, `reset-ip:${ip ?? 'unknown'}`];
	const wait = await retryAfter(keys);
	if (wait > 0) return wait;
	await countFailure(keys[0], RESET_FREE_REQUESTS);
	await countFailure(keys[1], RESET_IP_FREE_REQUESTS);
	return 0;
}
