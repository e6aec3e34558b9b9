import { error } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guards';
import { courseImage } from '$lib/server/content';
import * as studio from '$lib/server/studio';
import type { RequestHandler } from './$types';

/** Images of any course, drafts included, for the previews. */
export const GET: RequestHandler = async ({ params }) => {
	requireRole('trainer', 'admin');
	const course = studio.findStudioCourse(params.course);
	const image = course && courseImage(course, params.name);
	if (!image) error(404, 'not found');
	return new Response(image.body as BodyInit, {
		headers: {
			'content-type': image.contentType,
			'x-content-type-options': 'nosniff',
			'cache-control': 'private, max-age=300',
			'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'"
		}
	});
};
