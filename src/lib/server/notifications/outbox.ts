// The admin's view of mail (/admin/outbox): every message with its status and error, the body on
// demand, and "send again" for a failed one.
import { sql } from 'drizzle-orm';
import { db, rows } from '../db';
import { audit } from '../audit';
import { DomainError } from '../errors';
import { MAIL_STATUSES, MESSAGE_KINDS, type MailStatus, type MessageKind } from '../db/schema';
import { mailSettings } from '../mail/config';
import { render, TemplateError, type Locale } from './templates';
import { nudge } from './queue';

export interface OutboxRow {
	id: number;
	kind: MessageKind;
	to: string | null;
	username: string;
	locale: Locale;
	status: MailStatus;
	attempts: number;
	error: string | null;
	subject: string;
	text: string;
	createdAt: Date;
	sentAt: Date | null;
	runAfter: Date;
}

export const OUTBOX_PAGE = 50;

export function isStatus(s: string | null): s is MailStatus {
	return s !== null && (MAIL_STATUSES as readonly string[]).includes(s);
}

export function isKind(s: string | null): s is MessageKind {
	return s !== null && (MESSAGE_KINDS as readonly string[]).includes(s);
}

export async function outboxCounts(): Promise<Record<MailStatus, number>> {
	const found = await rows<{ mail_status: MailStatus; n: number | string }>(
		db,
		sql`select mail_status, count(*) as n from message group by mail_status`
	);
	const counts = Object.fromEntries(MAIL_STATUSES.map((s) => [s, 0])) as Record<MailStatus, number>;
	for (const r of found) counts[r.mail_status] = Number(r.n);
	return counts;
}

/** A page of messages (newest first), all or of one status; bodies rendered in the recipient's language. */
export async function outbox(
	options: { status?: MailStatus; kind?: MessageKind; before?: number } = {}
): Promise<{ rows: OutboxRow[]; more: boolean }> {
	const origin = mailSettings().origin;
	const found = await rows<{
		id: number | string;
		kind: MessageKind;
		params: unknown;
		to_address: string | null;
		username: string;
		display_name: string;
		locale: Locale;
		mail_status: MailStatus;
		attempts: number;
		last_error: string | null;
		subject: string | null;
		created_at: Date | string;
		sent_at: Date | string | null;
		run_after: Date | string;
	}>(
		db,
		sql`select m.id, m.kind, m.params, m.to_address, u.username, u.display_name, m.locale, m.mail_status, m.attempts, m.last_error,
			m.subject, m.created_at, m.sent_at, m.run_after
		from message m join "user" u on u.id = m.user_id
		where m.mail_status <> 'none' ${options.status ? sql`and m.mail_status = ${options.status}` : sql``}
			${options.kind ? sql`and m.kind = ${options.kind}` : sql``}
			${options.before ? sql`and m.id < ${options.before}` : sql``}
		order by m.id desc limit ${OUTBOX_PAGE + 1}`
	);
	return {
		more: found.length > OUTBOX_PAGE,
		rows: found.slice(0, OUTBOX_PAGE).map((r) => {
			const params = (typeof r.params === 'string' ? JSON.parse(r.params) : r.params) as Record<string, unknown>;
			let subject = r.subject ?? '';
			let text: string;
			try {
				const rendered = render(r.kind, params, r.locale, origin, r.display_name);
				subject ||= rendered.subject;
				text = rendered.text;
			} catch (e) {
				if (!(e instanceof TemplateError)) throw e;
				text = String(e.message);
			}
			return {
				id: Number(r.id),
				kind: r.kind,
				to: r.to_address,
				username: r.username,
				locale: r.locale,
				status: r.mail_status,
				attempts: r.attempts,
				error: r.last_error,
				subject,
				text,
				createdAt: new Date(r.created_at),
				sentAt: r.sent_at ? new Date(r.sent_at) : null,
				runAfter: new Date(r.run_after)
			};
		})
	};
}

/** Puts a failed message back in the queue, its tries counted afresh. Audited. */
export async function sendAgain(id: number, actor: { id: number; username: string }): Promise<void> {
	if (!mailSettings().smtpUrl) throw new DomainError('conflict', 'no-smtp', 'no SMTP server is set');
	const done = await db.transaction(async (tx) => {
		const found = await rows<{ id: number }>(
			tx,
			sql`update message set mail_status = 'queued', attempts = 0, run_after = now(), locked_until = null
			where id = ${id} and mail_status = 'failed' returning id`
		);
		if (found.length) await audit({ action: 'mail.resend', targetType: 'message', targetId: id, actor }, tx);
		return found.length > 0;
	});
	if (!done) throw new DomainError('conflict', 'not-failed', `message ${id} has not failed`);
	nudge();
}
