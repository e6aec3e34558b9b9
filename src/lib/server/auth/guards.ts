// The guards are the route boundary, called first in every load, action and endpoint: unlike the
// services they answer with Kit's redirect (to sign in) and error (403) themselves.
import { error, redirect } from '@sveltejs/kit';
import { getRequestEvent } from '$app/server';
import type { Role } from '../db/schema';
import type { SessionUser } from './session';

/** The signed-in user, or a redirect to /login that comes back here afterwards. */
export function requireUser(): SessionUser {
	const event = getRequestEvent();
	const user = event.locals.user;
	if (!user) {
		const back = event.url.pathname + event.url.search;
		redirect(303, `/login?redirectTo=${encodeURIComponent(back)}`);
	}
	return user;
}

/** The signed-in user if they hold one of `roles`; otherwise 403 (or the login redirect). */
export function requireRole(...roles: Role[]): SessionUser {
	const user = requireUser();
	if (!roles.some((role) => user.roles.includes(role))) {
		getRequestEvent().locals.denied = true;
		error(403, 'forbidden');
	}
	return user;
}

export interface Scope {
	/** Root department of what this user may see. */
	departmentId: number;
}

/** An HR user and the department subtree they may see (their HR scope, else their own department). */
export function requireScope(): SessionUser & { scope: Scope } {
	const user = requireRole('hr');
	return { ...user, scope: { departmentId: user.hrScopeId ?? user.departmentId } };
}
