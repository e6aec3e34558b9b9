// Accounts: search, create (with an activation link, never a password), edit, roles and HR scope,
// deactivate (sessions end at once; learning records stay), reactivate, reset.
import { eq } from 'drizzle-orm';
import { audit } from '../audit';
import { invalidateUserSessions } from '../auth/session';
import { db, rows, schema, sql, type Executor } from '../db';
import { ROLES, type Role, type User } from '../db/schema';
import { AdminError } from './errors';
import { dropUnusedTokens, issueToken, pendingLinkExpiry } from './tokens';
import { notifyActivation } from '../notifications/events';

export const PAGE_SIZE = 50;
export type Status = User['status'];

export interface UserFilters {
	q?: string;
	departmentId?: number;
	/** Include the department's whole subtree. */
	subtree?: boolean;
	status?: Status;
	role?: Role;
	page?: number;
}

export interface UserRow {
	id: number;
	username: string;
	displayName: string;
	email: string | null;
	status: Status;
	roles: Role[];
	departmentId: number;
	departmentCode: string;
	departmentZh: string;
	departmentEn: string;
}

const likePrefix = (q: string) => q.replace(/[\\%_]/g, (c) => `\\${c}`) + '%';

/**
 * One page of accounts, by employee number (any case) or name prefix, optionally within a department
 * (subtree), status or role. Prefix matches use the text_pattern_ops indexes; 50 a page.
 */
export async function search(filters: UserFilters): Promise<{ rows: UserRow[]; total: number; page: number; pageCount: number }> {
	const where = [sql`true`];
	const q = filters.q?.trim();
	if (q) where.push(sql`(lower(u.username) like ${likePrefix(q.toLowerCase())} or u.display_name like ${likePrefix(q)})`);
	if (filters.departmentId) {
		where.push(
			filters.subtree
				? sql`u.department_id in (select s.id from department s, department d where d.id = ${filters.departmentId} and s.path like d.path || '%')`
				: sql`u.department_id = ${filters.departmentId}`
		);
	}
	if (filters.status) where.push(sql`u.status = ${filters.status}`);
	if (filters.role) where.push(sql`${filters.role} = any(u.roles)`);
	const condition = sql.join(where, sql` and `);
	const [{ total }] = await rows<{ total: number }>(db, sql`select count(*)::int as total from "user" u where ${condition}`);
	const pageCount = Math.max(1, Math.ceil(total / PAGE_SIZE));
	const page = Math.min(Math.max(1, filters.page ?? 1), pageCount);
	const list = await rows<UserRow>(
		db,
		sql`select u.id, u.username, u.display_name as "displayName", u.email, u.status, u.roles, u.department_id as "departmentId",
		           d.code as "departmentCode", d.name_zh as "departmentZh", d.name_en as "departmentEn"
		      from "user" u join department d on d.id = u.department_id
		     where ${condition}
		     order by u.username
		     limit ${PAGE_SIZE} offset ${(page - 1) * PAGE_SIZE}`
	);
	return { rows: list, total, page, pageCount };
}

export interface UserDetail extends Omit<User, 'passwordHash'> {
	hasPassword: boolean;
	department: { id: number; code: string; nameZh: string; nameEn: string; active: boolean };
	hrScope: { id: number; code: string; nameZh: string; nameEn: string } | null;
	linkExpiresAt: Date | null;
	completions: number;
	history: { id: number; at: Date; action: string; actorUsername: string | null; before: unknown; after: unknown }[];
}

/** One account with its department, HR scope, link state, learning count and recent audit entries. */
export async function get(id: number): Promise<UserDetail | null> {
	const [u] = await db.select().from(schema.user).where(eq(schema.user.id, id));
	if (!u) return null;
	const dept = (deptId: number) =>
		db
			.select({
				id: schema.department.id,
				code: schema.department.code,
				nameZh: schema.department.nameZh,
				nameEn: schema.department.nameEn,
				active: schema.department.active
			})
			.from(schema.department)
			.where(eq(schema.department.id, deptId));
	const [[department], scope, linkExpiresAt, [{ completions }], history] = await Promise.all([
		dept(u.departmentId),
		u.hrScopeId === null ? Promise.resolve([]) : dept(u.hrScopeId),
		pendingLinkExpiry(db, id),
		rows<{ completions: number }>(db, sql`select count(*)::int as completions from completion where user_id = ${id}`),
		rows<UserDetail['history'][number]>(
			db,
			sql`select id, at, action, actor_username as "actorUsername", before, after from audit_log
			     where target_type = 'user' and target_id = ${String(id)} order by id desc limit 20`
		)
	]);
	const { passwordHash, ...rest } = u;
	return {
		...rest,
		hasPassword: passwordHash !== null,
		department,
		hrScope: scope[0] ? { id: scope[0].id, code: scope[0].code, nameZh: scope[0].nameZh, nameEn: scope[0].nameEn } : null,
		linkExpiresAt,
		completions,
		history: history.map((h) => ({ ...h, at: new Date(h.at) }))
	};
}

async function load(tx: Executor, id: number): Promise<User> {
	const [u] = await tx.select().from(schema.user).where(eq(schema.user.id, id)).for('update');
	if (!u) throw new AdminError('not_found');
	return u;
}

async function activeDepartment(tx: Executor, id: number): Promise<void> {
	const [d] = await tx.select({ active: schema.department.active }).from(schema.department).where(eq(schema.department.id, id));
	if (!d || !d.active) throw new AdminError('bad_target');
}

function isUniqueViolation(e: unknown): boolean {
	for (let x = e, i = 0; x && i < 4; x = (x as { cause?: unknown }).cause, i++) if ((x as { code?: string }).code === '23505') return true;
	return false;
}

const canonicalRoles = (roles: readonly Role[]): Role[] => ROLES.filter((r) => r === 'learner' || roles.includes(r));

/**
 * A new account, waiting for its owner: no password, status pending, and a one-time activation link
 * (14 days). Returns the raw token, which exists only in this response.
 */
export async function create(input: {
	username: string;
	displayName: string;
	email: string | null;
	departmentId: number;
	roles: Role[];
}): Promise<{ id: number; token: string; expiresAt: Date }> {
	try {
		return await db.transaction(async (tx) => {
			await activeDepartment(tx, input.departmentId);
			const [u] = await tx
				.insert(schema.user)
				.values({
					username: input.username,
					displayName: input.displayName,
					email: input.email,
					departmentId: input.departmentId,
					roles: canonicalRoles(input.roles),
					status: 'pending'
				})
				.returning();
			const link = await issueToken(tx, u.id);
			await notifyActivation(tx, new Map([[u.id, link.token]]), link.expiresAt);
			await audit(
				{
					action: 'user.create',
					targetType: 'user',
					targetId: u.id,
					after: {
						username: u.username,
						name: u.displayName,
						email: u.email,
						departmentId: u.departmentId,
						roles: u.roles,
						status: u.status
					}
				},
				tx
			);
			return { id: u.id, ...link };
		});
	} catch (e) {
		if (isUniqueViolation(e)) throw new AdminError('username_taken');
		throw e;
	}
}

/** Name, email and department. */
export async function updateProfile(id: number, input: { displayName: string; email: string | null; departmentId: number }): Promise<void> {
	await db.transaction(async (tx) => {
		const u = await load(tx, id);
		const before: Record<string, unknown> = {};
		const after: Record<string, unknown> = {};
		if (u.displayName !== input.displayName) [before.name, after.name] = [u.displayName, input.displayName];
		if (u.email !== input.email) [before.email, after.email] = [u.email, input.email];
		if (u.departmentId !== input.departmentId) {
			await activeDepartment(tx, input.departmentId);
			[before.departmentId, after.departmentId] = [u.departmentId, input.departmentId];
		}
		if (!Object.keys(after).length) return;
		await tx
			.update(schema.user)
			.set({ displayName: input.displayName, email: input.email, departmentId: input.departmentId, updatedAt: new Date() })
			.where(eq(schema.user.id, id));
		await audit({ action: 'user.update', targetType: 'user', targetId: id, before, after }, tx);
	});
}

/**
 * Grants and removes roles, and sets the HR scope (the department subtree an HR user sees; null: their
 * own department). An admin cannot take the admin role from themselves. Changed roles end the
 * person's sessions, so the new rights (and session limits) apply at once.
 */
export async function setRoles(id: number, input: { roles: Role[]; hrScopeId: number | null }, actorId: number): Promise<void> {
	await db.transaction(async (tx) => {
		const u = await load(tx, id);
		const roles = canonicalRoles(input.roles);
		if (id === actorId && u.roles.includes('admin') && !roles.includes('admin')) throw new AdminError('self');
		const hrScopeId = roles.includes('hr') ? input.hrScopeId : null;
		if (hrScopeId !== null) {
			const [d] = await tx.select({ id: schema.department.id }).from(schema.department).where(eq(schema.department.id, hrScopeId));
			if (!d) throw new AdminError('bad_target');
		}
		const sameRoles = [...roles].sort().join() === [...u.roles].sort().join();
		if (sameRoles && hrScopeId === u.hrScopeId) return;
		await tx.update(schema.user).set({ roles, hrScopeId, updatedAt: new Date() }).where(eq(schema.user.id, id));
		if (!sameRoles && id !== actorId) await invalidateUserSessions(id, undefined, tx);
		await audit(
			{
				action: 'user.roles',
				targetType: 'user',
				targetId: id,
				before: { roles: u.roles, hrScopeId: u.hrScopeId },
				after: { roles, hrScopeId }
			},
			tx
		);
	});
}

/** Deactivates an account: every session ends at once, unused links stop working; learning records stay. */
export async function deactivate(id: number, actorId: number): Promise<void> {
	if (id === actorId) throw new AdminError('self');
	await db.transaction(async (tx) => {
		const u = await load(tx, id);
		if (u.status === 'inactive') return;
		await tx.update(schema.user).set({ status: 'inactive', updatedAt: new Date() }).where(eq(schema.user.id, id));
		await invalidateUserSessions(id, undefined, tx);
		await dropUnusedTokens(tx, [id]);
		await audit(
			{ action: 'user.deactivate', targetType: 'user', targetId: id, before: { status: u.status }, after: { status: 'inactive' } },
			tx
		);
	});
}

/**
 * Reactivates an account: active again if it has a password, otherwise pending with a fresh link
 * (returned, raw, once).
 */
export async function reactivate(id: number): Promise<{ token: string; expiresAt: Date } | null> {
	return db.transaction(async (tx) => {
		const u = await load(tx, id);
		if (u.status !== 'inactive') return null;
		const status = u.passwordHash ? 'active' : 'pending';
		await tx.update(schema.user).set({ status, updatedAt: new Date() }).where(eq(schema.user.id, id));
		const link = status === 'pending' ? await issueToken(tx, id) : null;
		if (link) await notifyActivation(tx, new Map([[id, link.token]]), link.expiresAt);
		await audit({ action: 'user.reactivate', targetType: 'user', targetId: id, before: { status: 'inactive' }, after: { status } }, tx);
		return link;
	});
}

/**
 * Reset: the password stops working, every session ends, older links are dropped, and a new
 * one-time link (14 days) is returned, raw, once. The admin never sets or sees a password.
 */
export async function resetActivation(id: number, actorId: number): Promise<{ token: string; expiresAt: Date }> {
	if (id === actorId) throw new AdminError('self');
	return db.transaction(async (tx) => {
		const u = await load(tx, id);
		if (u.status === 'inactive') throw new AdminError('bad_target');
		await tx.update(schema.user).set({ status: 'pending', passwordHash: null, updatedAt: new Date() }).where(eq(schema.user.id, id));
		await invalidateUserSessions(id, undefined, tx);
		const link = await issueToken(tx, id);
		await notifyActivation(tx, new Map([[id, link.token]]), link.expiresAt);
		await audit(
			{
				action: 'user.reset',
				targetType: 'user',
				targetId: id,
				before: { status: u.status, hasPassword: u.passwordHash !== null },
				after: { status: 'pending', hasPassword: false, linkExpiresAt: link.expiresAt.toISOString() }
			},
			tx
		);
		return link;
	});
}

/** Head counts by status, for the admin overview. */
export async function counts(): Promise<Record<Status, number>> {
	const list = await rows<{ status: Status; n: number }>(db, sql`select status, count(*)::int as n from "user" group by status`);
	const out: Record<Status, number> = { active: 0, pending: 0, inactive: 0 };
	for (const r of list) out[r.status] = r.n;
	return out;
}
