import { fail, redirect } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guards';
import * as authoring from '$lib/server/authoring';
import { DomainError } from '$lib/server/errors';
import { refuse } from '$lib/server/route-errors';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	requireRole('trainer', 'admin');
	return { open: await authoring.openRevisions() };
};

export const actions: Actions = {
	create: async ({ request }) => {
		const user = requireRole('trainer', 'admin');
		const form = await request.formData();
		const values = {
			id: String(form.get('id') ?? ''),
			titleZh: String(form.get('titleZh') ?? ''),
			titleEn: String(form.get('titleEn') ?? '')
		};
		try {
			await authoring.createCourse(user, { id: values.id, title: { 'zh-CN': values.titleZh, en: values.titleEn } });
		} catch (e) {
			return refuse(e, DomainError, (err) => ({ code: err.code, message: err.message, values }));
		}
		if (!values.id) return fail(400, { code: 'author_bad_id', message: '', values });
		redirect(303, `/studio/edit/${values.id.trim()}`);
	}
};
