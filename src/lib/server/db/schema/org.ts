import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, type AnyPgColumn } from 'drizzle-orm/pg-core';

/**
 * Departments form a tree. `path` is the materialised path of ids (`/1/7/23/`), so a subtree is one
 * indexed prefix scan: `path LIKE '/1/7/%'`.
 */
export const department = pgTable(
	'department',
	{
		id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
		code: text('code').notNull(),
		parentId: integer('parent_id').references((): AnyPgColumn => department.id),
		path: text('path').notNull(),
		depth: integer('depth').notNull().default(0),
		nameZh: text('name_zh').notNull(),
		nameEn: text('name_en').notNull(),
		active: boolean('active').notNull().default(true),
		position: integer('position').notNull().default(0),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		uniqueIndex('department_code_key').on(t.code),
		index('department_path_idx').using('btree', sql`${t.path} text_pattern_ops`),
		index('department_parent_idx').on(t.parentId)
	]
);
export type Department = typeof department.$inferSelect;

/** `reviewer`: a trainer who may publish courses others wrote (authoring). */
export const ROLES = ['learner', 'trainer', 'hr', 'admin', 'reviewer'] as const;
export type Role = (typeof ROLES)[number];

export const user = pgTable(
	'user',
	{
		id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
		/** Employee number (工号). */
		username: text('username').notNull(),
		displayName: text('display_name').notNull(),
		email: text('email'),
		departmentId: integer('department_id')
			.notNull()
			.references(() => department.id),
		roles: text('roles')
			.array()
			.notNull()
			.default(sql`'{learner}'::text[]`),
		/** Root of what an HR user may see; defaults to their own department. */
		hrScopeId: integer('hr_scope_id').references(() => department.id),
		status: text('status', { enum: ['active', 'pending', 'inactive'] })
			.notNull()
			.default('active'),
		passwordHash: text('password_hash'),
		locale: text('locale', { enum: ['zh-CN', 'en'] }),
		/** Set on accounts made by the scale generator, so it can refuse to touch real data. */
		generated: boolean('generated').notNull().default(false),
		/** When the person joined their current department (set by a trigger when department_id changes): relative due dates count from it. */
		departmentJoinedAt: timestamp('department_joined_at', { withTimezone: true }).notNull().defaultNow(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		uniqueIndex('user_username_key').on(t.username),
		index('user_department_idx').on(t.departmentId),
		index('user_display_name_idx').on(t.displayName),
		// Admin search: prefix matches on employee number (any case) and on name, at 100,000 users.
		index('user_username_search_idx').using('btree', sql`lower(${t.username}) text_pattern_ops`),
		index('user_display_name_search_idx').using('btree', sql`${t.displayName} text_pattern_ops`)
	]
);
export type User = typeof user.$inferSelect;

export const session = pgTable(
	'session',
	{
		/** Public half of the token `id.secret`. */
		id: text('id').primaryKey(),
		/** SHA-256 of the secret half, hex; the secret itself never touches the database. */
		secretHash: text('secret_hash').notNull(),
		userId: integer('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		/** After a government sign-in: the provider's ID token, sent back as `id_token_hint` at sign-out. */
		idToken: text('id_token')
	},
	(t) => [index('session_user_idx').on(t.userId)]
);
export type Session = typeof session.$inferSelect;

/**
 * A government sign-in in flight (between /login/oidc and the provider's callback): the browser holds
 * only the id in a short-lived cookie; state, nonce and PKCE verifier stay here, used once, so any app
 * server can finish what another started.
 */
export const oidcLogin = pgTable(
	'oidc_login',
	{
		id: text('id').primaryKey(),
		state: text('state').notNull(),
		nonce: text('nonce').notNull(),
		codeVerifier: text('code_verifier').notNull(),
		redirectTo: text('redirect_to').notNull().default('/'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull()
	},
	(t) => [index('oidc_login_expires_idx').on(t.expiresAt)]
);

/** One-time links where an imported or reset account sets its password. */
export const activationToken = pgTable(
	'activation_token',
	{
		tokenHash: text('token_hash').primaryKey(),
		userId: integer('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		batchId: integer('batch_id'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		usedAt: timestamp('used_at', { withTimezone: true })
	},
	(t) => [index('activation_token_user_idx').on(t.userId), index('activation_token_batch_idx').on(t.batchId)]
);

/**
 * A staff import (web or command). Between preview and apply the parsed rows wait here (not in
 * process memory), so any app server can apply them; cleared once applied.
 */
export const importBatch = pgTable(
	'import_batch',
	{
		id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		createdBy: integer('created_by').references(() => user.id),
		source: text('source', { enum: ['web', 'cli'] }).notNull(),
		fileName: text('file_name').notNull(),
		/** SHA-256 of the uploaded bytes: apply names the batch by id and hash. */
		fileHash: text('file_hash').notNull(),
		fileSize: integer('file_size').notNull(),
		format: text('format', { enum: ['csv', 'xlsx'] }).notNull(),
		encoding: text('encoding'),
		status: text('status', { enum: ['preview', 'applied'] })
			.notNull()
			.default('preview'),
		totalRows: integer('total_rows').notNull().default(0),
		toCreate: integer('to_create').notNull().default(0),
		toUpdate: integer('to_update').notNull().default(0),
		unchanged: integer('unchanged').notNull().default(0),
		errorCount: integer('error_count').notNull().default(0),
		rows: jsonb('rows').$type<unknown[]>(),
		errors: jsonb('errors')
			.$type<unknown[]>()
			.notNull()
			.default(sql`'[]'::jsonb`),
		/** The first few accounts to create and changes to make, for the admin to look over. */
		sample: jsonb('sample').$type<unknown>(),
		appliedAt: timestamp('applied_at', { withTimezone: true }),
		appliedBy: integer('applied_by').references(() => user.id),
		createdCount: integer('created_count'),
		updatedCount: integer('updated_count')
	},
	(t) => [index('import_batch_created_at_idx').on(t.createdAt)]
);
export type ImportBatch = typeof importBatch.$inferSelect;

/** Sign-in throttling, kept in the database so it holds across restarts and app servers. */
export const loginThrottle = pgTable('login_throttle', {
	key: text('key').primaryKey(),
	failures: integer('failures').notNull().default(0),
	blockedUntil: timestamp('blocked_until', { withTimezone: true }),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
});

export const setting = pgTable('setting', {
	key: text('key').primaryKey(),
	value: text('value').notNull(),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
});
