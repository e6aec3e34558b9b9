import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { user } from './org';

export const MESSAGE_KINDS = [
	'activation',
	'password_reset',
	'assignment_new',
	'reminder_due',
	'reminder_overdue',
	'hr_digest',
	'certificate'
] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

/**
 * Where a message's mail is: `none` (no address, or the person turned this kind off: inbox only),
 * `outbox` (no SMTP_URL: kept for the admin at /admin/outbox), `queued` (waiting for a worker, from
 * `run_after`), `sending` (claimed by a worker until `locked_until`), `sent`, `failed` (given up; the
 * admin can send it again).
 */
export const MAIL_STATUSES = ['none', 'outbox', 'queued', 'sending', 'sent', 'failed'] as const;
export type MailStatus = (typeof MAIL_STATUSES)[number];

/**
 * One message to one person: the inbox entry and the mail job in one row. Only the kind and its
 * parameters are stored; subject and body are rendered from Paraglide messages in the recipient's
 * language when the mail is sent (and in the reader's language in the inbox). `dedupe_key` makes
 * scheduled messages (reminders, digests) idempotent: two app servers scanning at once insert one.
 */
export const message = pgTable(
	'message',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		userId: integer('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		kind: text('kind', { enum: MESSAGE_KINDS }).notNull(),
		params: jsonb('params')
			.$type<Record<string, unknown>>()
			.notNull()
			.default(sql`'{}'::jsonb`),
		/** Shown in the in-app inbox (not for activation and reset links). */
		inbox: boolean('inbox').notNull().default(true),
		readAt: timestamp('read_at', { withTimezone: true }),
		dedupeKey: text('dedupe_key'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		/** The address and language the mail goes to, fixed when it is queued. */
		toAddress: text('to_address'),
		locale: text('locale', { enum: ['zh-CN', 'en'] })
			.notNull()
			.default('zh-CN'),
		mailStatus: text('mail_status', { enum: MAIL_STATUSES }).notNull().default('none'),
		/** Taken first when higher: one-time links (a person is waiting) go ahead of a bulk of reminders. */
		priority: integer('priority').notNull().default(0),
		attempts: integer('attempts').notNull().default(0),
		runAfter: timestamp('run_after', { withTimezone: true }).notNull().defaultNow(),
		lockedUntil: timestamp('locked_until', { withTimezone: true }),
		lastError: text('last_error'),
		/** The subject as rendered when the mail went out (or was kept in the outbox). */
		subject: text('subject'),
		sentAt: timestamp('sent_at', { withTimezone: true })
	},
	(t) => [
		uniqueIndex('message_dedupe_key').on(t.dedupeKey),
		index('message_user_idx').on(t.userId, t.createdAt),
		index('message_unread_idx')
			.on(t.userId)
			.where(sql`${t.inbox} and ${t.readAt} is null`),
		index('message_mail_queue_idx')
			.on(t.priority.desc(), t.runAfter, t.id)
			.where(sql`${t.mailStatus} in ('queued', 'sending')`),
		index('message_mail_status_idx').on(t.mailStatus, t.createdAt)
	]
);
export type Message = typeof message.$inferSelect;

/** A kind of optional message a person turned off (mail only; the inbox keeps it). */
export const messageOptOut = pgTable(
	'message_opt_out',
	{
		userId: integer('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		kind: text('kind', { enum: MESSAGE_KINDS }).notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.userId, t.kind] })]
);

/** "Forgot password": one-time links, valid one hour, only the SHA-256 of the token stored. */
export const passwordReset = pgTable(
	'password_reset',
	{
		tokenHash: text('token_hash').primaryKey(),
		userId: integer('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		usedAt: timestamp('used_at', { withTimezone: true })
	},
	(t) => [index('password_reset_user_idx').on(t.userId)]
);

/**
 * Recurring background work (reminder scan, weekly digest): a worker claims a job by moving its
 * `run_after` forward in one UPDATE, so with several app servers each run happens once.
 */
export const job = pgTable('job', {
	name: text('name').primaryKey(),
	runAfter: timestamp('run_after', { withTimezone: true }).notNull().defaultNow(),
	lastRunAt: timestamp('last_run_at', { withTimezone: true }),
	lastError: text('last_error'),
	runs: integer('runs').notNull().default(0)
});

/** A learner's private calendar feed: /calendar/[token]. A new token replaces the old one. */
export const calendarFeed = pgTable(
	'calendar_feed',
	{
		userId: integer('user_id')
			.primaryKey()
			.references(() => user.id, { onDelete: 'cascade' }),
		token: text('token').notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [uniqueIndex('calendar_feed_token_key').on(t.token)]
);
