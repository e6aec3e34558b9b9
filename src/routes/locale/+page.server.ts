import { redirect } from '@sveltejs/kit';
import { saveLocale } from '$lib/server/auth/account';
import { localeCookie } from '$lib/server/auth/cookies';
import { safeRedirect } from '$lib/server/security/redirect';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => {
	// Public, action-only route.
	redirect(303, '/');
};

export const actions: Actions = {
	/** Public: anyone may switch language; a signed-in user's choice is also saved to their account. */
	default: async ({ request, cookies, locals, url }) => {
		const form = await request.formData();
		const locale = form.get('locale') === 'en' ? 'en' : 'zh-CN';
		cookies.set(...localeCookie(locale));
		if (locals.user) await saveLocale(locals.user.id, locale);
		redirect(303, safeRedirect(form.get('redirectTo'), url));
	}
};
