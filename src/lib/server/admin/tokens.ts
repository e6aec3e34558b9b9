// One-time activation links, the way session.ts makes session tokens: random bytes, base32 text,
// only the SHA-256 (hex) stored. The raw token exists once, in the response that hands it out.
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { createHash, randomBytes } from 'node:crypto';
import { and, inArray, isNull } from 'drizzle-orm';
import { rows, schema, sql, type Executor } from '../db';

export const ACTIVATION_DAYS = 14;
const DAY = 24 * 60 * 60 * 1000;
const TOKEN_SHAPE = /^[a-z2-7]{32}$/;

export function newToken(): string {
	return encodeBase32LowerCaseNoPadding(randomBytes(20)); // 160 bits, 32 characters
}

export function hashToken(token: string): string {
	return createHash('sha256').update(token).digest('hex');
}

/** Cheap shape check before any lookup, so junk in the URL never reaches the database. */
export function plausibleToken(token: string): boolean {
	return TOKEN_SHAPE.test(token);
}

/** The one-time link as the user receives it (admin page, links CSV, import command); never stored. */
export function activationLink(origin: string, token: string): string {
	return `${origin.replace(/\/$/, '')}/activate/${token}`;
}

export function activationExpiry(now = new Date()): Date {
	return new Date(now.getTime() + ACTIVATION_DAYS * DAY);
}

/** Removes a user's unused links (a reset, a deactivation, a re-export): old links stop working. */
export async function dropUnusedTokens(executor: Executor, userIds: number[]): Promise<void> {
	if (!userIds.length) return;
	await executor
		.delete(schema.activationToken)
		.where(and(inArray(schema.activationToken.userId, userIds), isNull(schema.activationToken.usedAt)));
}

/** A fresh link for one user (older unused links dropped). Returns the raw token. */
export async function issueToken(
	executor: Executor,
	userId: number,
	batchId: number | null = null
): Promise<{ token: string; expiresAt: Date }> {
	await dropUnusedTokens(executor, [userId]);
	const token = newToken();
	const expiresAt = activationExpiry();
	await executor.insert(schema.activationToken).values({ tokenHash: hashToken(token), userId, batchId, expiresAt });
	return { token, expiresAt };
}

/** Fresh links for many users at once, in batched multi-row inserts. Returns user id → raw token. */
export async function issueTokens(executor: Executor, userIds: number[], batchId: number | null): Promise<Map<number, string>> {
	const tokens = new Map<number, string>();
	if (!userIds.length) return tokens;
	const expiresAt = activationExpiry().toISOString();
	for (let i = 0; i < userIds.length; i += 5000) {
		const chunk = userIds.slice(i, i + 5000);
		await executor.execute(
			sql`delete from activation_token where used_at is null and user_id in (select value::int from jsonb_array_elements_text(${JSON.stringify(chunk)}::jsonb))`
		);
		const values = chunk.map((userId) => {
			const token = newToken();
			tokens.set(userId, token);
			return { h: hashToken(token), u: userId };
		});
		await executor.execute(sql`
			insert into activation_token (token_hash, user_id, batch_id, expires_at)
			select r.h, r.u, ${batchId}, ${expiresAt}::timestamptz from jsonb_to_recordset(${JSON.stringify(values)}::jsonb) as r(h text, u int)`);
	}
	return tokens;
}

/** When the user's newest unused link expires (null: none that works). */
export async function pendingLinkExpiry(executor: Executor, userId: number): Promise<Date | null> {
	const [row] = await rows<{ expiresAt: Date | string | null }>(
		executor,
		sql`select max(expires_at) as "expiresAt" from activation_token where user_id = ${userId} and used_at is null and expires_at > now()`
	);
	return row?.expiresAt ? new Date(row.expiresAt) : null;
}
