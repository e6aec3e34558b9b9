import { error } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guards';
import * as learning from '$lib/server/learning';
import type { RequestHandler } from './$types';

/** A lesson image (an SVG or an uploaded photo of the published revision), for signed-in learners. */
export const GET: RequestHandler = async ({ params }) => {
	requireUser();
	const image = learning.lessonImage(params.course, params.file);
	if (image === undefined) error(404, 'not found');
	return new Response(image.body as BodyInit, {
		headers: {
			'content-type': image.contentType,
			'x-content-type-options': 'nosniff',
			'cache-control': 'private, max-age=3600',
			// Opened on its own, an SVG is a document: no scripts, no outside requests.
			'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
		}
	});
};
