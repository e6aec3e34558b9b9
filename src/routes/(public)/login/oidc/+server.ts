import { redirect } from '@sveltejs/kit';
import * as oidc from '$lib/server/auth/oidc';
import type { RequestHandler } from './$types';

/** Public by design: starts a government sign-in and sends the browser to the provider. */
export const GET: RequestHandler = async ({ url, cookies }) => {
	const started = await oidc.beginSignIn(url.origin, url.searchParams.get('redirectTo'));
	if ('reason' in started) redirect(303, `/login?sso=${started.reason}`);
	const secure = url.protocol === 'https:';
	cookies.set(oidc.OIDC_COOKIE, started.loginId, { path: '/login/oidc', httpOnly: true, secure, sameSite: 'lax', maxAge: 600 });
	redirect(302, started.url);
};
