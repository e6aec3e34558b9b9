import { bigint, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Append-only: the app inserts and reads, never updates or deletes. */
export const auditLog = pgTable(
	'audit_log',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
		actorId: integer('actor_id'),
		actorUsername: text('actor_username'),
		action: text('action').notNull(),
		targetType: text('target_type'),
		targetId: text('target_id'),
		before: jsonb('before'),
		after: jsonb('after'),
		ip: text('ip'),
		requestId: text('request_id')
	},
	(t) => [index('audit_log_at_idx').on(t.at), index('audit_log_action_idx').on(t.action), index('audit_log_actor_idx').on(t.actorId)]
);
export type AuditEntry = typeof auditLog.$inferSelect;
