import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import * as activation from '$lib/server/admin/activation';
import { localeCookie } from '$lib/server/auth/cookies';
import { sessionCookie } from '$lib/server/auth/session';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, setHeaders }) => {
	// Public by design: the link itself is the credential (random, single use, 14 days, only its hash stored).
	// same-origin: the token never leaves in a Referer, while our own forms keep their Origin (CSRF check).
	setHeaders({ 'cache-control': 'no-store', 'referrer-policy': 'same-origin' });
	const state = await activation.check(params.token);
	return state.status === 'valid'
		? { state: { status: 'valid' as const, username: state.username, displayName: state.displayName, expiresAt: state.expiresAt } }
		: { state };
};

const form = z.object({ password: z.string().max(1024), confirm: z.string().max(1024) });

export const actions: Actions = {
	default: async ({ params, request, cookies, locals }) => {
		// Public by design (see load): the token in the URL is checked by the service.
		const parsed = form.safeParse(Object.fromEntries(await request.formData()));
		if (!parsed.success) return fail(400, { problem: 'short' as const });
		const result = await activation.activate(params.token, parsed.data.password, parsed.data.confirm);
		if (!result.ok) return fail(400, { problem: result.problem });
		if (locals.session) locals.session = null;
		const { name, options } = sessionCookie();
		cookies.set(name, result.session.token, { ...options, expires: result.session.expiresAt });
		if (result.locale) cookies.set(...localeCookie(result.locale));
		redirect(303, '/me?welcome=1');
	}
};
