// Putting messages in: one row per person in `message`, which is both the inbox entry and the mail
// job. Set-based (INSERT … SELECT), so 100,000 reminders are one statement; `dedupe_key` makes a
// scheduled message idempotent (two app servers scanning at once insert it once).
import { sql, type SQL } from 'drizzle-orm';
import { db, rows, type Executor } from '../db';
import type { MessageKind } from '../db/schema';
import { mailSettings } from '../mail/config';
import { SECRET_KINDS } from './templates';

/** Listeners woken when mail is queued (the local worker, so a reset mail leaves at once). */
const listeners = new Set<() => void>();
export function onQueued(fn: () => void): () => void {
	listeners.add(fn);
	return () => listeners.delete(fn);
}
export function nudge(): void {
	for (const fn of listeners) fn();
}

/**
 * Inserts one message of `kind` for each row of `recipients` (a query yielding `user_id`, `params`
 * (jsonb) and `dedupe_key` (text or null)). The address, language and mail status are fixed here:
 * no address or a kind the person turned off → inbox only; no SMTP_URL → kept in the outbox; else queued.
 * Returns how many were inserted (a dedupe key seen before inserts nothing).
 */
export async function queueMessages(executor: Executor, kind: MessageKind, recipients: SQL): Promise<number> {
	const queued = mailSettings().smtpUrl ? 'queued' : 'outbox';
	const inbox = !SECRET_KINDS.includes(kind);
	const [row] = await rows<{ n: number | string }>(
		executor,
		sql`with r as (${recipients}),
		ins as (
			insert into message (user_id, kind, params, inbox, dedupe_key, priority, to_address, locale, mail_status)
			select u.id, ${kind}, r.params, ${inbox}, r.dedupe_key, ${inbox ? 0 : 10}, nullif(trim(u.email), ''), coalesce(u.locale, 'zh-CN'),
				case
					when nullif(trim(u.email), '') is null then 'none'
					when exists (select 1 from message_opt_out o where o.user_id = u.id and o.kind = ${kind}) then 'none'
					else ${queued}
				end
			from r join "user" u on u.id = r.user_id
			where u.status <> 'inactive' or ${kind} = 'activation'
			on conflict (dedupe_key) do nothing
			returning mail_status
		)
		select count(*) filter (where mail_status = 'queued') as n from ins`
	);
	const n = Number(row?.n ?? 0);
	if (n > 0) nudge();
	return n;
}

/** One message to one person. */
export async function queueMessage(
	kind: MessageKind,
	userId: number,
	params: Record<string, unknown>,
	options: { dedupeKey?: string; executor?: Executor } = {}
): Promise<void> {
	await queueMessages(
		options.executor ?? db,
		kind,
		sql`select ${userId}::int as user_id, ${JSON.stringify(params)}::jsonb as params, ${options.dedupeKey ?? null}::text as dedupe_key`
	);
}
