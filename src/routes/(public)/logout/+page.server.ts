import { redirect } from '@sveltejs/kit';
import { audit } from '$lib/server/audit';
import { endSessionUrl } from '$lib/server/auth/oidc';
import { invalidateSession, sessionCookie } from '$lib/server/auth/session';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => {
	// Public: signing out is a POST; a GET just goes home.
	redirect(303, '/');
};

export const actions: Actions = {
	/** Public: ends the caller's own session, if any, and after a government sign-in the provider's too. */
	default: async ({ locals, cookies, url }) => {
		let idToken: string | null = null;
		if (locals.session) {
			({ idToken } = await invalidateSession(locals.session.id));
			await audit({
				action: 'auth.logout',
				targetType: 'user',
				targetId: locals.session.userId,
				after: idToken ? { method: 'oidc' } : undefined
			});
		}
		const { name, options } = sessionCookie();
		cookies.delete(name, options);
		redirect(303, (await endSessionUrl(url.origin, idToken)) ?? '/login');
	}
};
