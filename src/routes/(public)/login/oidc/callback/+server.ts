import { redirect } from '@sveltejs/kit';
import * as oidc from '$lib/server/auth/oidc';
import { invalidateSession, setSessionCookies } from '$lib/server/auth/session';
import type { RequestHandler } from './$types';

/** Public by design: the provider sends the browser back here with a code (or an error). */
export const GET: RequestHandler = async ({ url, cookies, locals }) => {
	const loginId = cookies.get(oidc.OIDC_COOKIE);
	cookies.delete(oidc.OIDC_COOKIE, { path: '/login/oidc', httpOnly: true, secure: url.protocol === 'https:', sameSite: 'lax' });
	const result = await oidc.finishSignIn(url, loginId);
	if (!result.ok) redirect(303, `/login?sso=${result.reason}`);
	// A new session at every sign-in: whoever was signed in on this browser before is signed out.
	if (locals.session) await invalidateSession(locals.session.id);
	setSessionCookies(cookies, result.token, result.expiresAt, result.locale);
	redirect(303, result.redirectTo);
};
