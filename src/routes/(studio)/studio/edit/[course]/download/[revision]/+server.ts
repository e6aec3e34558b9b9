import { error } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guards';
import { revisionZip } from '$lib/server/authoring';
import { answer } from '$lib/server/route-errors';
import type { RequestHandler } from './$types';

/** A revision as a zip of the documented files (course, lessons, quiz, images/). */
export const GET: RequestHandler = async ({ params }) => {
	requireRole('trainer', 'admin');
	const number = Number(params.revision);
	if (!Number.isInteger(number) || number < 1) error(404, 'not found');
	const { name, bytes } = await answer(() => revisionZip(params.course, number));
	return new Response(bytes as BodyInit, {
		headers: {
			'content-type': 'application/zip',
			'content-disposition': `attachment; filename="${name}"`,
			'cache-control': 'private, no-store'
		}
	});
};
