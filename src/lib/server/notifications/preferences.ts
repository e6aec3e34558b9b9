// Which optional messages a person gets by mail (/account). The inbox keeps every message either way.
import { sql } from 'drizzle-orm';
import { db, rows } from '../db';
import { audit } from '../audit';
import { OPTIONAL_KINDS, type OptionalKind } from './templates';

export async function mailPreferences(userId: number): Promise<{ kinds: { kind: OptionalKind; on: boolean }[]; hasAddress: boolean }> {
	const off = await rows<{ kind: string }>(db, sql`select kind from message_opt_out where user_id = ${userId}`);
	const [u] = await rows<{ email: string | null }>(db, sql`select email from "user" where id = ${userId}`);
	const offSet = new Set(off.map((o) => o.kind));
	return { kinds: OPTIONAL_KINDS.map((kind) => ({ kind, on: !offSet.has(kind) })), hasAddress: Boolean(u?.email?.trim()) };
}

/** Sets the optional kinds the person wants by mail (every other optional kind is turned off). Audited. */
export async function setMailPreferences(user: { id: number; username: string }, wanted: readonly string[]): Promise<void> {
	const off = OPTIONAL_KINDS.filter((k) => !wanted.includes(k));
	await db.transaction(async (tx) => {
		await tx.execute(sql`delete from message_opt_out where user_id = ${user.id}`);
		if (off.length)
			await tx.execute(
				sql`insert into message_opt_out (user_id, kind) select ${user.id}, value from jsonb_array_elements_text(${JSON.stringify(off)}::jsonb)`
			);
		await audit({ action: 'user.mail_preferences', targetType: 'user', targetId: user.id, after: { off }, actor: user }, tx);
	});
}
