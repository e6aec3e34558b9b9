// Whether passwords are accepted at POST /login: on for everyone (the default), or, once government
// sign-in carries the staff, off for everyone but the break-glass admins named here (kept in the
// database, so every app server applies the same rule at once).
import { eq, inArray } from 'drizzle-orm';
import { audit } from '../audit';
import { db, schema } from '../db';
import { AdminError, type Actor } from '../admin/errors';

const KEY = 'password_sign_in';

export interface PasswordSignInPolicy {
	enabled: boolean;
	/** Usernames that may still sign in with a password when it is off. */
	breakGlass: string[];
}

const DEFAULT: PasswordSignInPolicy = { enabled: true, breakGlass: [] };

export async function passwordPolicy(): Promise<PasswordSignInPolicy> {
	const [row] = await db.select().from(schema.setting).where(eq(schema.setting.key, KEY));
	if (!row) return DEFAULT;
	try {
		const value = JSON.parse(row.value) as Partial<PasswordSignInPolicy>;
		return {
			enabled: value.enabled !== false,
			breakGlass: Array.isArray(value.breakGlass) ? value.breakGlass.filter((u): u is string => typeof u === 'string') : []
		};
	} catch {
		return DEFAULT;
	}
}

/** May this username sign in with a password right now? */
export async function passwordAllowed(username: string): Promise<boolean> {
	const policy = await passwordPolicy();
	return policy.enabled || policy.breakGlass.includes(username.trim());
}

/**
 * Turns password sign-in on, or off except for the named break-glass accounts, which must be active
 * admins (at least one, or nobody could get in when the provider is down). Audited.
 */
export async function setPasswordPolicy(input: PasswordSignInPolicy, actor: Actor): Promise<PasswordSignInPolicy> {
	const breakGlass = [...new Set(input.breakGlass.map((u) => u.trim()).filter(Boolean))];
	const next: PasswordSignInPolicy = { enabled: input.enabled, breakGlass };
	return db.transaction(async (tx) => {
		if (!next.enabled) {
			if (!breakGlass.length) throw new AdminError('break_glass_required');
			const admins = await tx
				.select({ username: schema.user.username, roles: schema.user.roles, status: schema.user.status })
				.from(schema.user)
				.where(inArray(schema.user.username, breakGlass));
			const ok = new Set(admins.filter((a) => a.status === 'active' && a.roles.includes('admin')).map((a) => a.username));
			const wrong = breakGlass.filter((u) => !ok.has(u));
			if (wrong.length) throw new AdminError('break_glass_not_admin', wrong.join(', '));
		}
		const [current] = await tx.select().from(schema.setting).where(eq(schema.setting.key, KEY)).for('update');
		const value = JSON.stringify(next);
		await tx
			.insert(schema.setting)
			.values({ key: KEY, value, updatedAt: new Date() })
			.onConflictDoUpdate({ target: schema.setting.key, set: { value, updatedAt: new Date() } });
		await audit(
			{
				action: 'settings.password_sign_in',
				targetType: 'setting',
				targetId: KEY,
				before: current ? JSON.parse(current.value) : DEFAULT,
				after: next,
				actor
			},
			tx
		);
		return next;
	});
}
