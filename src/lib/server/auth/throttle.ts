import { and, gt, inArray, sql } from 'drizzle-orm';
import { db, schema } from '../db';

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
	return Math.min(MAX_BLOCK_SECONDS, 30 * 2 ** (failures - free - 1));
}

/** Seconds to wait before another try on any of these keys (0 = go ahead). */
export async function retryAfter(keys: string[]): Promise<number> {
	const now = new Date();
	const blocked = await db
		.select({ until: schema.loginThrottle.blockedUntil })
		.from(schema.loginThrottle)
		.where(and(inArray(schema.loginThrottle.key, keys), gt(schema.loginThrottle.blockedUntil, now)));
	const latest = Math.max(0, ...blocked.map((b) => b.until!.getTime()));
	return latest ? Math.ceil((latest - now.getTime()) / 1000) : 0;
}

/** Counts a failure on each key (in the database, so every app server sees it). */
export async function recordFailure(username: string, ip: string | null): Promise<void> {
	for (const [key, free] of [
		[accountKey(username), ACCOUNT_FREE_FAILURES],
		[ipKey(ip), IP_FREE_FAILURES]
	] as const) {
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
		if (seconds > 0) await db.update(t).set({ blockedUntil: new Date(Date.now() + seconds * 1000) }).where(sql`${t.key} = ${key}`);
	}
}

/** A successful sign-in clears the account's count (the IP's count decays by itself). */
export async function recordSuccess(username: string): Promise<void> {
	await db.delete(schema.loginThrottle).where(inArray(schema.loginThrottle.key, [accountKey(username)]));
}
