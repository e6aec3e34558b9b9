import { error } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guards';
import { getLocale } from '$lib/paraglide/runtime';
import * as studio from '$lib/server/studio';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, url }) => {
	requireRole('trainer', 'admin');
	const course = studio.findStudioCourse(params.course);
	if (!course) error(404, 'not found');
	const lang = studio.previewLocale(url.searchParams.get('lang'), getLocale());
	return {
		lang,
		course: { slug: course.slug, title: course.title[lang], draft: course.draft },
		analysis: await studio.analysisView(course, lang)
	};
};
