import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { safeIp } from '$lib/server/audit';
import { demoAccounts } from '$lib/server/auth/demo';
import { attemptSignIn } from '$lib/server/auth/login';
import { oidcEnabled } from '$lib/server/auth/oidc';
import { passwordPolicy } from '$lib/server/auth/password-sign-in';
import { setSessionCookies } from '$lib/server/auth/session';
import { safeRedirect } from '$lib/server/security/redirect';
import type { Actions, PageServerLoad } from './$types';

const SSO_REASONS = new Set([
	'not_configured',
	'state',
	'rejected',
	'token',
	'unavailable',
	'bad_claims',
	'unknown_department',
	'inactive'
]);

export const load: PageServerLoad = async ({ locals, url }) => {
	// Public page: signed-in users go straight on.
	if (locals.user) redirect(303, safeRedirect(url.searchParams.get('redirectTo'), url));
	const sso = url.searchParams.get('sso');
	return {
		sso: oidcEnabled(),
		ssoError: sso && SSO_REASONS.has(sso) ? sso : null,
		passwords: (await passwordPolicy()).enabled,
		demo: await demoAccounts()
	};
};

const form = z.object({ username: z.string().trim().min(1).max(128), password: z.string().min(1).max(1024) });

export const actions: Actions = {
	default: async (event) => {
		// Public action by design: this is where anonymous users become signed in.
		const data = Object.fromEntries(await event.request.formData());
		const parsed = form.safeParse(data);
		const username = typeof data.username === 'string' ? data.username.slice(0, 128) : '';
		if (!parsed.success) return fail(400, { username, error: 'missing' as const });
		const result = await attemptSignIn(parsed.data.username, parsed.data.password, safeIp(event), event.locals.session?.id);
		if (result.status === 'password-off') return fail(403, { username, error: 'password_off' as const });
		if (result.status === 'busy' || result.status === 'throttled') {
			event.setHeaders({ 'retry-after': String(result.retryAfter) });
			return fail(result.status === 'busy' ? 503 : 429, { username, error: result.status, retryAfter: result.retryAfter });
		}
		if (result.status === 'failed') return fail(400, { username, error: 'failed' as const });
		setSessionCookies(event.cookies, result.token, result.expiresAt, result.locale);
		redirect(303, safeRedirect(event.url.searchParams.get('redirectTo'), event.url));
	}
};
