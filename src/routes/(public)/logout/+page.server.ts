import { redirect } from '@sveltejs/kit';
import { audit } from '$lib/server/audit';
import { invalidateSession, sessionCookie } from '$lib/server/auth/session';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => {
	// Public: signing out is a POST; a GET just goes home.
	redirect(303, '/');
};

export const actions: Actions = {
	/** Public: ends the caller's own session, if any. */
	default: async ({ locals, cookies }) => {
		if (locals.session) {
			await invalidateSession(locals.session.id);
			await audit({ action: 'auth.logout', targetType: 'user', targetId: locals.session.userId });
		}
		const { name, options } = sessionCookie();
		cookies.delete(name, options);
		redirect(303, '/login');
	}
};
