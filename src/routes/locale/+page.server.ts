import { redirect } from '@sveltejs/kit';
import { eq } from 'drizzle-orm';
import { db, schema } from '$lib/server/db';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => {
	// Public, action-only route.
	redirect(303, '/');
};

export const actions: Actions = {
	/** Public: anyone may switch language; a signed-in user's choice is also saved to their account. */
	default: async ({ request, cookies, locals }) => {
		const form = await request.formData();
		const locale = form.get('locale') === 'en' ? 'en' : 'zh-CN';
		const target = String(form.get('redirectTo') ?? '/');
		cookies.set('govlearn_locale', locale, { path: '/', httpOnly: false, sameSite: 'lax', secure: (process.env.ORIGIN ?? '').startsWith('https://'), maxAge: 60 * 60 * 24 * 400 });
		if (locals.user) await db.update(schema.user).set({ locale, updatedAt: new Date() }).where(eq(schema.user.id, locals.user.id));
		redirect(303, /^\/(?![/\\])/.test(target) ? target : '/');
	}
};
