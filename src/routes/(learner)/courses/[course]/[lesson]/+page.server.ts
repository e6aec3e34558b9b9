import { error, redirect } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guards';
import * as learning from '$lib/server/learning';
import { getLocale } from '$lib/paraglide/runtime';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params }) => {
	const user = requireUser();
	const course = learning.publishedCourse(params.course);
	if (!course) error(404, 'not found');
	const view = await learning.lessonView(user.id, course, params.lesson, getLocale());
	if (!view) error(404, 'not found');
	return view;
};

export const actions: Actions = {
	/** Records the lesson as done (idempotent) and goes on to the next step. */
	done: async ({ params }) => {
		const user = requireUser();
		const course = learning.publishedCourse(params.course);
		if (!course) error(404, 'not found');
		const result = await learning.markLessonDone(user.id, course, params.lesson);
		if (!result) error(404, 'not found');
		redirect(303, result.nextHref);
	}
};
