// Turns raw rows into a plan: which accounts to create, which to update, which are unchanged, and
// every error with its row, column and value. Reads the database with a fixed number of queries.
import { z } from 'zod';
import { rows as queryRows, sql, type Executor } from '../../db';
import { ROLES, type Role } from '../../db/schema';
import type { ImportField, RawRow } from './parse';

export type RowErrorKind =
	| 'missing'
	| 'duplicate'
	| 'bad_email'
	| 'unknown_department'
	| 'inactive_department'
	| 'unknown_role'
	| 'bad_username'
	| 'too_long'
	| 'bad_status'
	| 'own_admin'
	| 'last_admin';

export interface RowError {
	row: number;
	column: ImportField;
	value: string;
	kind: RowErrorKind;
	/** For duplicates: the row where the username first appears. */
	firstRow?: number;
}

export type AccountStatus = 'active' | 'pending' | 'inactive';

export interface UserValues {
	name: string;
	email: string | null;
	departmentId: number;
	roles: Role[];
	status: AccountStatus;
}

export interface PlannedCreate extends Omit<UserValues, 'status'> {
	row: number;
	username: string;
}

export interface PlannedUpdate extends UserValues {
	row: number;
	id: number;
	username: string;
	/** Only the fields that change, as they were. */
	before: Partial<UserValues>;
	after: Partial<UserValues>;
}

export interface ImportPlan {
	total: number;
	creates: PlannedCreate[];
	updates: PlannedUpdate[];
	unchanged: number;
	errors: RowError[];
	/** Department id → code, for showing the plan. */
	codes: Map<number, string>;
}

// Employee numbers: letters, digits and . _ @ - (no spaces, nothing that looks like another character).
export const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._@-]*$/;
const email = z.email();
const LIMITS: Partial<Record<ImportField, number>> = { username: 64, name: 100, department: 64, email: 254 };

const ROLE_NAMES: Record<string, Role> = {
	learner: 'learner',
	学员: 'learner',
	学习者: 'learner',
	trainer: 'trainer',
	培训师: 'trainer',
	讲师: 'trainer',
	hr: 'hr',
	人事: 'hr',
	人力资源: 'hr',
	admin: 'admin',
	管理员: 'admin',
	系统管理员: 'admin'
};

/** "trainer; hr" → roles in canonical order; every account is a learner. Unknown names are returned too. */
export function parseRoles(text: string): { roles: Role[]; unknown: string[] } {
	const found = new Set<Role>(['learner']);
	const unknown: string[] = [];
	for (const part of text.split(/[;；,，、]/)) {
		const name = part.trim();
		if (!name) continue;
		const role = ROLE_NAMES[name.toLowerCase()];
		if (role) found.add(role);
		else unknown.push(name);
	}
	return { roles: ROLES.filter((r) => found.has(r)), unknown };
}

const STATUS_NAMES: Record<string, 'active' | 'inactive'> = {
	active: 'active',
	在职: 'active',
	启用: 'active',
	正常: 'active',
	inactive: 'inactive',
	left: 'inactive',
	leaver: 'inactive',
	disabled: 'inactive',
	离职: 'inactive',
	停用: 'inactive',
	禁用: 'inactive',
	调离: 'inactive',
	退休: 'inactive'
};

/** "在职" → active, "离职" → inactive, "" → null (keep); undefined when the text is not a status. */
export function parseStatus(text: string): 'active' | 'inactive' | null | undefined {
	const key = text.trim().toLowerCase();
	return key ? STATUS_NAMES[key] : null;
}

const sameRoles = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().join() === [...b].sort().join();

interface Department {
	id: number;
	code: string;
	active: boolean;
}
interface Existing {
	id: number;
	username: string;
	displayName: string;
	email: string | null;
	departmentId: number;
	roles: string[];
	status: AccountStatus;
	hasPassword: boolean;
}

/** Who imports: their own admin role cannot go (nor their account), and neither can the last active admin. */
export interface Importer {
	username: string;
}

/**
 * Checks every row and compares it with the database. Empty optional cells (email, roles) leave the
 * account's current value alone; new accounts get the learner role. Nothing is written.
 */
export async function planImport(executor: Executor, raw: RawRow[], importer: Importer | null = null): Promise<ImportPlan> {
	const departments = await queryRows<Department>(executor, sql`select id, code, active from department`);
	const byCode = new Map(departments.map((d) => [d.code, d]));
	const byUpperCode = new Map(departments.map((d) => [d.code.toUpperCase(), d]));

	const errors: RowError[] = [];
	const firstSeen = new Map<string, number>();
	const valid: {
		raw: RawRow;
		values: { name: string; email: string | null; departmentId: number; roles: Role[] | null; status: 'active' | 'inactive' | null };
	}[] = [];

	for (const r of raw) {
		const before = errors.length;
		const fail = (column: ImportField, kind: RowErrorKind, value: string, firstRow?: number) =>
			errors.push({ row: r.row, column, value, kind, ...(firstRow ? { firstRow } : {}) });
		for (const column of ['username', 'name', 'department'] as const) if (!r[column]) fail(column, 'missing', '');
		for (const [column, max] of Object.entries(LIMITS) as [ImportField, number][])
			if ([...r[column]].length > max) fail(column, 'too_long', r[column].slice(0, 80));
		if (r.username && r.username.length <= 64 && !USERNAME.test(r.username)) fail('username', 'bad_username', r.username);
		if (r.username) {
			const first = firstSeen.get(r.username);
			if (first !== undefined) fail('username', 'duplicate', r.username, first);
			else firstSeen.set(r.username, r.row);
		}
		let department: Department | undefined;
		if (r.department) {
			department = byCode.get(r.department) ?? byUpperCode.get(r.department.toUpperCase());
			if (!department) fail('department', 'unknown_department', r.department);
			else if (!department.active) fail('department', 'inactive_department', r.department);
		}
		if (r.email && r.email.length <= 254 && !email.safeParse(r.email).success) fail('email', 'bad_email', r.email);
		let roles: Role[] | null = null;
		if (r.roles) {
			const parsed = parseRoles(r.roles);
			for (const name of parsed.unknown) fail('roles', 'unknown_role', name);
			roles = parsed.roles;
		}
		const status = parseStatus(r.status ?? '');
		if (status === undefined) fail('status', 'bad_status', (r.status ?? '').slice(0, 80));
		if (errors.length === before)
			valid.push({ raw: r, values: { name: r.name, email: r.email || null, departmentId: department!.id, roles, status: status ?? null } });
	}

	// One query for every account named in the file (a JSON array keeps it one parameter on both drivers).
	const existing = valid.length
		? await queryRows<Existing>(
				executor,
				sql`select u.id, u.username, u.display_name as "displayName", u.email, u.department_id as "departmentId", u.roles,
				           u.status, u.password_hash is not null as "hasPassword"
				    from jsonb_array_elements_text(${JSON.stringify(valid.map((v) => v.raw.username))}::jsonb) as f(username)
				    join "user" u on u.username = f.username`
			)
		: [];
	const byUsername = new Map(existing.map((u) => [u.username, u]));

	const creates: PlannedCreate[] = [];
	const updates: PlannedUpdate[] = [];
	let unchanged = 0;
	for (const { raw: r, values } of valid) {
		const current = byUsername.get(r.username);
		if (!current) {
			// A leaver who never had an account here: nothing to do.
			if (values.status === 'inactive') {
				unchanged++;
				continue;
			}
			creates.push({
				row: r.row,
				username: r.username,
				name: values.name,
				email: values.email,
				departmentId: values.departmentId,
				roles: values.roles ?? ['learner']
			});
			continue;
		}
		const next: UserValues = {
			name: values.name,
			email: values.email ?? current.email,
			departmentId: values.departmentId,
			roles: values.roles ?? (current.roles as Role[]),
			// Inactive ends the account; active brings a deactivated one back (pending if it never had a password).
			status:
				values.status === 'inactive'
					? 'inactive'
					: values.status === 'active' && current.status === 'inactive'
						? current.hasPassword
							? 'active'
							: 'pending'
						: current.status
		};
		const before: Partial<UserValues> = {};
		const after: Partial<UserValues> = {};
		if (next.name !== current.displayName) [before.name, after.name] = [current.displayName, next.name];
		if (next.email !== current.email) [before.email, after.email] = [current.email, next.email];
		if (next.departmentId !== current.departmentId) [before.departmentId, after.departmentId] = [current.departmentId, next.departmentId];
		if (!sameRoles(next.roles, current.roles)) [before.roles, after.roles] = [current.roles as Role[], next.roles];
		if (next.status !== current.status) [before.status, after.status] = [current.status, next.status];
		if (Object.keys(after).length === 0) unchanged++;
		else updates.push({ row: r.row, id: current.id, username: r.username, ...next, before, after });
	}
	const kept = await keepAdmins(executor, updates, importer, errors, new Map(valid.map((v) => [v.raw.row, v.raw])));
	errors.sort((a, b) => a.row - b.row);
	return { total: raw.length, creates, updates: kept, unchanged, errors, codes: new Map(departments.map((d) => [d.id, d.code])) };
}

const isActiveAdmin = (v: { roles: readonly string[]; status: string }) => v.status === 'active' && v.roles.includes('admin');

/**
 * An import may not lock its own admin out, nor leave the organisation without an active admin:
 * such rows become errors (so nothing is applied) and leave the plan.
 */
async function keepAdmins(
	executor: Executor,
	updates: PlannedUpdate[],
	importer: Importer | null,
	errors: RowError[],
	raw: Map<number, RawRow>
): Promise<PlannedUpdate[]> {
	const losing = updates.filter(
		(u) =>
			('roles' in u.after || 'status' in u.after) &&
			!isActiveAdmin(u) &&
			isActiveAdmin({ roles: u.before.roles ?? u.roles, status: u.before.status ?? u.status })
	);
	if (!losing.length) return updates;
	const column = (u: PlannedUpdate): ImportField => (u.status !== 'active' ? 'status' : 'roles');
	const cell = (u: PlannedUpdate) => raw.get(u.row)?.[column(u)] ?? '';
	const refused = new Set<PlannedUpdate>();
	for (const u of losing) {
		if (importer && u.username === importer.username) {
			errors.push({ row: u.row, column: column(u), value: cell(u), kind: 'own_admin' });
			refused.add(u);
		}
	}
	const admins = await queryRows<{ username: string }>(
		executor,
		sql`select username from "user" where status = 'active' and 'admin' = any(roles)`
	);
	const gained = updates.filter((u) => isActiveAdmin(u) && !admins.some((a) => a.username === u.username)).length;
	const remaining = admins.length + gained - losing.length;
	if (remaining < 1) {
		for (const u of losing) {
			if (refused.has(u)) continue;
			errors.push({ row: u.row, column: column(u), value: cell(u), kind: 'last_admin' });
			refused.add(u);
		}
	}
	return updates.filter((u) => !refused.has(u));
}
