// First and later government sign-ins: the provider's claims find (or make) the GovLearn account with
// that employee number, placed in the department the claims name; changes to name, e-mail or
// department are written and audited. Who may sign in at all stays GovLearn's decision (leavers).
import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { audit } from '../audit';
import { db, schema } from '../db';
import type { Role } from '../db/schema';
import { USERNAME } from '../admin/import/plan';

export interface IdentityClaims {
	username: string;
	name: string | null;
	email: string | null;
	departmentCode: string | null;
}

export type ProvisionFailure = 'bad_claims' | 'unknown_department' | 'inactive';

export type ProvisionResult =
	| { ok: true; user: { id: number; username: string; roles: Role[]; locale: 'zh-CN' | 'en' | null }; created: boolean }
	| { ok: false; reason: ProvisionFailure; userId?: number };

const email = z.email();

/** Claims as the provider sent them, read through the configured claim names; null when unusable. */
export function readClaims(
	claims: Record<string, unknown>,
	names: { username: string; name: string; email: string; department: string }
): IdentityClaims | null {
	const text = (key: string) => {
		const value = claims[key];
		return typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
	};
	const username = text(names.username);
	if (!username || username.length > 64 || !USERNAME.test(username)) return null;
	const mail = text(names.email);
	return {
		username,
		name: text(names.name).slice(0, 100) || null,
		email: mail && mail.length <= 254 && email.safeParse(mail).success ? mail : null,
		departmentCode: text(names.department).slice(0, 64) || null
	};
}

/**
 * Links the claims to the account with that employee number, or creates it (a learner) in the
 * department the claims name. A pending account (imported, never activated) becomes active: the
 * provider has vouched for the person. An inactive one (a leaver) is refused.
 */
export async function provisionAccount(claims: IdentityClaims): Promise<ProvisionResult> {
	return db.transaction(async (tx) => {
		const [department] = claims.departmentCode
			? await tx
					.select({ id: schema.department.id, code: schema.department.code })
					.from(schema.department)
					.where(sql`upper(${schema.department.code}) = upper(${claims.departmentCode}) and ${schema.department.active}`)
					.orderBy(sql`${schema.department.code} = ${claims.departmentCode} desc`)
					.limit(1)
			: [];
		const [existing] = await tx.select().from(schema.user).where(eq(schema.user.username, claims.username)).for('update');

		if (existing?.status === 'inactive') return { ok: false, reason: 'inactive', userId: existing.id };
		// A claim naming no known department cannot place anyone; an existing account without the claim keeps its place.
		if (!department && (claims.departmentCode || !existing)) return { ok: false, reason: 'unknown_department', userId: existing?.id };

		if (!existing) {
			const [created] = await tx
				.insert(schema.user)
				.values({
					username: claims.username,
					displayName: claims.name ?? claims.username,
					email: claims.email,
					departmentId: department!.id,
					roles: ['learner'],
					status: 'active'
				})
				.returning();
			const actor = { id: created.id, username: created.username };
			await audit(
				{
					action: 'user.create',
					targetType: 'user',
					targetId: created.id,
					after: {
						username: created.username,
						name: created.displayName,
						email: created.email,
						departmentId: created.departmentId,
						department: department!.code,
						roles: created.roles,
						source: 'oidc'
					},
					actor
				},
				tx
			);
			return {
				ok: true,
				created: true,
				user: { id: created.id, username: created.username, roles: created.roles as Role[], locale: created.locale }
			};
		}

		const before: Record<string, unknown> = {};
		const after: Record<string, unknown> = {};
		if (claims.name && claims.name !== existing.displayName) [before.name, after.name] = [existing.displayName, claims.name];
		if (claims.email && claims.email !== existing.email) [before.email, after.email] = [existing.email, claims.email];
		if (department && department.id !== existing.departmentId)
			[before.departmentId, after.departmentId] = [existing.departmentId, department.id];
		if (existing.status === 'pending') [before.status, after.status] = ['pending', 'active'];
		if (Object.keys(after).length) {
			await tx
				.update(schema.user)
				.set({
					displayName: (after.name as string | undefined) ?? existing.displayName,
					email: (after.email as string | undefined) ?? existing.email,
					departmentId: (after.departmentId as number | undefined) ?? existing.departmentId,
					status: 'active',
					updatedAt: new Date()
				})
				.where(eq(schema.user.id, existing.id));
			if (after.departmentId !== undefined) after.department = department!.code;
			await audit(
				{
					action: 'user.update',
					targetType: 'user',
					targetId: existing.id,
					before,
					after: { ...after, source: 'oidc' },
					actor: { id: existing.id, username: existing.username }
				},
				tx
			);
		}
		return {
			ok: true,
			created: false,
			user: { id: existing.id, username: existing.username, roles: existing.roles as Role[], locale: existing.locale }
		};
	});
}
