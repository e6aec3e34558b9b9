import { error } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guards';
import * as learning from '$lib/server/learning';
import type { RequestHandler } from './$types';

/** A lesson diagram (SVG from the course folder), for signed-in learners of published courses. */
export const GET: RequestHandler = async ({ params }) => {
	requireUser();
	const svg = learning.lessonImage(params.course, params.file);
	if (svg === undefined) error(404, 'not found');
	return new Response(svg, {
		headers: {
			'content-type': 'image/svg+xml; charset=utf-8',
			'cache-control': 'private, max-age=3600',
			// Opened on its own, an SVG is a document: no scripts, no outside requests.
			'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
		}
	});
};
