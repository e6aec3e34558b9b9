// The in-app inbox: every message of a person except one-time links, newest first, rendered in the
// reader's language. Works without JavaScript (links and forms).
import { sql } from 'drizzle-orm';
import { db, rows } from '../db';
import { DomainError } from '../errors';
import type { MessageKind } from '../db/schema';
import { mailSettings } from '../mail/config';
import { render, TemplateError, type Locale } from './templates';

export interface InboxItem {
	id: number;
	kind: MessageKind;
	subject: string;
	lines: string[];
	path: string | null;
	action: string;
	createdAt: Date;
	read: boolean;
}

export const INBOX_PAGE = 50;

/** Unread messages: a count read on every page (partial index message_unread_idx). */
export async function unreadCount(userId: number): Promise<number> {
	const [row] = await rows<{ n: number | string }>(
		db,
		sql`select count(*) as n from message where user_id = ${userId} and inbox and read_at is null`
	);
	return Number(row?.n ?? 0);
}

function toItem(
	r: { id: number | string; kind: MessageKind; params: unknown; created_at: Date | string; read_at: Date | string | null },
	locale: Locale
): InboxItem {
	const params = (typeof r.params === 'string' ? JSON.parse(r.params) : r.params) as Record<string, unknown>;
	let rendered: { subject: string; lines: string[]; path: string | null; action: string };
	try {
		rendered = render(r.kind, params, locale, mailSettings().origin);
	} catch (e) {
		if (!(e instanceof TemplateError)) throw e;
		rendered = { subject: r.kind, lines: [], path: null, action: '' };
	}
	return {
		id: Number(r.id),
		kind: r.kind,
		subject: rendered.subject,
		lines: rendered.lines,
		path: rendered.path,
		action: rendered.action,
		createdAt: new Date(r.created_at),
		read: r.read_at !== null
	};
}

export async function inbox(
	userId: number,
	locale: Locale,
	before?: number
): Promise<{ items: InboxItem[]; unread: number; more: boolean }> {
	const found = await rows<{ id: number; kind: MessageKind; params: unknown; created_at: Date; read_at: Date | null }>(
		db,
		sql`select id, kind, params, created_at, read_at from message
		where user_id = ${userId} and inbox ${before ? sql`and id < ${before}` : sql``}
		order by id desc limit ${INBOX_PAGE + 1}`
	);
	return {
		items: found.slice(0, INBOX_PAGE).map((r) => toItem(r, locale)),
		unread: await unreadCount(userId),
		more: found.length > INBOX_PAGE
	};
}

/** One message of the reader's own (anyone else's does not exist), marked read by opening it. */
export async function openMessage(userId: number, id: number, locale: Locale): Promise<InboxItem> {
	const [found] = await rows<{ id: number; kind: MessageKind; params: unknown; created_at: Date; read_at: Date | null }>(
		db,
		sql`update message set read_at = coalesce(read_at, now()) where id = ${id} and user_id = ${userId} and inbox
		returning id, kind, params, created_at, read_at`
	);
	if (!found) throw new DomainError('not-found', 'no-message', `no message ${id}`);
	return toItem(found, locale);
}

export async function markAllRead(userId: number): Promise<void> {
	await db.execute(sql`update message set read_at = now() where user_id = ${userId} and inbox and read_at is null`);
}
