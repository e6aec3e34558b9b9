import { requireRole } from '$lib/server/auth/guards';
import * as authoring from '$lib/server/authoring';
import { DomainError } from '$lib/server/errors';
import { answer, refuse } from '$lib/server/route-errors';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params }) => {
	requireRole('trainer', 'admin');
	return { file: await answer(() => authoring.fileView(params.course, params.name)), courseId: params.course };
};

export const actions: Actions = {
	/** Saves and checks; the page shows the check's `line: message` beside the text. */
	save: async ({ request, params }) => {
		const user = requireRole('trainer', 'admin');
		const form = await request.formData();
		const text = String(form.get('text') ?? '');
		try {
			await authoring.saveFile(user, Number(form.get('revision') ?? 0), params.name, text);
			return { saved: true, file: await authoring.fileView(params.course, params.name) };
		} catch (e) {
			// Nothing of what was typed is lost: the text comes back with the reason.
			return refuse(e, DomainError, (err) => ({ code: err.code, message: err.message, text }));
		}
	},
	/** Renders what was typed without saving it (the same pipeline learners get). */
	preview: async ({ request, params }) => {
		requireRole('trainer', 'admin');
		const form = await request.formData();
		const text = String(form.get('text') ?? '');
		try {
			return { previewed: true, file: await authoring.fileView(params.course, params.name, text) };
		} catch (e) {
			return refuse(e, DomainError, (err) => ({ code: err.code, message: err.message, text }));
		}
	}
};
