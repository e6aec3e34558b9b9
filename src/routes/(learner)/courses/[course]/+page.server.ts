import { error, redirect } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guards';
import * as learning from '$lib/server/learning';
import { formatter } from '$lib/format';
import { getLocale } from '$lib/paraglide/runtime';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params }) => {
	const user = requireUser();
	const course = learning.publishedCourse(params.course);
	if (!course) error(404, 'not found');
	const locale = getLocale();
	const view = await learning.courseView(user.id, course, locale);
	return {
		...view,
		completion: view.completion ? { ...view.completion, date: formatter(locale).date(view.completion.completedAt) } : null
	};
};

export const actions: Actions = {
	/** Enrols the learner and opens the first unfinished lesson. */
	start: async ({ params }) => {
		const user = requireUser();
		const course = learning.publishedCourse(params.course);
		if (!course) error(404, 'not found');
		redirect(303, await learning.startCourse(user.id, course));
	}
};
