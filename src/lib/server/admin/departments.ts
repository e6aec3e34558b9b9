// The department tree: create, rename, move, deactivate. Subtrees by materialised path, moves in one
// set-based UPDATE, every change audited in its transaction.
import { eq } from 'drizzle-orm';
import { audit, safeIp } from '../audit';
import { db, rows, schema, sql, type Executor } from '../db';
import type { Department } from '../db/schema';
import { currentRequest } from '../request-context';
import { AdminError } from './errors';

/** Tree changes run one at a time: two crossing moves could otherwise make a cycle. */
const TREE_LOCK = 71_102;

export interface DepartmentNode {
	id: number;
	code: string;
	nameZh: string;
	nameEn: string;
	parentId: number | null;
	path: string;
	depth: number;
	active: boolean;
	/** Accounts (active or waiting for activation) directly in this department. */
	staff: number;
	/** The same over the whole subtree. */
	subtreeStaff: number;
	children: DepartmentNode[];
}

export type DepartmentOption = Omit<DepartmentNode, 'children' | 'staff' | 'subtreeStaff'>;

/** The whole tree with staff counts, in two queries whatever its size. */
export async function tree(): Promise<DepartmentNode[]> {
	const [all, counts] = await Promise.all([
		db.select().from(schema.department).orderBy(schema.department.depth, schema.department.position, schema.department.code),
		rows<{ departmentId: number; staff: number }>(
			db,
			sql`select department_id as "departmentId", count(*)::int as staff from "user" where status <> 'inactive' group by department_id`
		)
	]);
	const staff = new Map(counts.map((c) => [c.departmentId, c.staff]));
	const nodes = new Map<number, DepartmentNode>();
	const roots: DepartmentNode[] = [];
	for (const d of all) {
		const node: DepartmentNode = {
			id: d.id,
			code: d.code,
			nameZh: d.nameZh,
			nameEn: d.nameEn,
			parentId: d.parentId,
			path: d.path,
			depth: d.depth,
			active: d.active,
			staff: staff.get(d.id) ?? 0,
			subtreeStaff: 0,
			children: []
		};
		nodes.set(d.id, node);
		const parent = d.parentId === null ? undefined : nodes.get(d.parentId);
		(parent ? parent.children : roots).push(node);
	}
	const total = (n: DepartmentNode): number => (n.subtreeStaff = n.staff + n.children.reduce((sum, c) => sum + total(c), 0));
	roots.forEach(total);
	return roots;
}

/** A tree as a list in tree order (for pickers, indented by `depth`). */
export function flatten(roots: DepartmentNode[]): DepartmentOption[] {
	const out: DepartmentOption[] = [];
	const walk = (n: DepartmentNode) => {
		out.push({
			id: n.id,
			code: n.code,
			nameZh: n.nameZh,
			nameEn: n.nameEn,
			parentId: n.parentId,
			path: n.path,
			depth: n.depth,
			active: n.active
		});
		n.children.forEach(walk);
	};
	roots.forEach(walk);
	return out;
}

/** Every department in tree order. */
export async function options(): Promise<DepartmentOption[]> {
	return flatten(await tree());
}

export interface DepartmentDetail extends Department {
	parent: { id: number; code: string; nameZh: string; nameEn: string } | null;
	children: { id: number; code: string; nameZh: string; nameEn: string; active: boolean }[];
	staff: number;
	inactiveStaff: number;
	hrScopeOf: number;
}

/** One department with its parent, children and head counts. */
export async function get(id: number): Promise<DepartmentDetail | null> {
	const [d] = await db.select().from(schema.department).where(eq(schema.department.id, id));
	if (!d) return null;
	const [parent, children, [counts]] = await Promise.all([
		d.parentId === null
			? Promise.resolve([])
			: db
					.select({
						id: schema.department.id,
						code: schema.department.code,
						nameZh: schema.department.nameZh,
						nameEn: schema.department.nameEn
					})
					.from(schema.department)
					.where(eq(schema.department.id, d.parentId)),
		db
			.select({
				id: schema.department.id,
				code: schema.department.code,
				nameZh: schema.department.nameZh,
				nameEn: schema.department.nameEn,
				active: schema.department.active
			})
			.from(schema.department)
			.where(eq(schema.department.parentId, id))
			.orderBy(schema.department.position, schema.department.code),
		rows<{ staff: number; inactiveStaff: number; hrScopeOf: number }>(
			db,
			sql`select count(*) filter (where status <> 'inactive')::int as staff, count(*) filter (where status = 'inactive')::int as "inactiveStaff",
			           (select count(*)::int from "user" where hr_scope_id = ${id}) as "hrScopeOf"
			      from "user" where department_id = ${id}`
		)
	]);
	return { ...d, parent: parent[0] ?? null, children, ...counts };
}

async function lockTree(tx: Executor): Promise<void> {
	await tx.execute(sql`select pg_advisory_xact_lock(${TREE_LOCK})`);
}

function isUniqueViolation(e: unknown): boolean {
	for (let x = e, i = 0; x && i < 4; x = (x as { cause?: unknown }).cause, i++) if ((x as { code?: string }).code === '23505') return true;
	return false;
}

async function load(tx: Executor, id: number, missing: 'not_found' | 'bad_target' = 'not_found'): Promise<Department> {
	const [d] = await tx.select().from(schema.department).where(eq(schema.department.id, id)).for('update');
	if (!d) throw new AdminError(missing);
	return d;
}

const snapshot = (d: Department) => ({
	code: d.code,
	nameZh: d.nameZh,
	nameEn: d.nameEn,
	parentId: d.parentId,
	path: d.path,
	active: d.active
});

/** A new department under `parentId` (null: a new top-level department). Codes are unique. */
export async function create(input: { code: string; nameZh: string; nameEn: string; parentId: number | null }): Promise<number> {
	try {
		return await db.transaction(async (tx) => {
			await lockTree(tx);
			const parent = input.parentId === null ? null : await load(tx, input.parentId, 'bad_target');
			if (parent && !parent.active) throw new AdminError('parent_inactive');
			const [{ position }] = await rows<{ position: number }>(
				tx,
				sql`select coalesce(max(position) + 1, 0)::int as position from department where parent_id is not distinct from ${input.parentId}::int`
			);
			const [row] = await tx
				.insert(schema.department)
				.values({
					code: input.code,
					nameZh: input.nameZh,
					nameEn: input.nameEn,
					parentId: parent?.id ?? null,
					path: '/',
					depth: parent ? parent.depth + 1 : 0,
					position
				})
				.returning();
			const [created] = await tx
				.update(schema.department)
				.set({ path: `${parent?.path ?? '/'}${row.id}/` })
				.where(eq(schema.department.id, row.id))
				.returning();
			await audit({ action: 'department.create', targetType: 'department', targetId: row.id, after: snapshot(created) }, tx);
			return row.id;
		});
	} catch (e) {
		if (isUniqueViolation(e)) throw new AdminError('code_taken');
		throw e;
	}
}

/** Renames a department (both languages) and may change its code. */
export async function update(id: number, input: { code: string; nameZh: string; nameEn: string }): Promise<void> {
	try {
		await db.transaction(async (tx) => {
			const d = await load(tx, id);
			if (d.code === input.code && d.nameZh === input.nameZh && d.nameEn === input.nameEn) return;
			const [after] = await tx
				.update(schema.department)
				.set({ ...input, updatedAt: new Date() })
				.where(eq(schema.department.id, id))
				.returning();
			await audit({ action: 'department.update', targetType: 'department', targetId: id, before: snapshot(d), after: snapshot(after) }, tx);
		});
	} catch (e) {
		if (isUniqueViolation(e)) throw new AdminError('code_taken');
		throw e;
	}
}

/**
 * Moves a department (with its whole subtree) under another parent, or to the top level with null.
 * Refuses a move under itself or its own subtree. Paths and depths change in one UPDATE.
 */
export async function move(id: number, parentId: number | null): Promise<void> {
	await db.transaction(async (tx) => {
		await lockTree(tx);
		const d = await load(tx, id);
		if (d.parentId === parentId) return;
		let parent: Department | null = null;
		if (parentId !== null) {
			parent = await load(tx, parentId, 'bad_target');
			if (parent.path.startsWith(d.path)) throw new AdminError('cycle');
			if (d.active && !parent.active) throw new AdminError('parent_inactive');
		}
		const newPath = `${parent?.path ?? '/'}${d.id}/`;
		const shift = (parent ? parent.depth + 1 : 0) - d.depth;
		// Paths are digits and slashes only, so the prefix needs no LIKE escaping.
		await tx.execute(sql`
			update department
			   set path = ${newPath} || substr(path, ${d.path.length + 1}),
			       depth = depth + ${shift},
			       parent_id = case when id = ${d.id} then ${parentId}::int else parent_id end,
			       updated_at = now()
			 where path like ${d.path + '%'}`);
		await audit(
			{
				action: 'department.move',
				targetType: 'department',
				targetId: id,
				before: { parentId: d.parentId, path: d.path },
				after: { parentId, path: newPath }
			},
			tx
		);
	});
}

/**
 * Deactivates a department that has no active sub-department. Its staff (active or pending) must be
 * moved: give `moveStaffTo` (an active department) to move them in the same step.
 * Returns how many people were moved. Learning records are untouched.
 */
export async function deactivate(id: number, moveStaffTo: number | null): Promise<number> {
	return db.transaction(async (tx) => {
		await lockTree(tx);
		const d = await load(tx, id);
		if (!d.active) return 0;
		const [{ children, staff }] = await rows<{ children: number; staff: number }>(
			tx,
			sql`select (select count(*)::int from department where parent_id = ${id} and active) as children,
			           (select count(*)::int from "user" where department_id = ${id} and status <> 'inactive') as staff`
		);
		if (children > 0) throw new AdminError('has_children');
		let moved = 0;
		let target: Department | null = null;
		if (staff > 0) {
			if (moveStaffTo === null) throw new AdminError('has_staff');
			target = await load(tx, moveStaffTo, 'bad_target');
			if (target.id === id || !target.active) throw new AdminError('bad_target');
			const event = currentRequest();
			const actor = event?.locals.user ?? null;
			const [row] = await rows<{ n: number }>(
				tx,
				sql`with moved as (
					update "user" set department_id = ${target.id}, updated_at = now()
					 where department_id = ${id} and status <> 'inactive'
					returning id
				), logged as (
					insert into audit_log (actor_id, actor_username, ip, request_id, action, target_type, target_id, before, after)
					select ${actor?.id ?? null}::int, ${actor?.username ?? null}::text, ${event ? safeIp(event) : null}::text, ${event?.locals.requestId ?? null}::text,
					       'user.update', 'user', moved.id::text, jsonb_build_object('departmentId', ${id}::int), jsonb_build_object('departmentId', ${target.id}::int, 'reason', 'department.deactivate')
					  from moved
				)
				select count(*)::int as n from moved`
			);
			moved = row.n;
		}
		await tx.update(schema.department).set({ active: false, updatedAt: new Date() }).where(eq(schema.department.id, id));
		await audit(
			{
				action: 'department.deactivate',
				targetType: 'department',
				targetId: id,
				before: { active: true },
				after: { active: false, ...(target ? { staffMovedTo: target.code, staffMoved: moved } : {}) }
			},
			tx
		);
		return moved;
	});
}

/** Makes a department active again (its parent must be active). */
export async function reactivate(id: number): Promise<void> {
	await db.transaction(async (tx) => {
		await lockTree(tx);
		const d = await load(tx, id);
		if (d.active) return;
		if (d.parentId !== null) {
			const parent = await load(tx, d.parentId);
			if (!parent.active) throw new AdminError('parent_inactive');
		}
		await tx.update(schema.department).set({ active: true, updatedAt: new Date() }).where(eq(schema.department.id, id));
		await audit(
			{ action: 'department.reactivate', targetType: 'department', targetId: id, before: { active: false }, after: { active: true } },
			tx
		);
	});
}
