import { error } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guards';
import { draftImage } from '$lib/server/authoring';
import type { RequestHandler } from './$types';

/** An image of the course's open draft (else its published revision), for the studio previews. */
export const GET: RequestHandler = async ({ params }) => {
	requireRole('trainer', 'admin');
	const image = await draftImage(params.course, params.name);
	if (!image) error(404, 'not found');
	return new Response(image.bytes as BodyInit, {
		headers: {
			'content-type': image.contentType,
			'x-content-type-options': 'nosniff',
			'cache-control': 'private, no-store',
			'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'"
		}
	});
};
