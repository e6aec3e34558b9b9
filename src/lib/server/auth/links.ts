// One-time links (activation, password reset) spent: looked up, the new password checked and hashed, the
// link used up in the statement that checks it. Apart from admin/tokens.ts (issuing links), which the
// import command loads: the password policy's word list is a Vite asset.
import { and, eq, isNull } from 'drizzle-orm';
import { rows, schema, sql, type Executor } from '../db';
import { hashToken, plausibleToken } from '../admin/tokens';
import { DomainError } from '../errors';
import { hashPassword } from './password';
import { passwordProblem, type PasswordProblem } from './password-policy';

export type LinkProblem = 'unknown' | 'used' | 'expired' | 'inactive';
export type LinkLookup = { status: 'valid'; username: string; displayName: string; expiresAt: Date } | { status: LinkProblem };

/**
 * A one-time link (activation or password reset) looked up by its token: valid, for whom, or why not.
 * `usable` says which account states may use it (activation: any but inactive; reset: active only).
 */
export async function lookUpLink(
	executor: Executor,
	table: typeof schema.activationToken | typeof schema.passwordReset,
	token: string,
	usable: (status: string) => boolean
): Promise<LinkLookup> {
	if (!plausibleToken(token)) return { status: 'unknown' };
	const [found] = await rows<{
		usedAt: Date | string | null;
		expiresAt: Date | string;
		username: string;
		displayName: string;
		status: string;
	}>(
		executor,
		sql`select t.used_at as "usedAt", t.expires_at as "expiresAt", u.username, u.display_name as "displayName", u.status
		from ${table} t join "user" u on u.id = t.user_id where t.token_hash = ${hashToken(token)}`
	);
	if (!found) return { status: 'unknown' };
	if (found.usedAt) return { status: 'used' };
	if (!usable(found.status)) return { status: 'inactive' };
	const expiresAt = new Date(found.expiresAt);
	if (expiresAt.getTime() <= Date.now()) return { status: 'expired' };
	return { status: 'valid', username: found.username, displayName: found.displayName, expiresAt };
}

export type NewPassword = { ok: true; passwordHash: string } | { ok: false; problem: LinkProblem | 'mismatch' | PasswordProblem };

/**
 * The password chosen through a one-time link, hashed, or why it cannot be set: the link does not work,
 * the two entries differ, or the password breaks the policy (which knows the owner's username and name).
 */
export async function newPasswordThroughLink(
	state: { status: 'valid'; username: string; displayName: string } | { status: LinkProblem },
	password: string,
	confirm: string
): Promise<NewPassword> {
	if (state.status !== 'valid') return { ok: false, problem: state.status };
	if (password !== confirm) return { ok: false, problem: 'mismatch' };
	const weak = passwordProblem(password, { username: state.username, names: [state.displayName] });
	if (weak) return { ok: false, problem: weak };
	return { ok: true, passwordHash: await hashPassword(password) };
}

/** Spends a one-time link in the statement that checks it is unused and unexpired; its owner, or undefined. */
export async function spendLink(
	executor: Executor,
	table: typeof schema.activationToken | typeof schema.passwordReset,
	token: string
): Promise<number | undefined> {
	const [spent] = await executor
		.update(table)
		.set({ usedAt: new Date() })
		.where(and(eq(table.tokenHash, hashToken(token)), isNull(table.usedAt), sql`${table.expiresAt} > now()`))
		.returning({ userId: table.userId });
	return spent?.userId;
}

/** Thrown inside a transaction when the link was spent or expired by someone else meanwhile (rolls it back). */
export class LinkGone extends DomainError<'used'> {
	constructor() {
		super('conflict', 'used');
	}
}
