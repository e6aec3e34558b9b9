import { error } from '@sveltejs/kit';
import { calendarIcs } from '$lib/server/learning/calendar';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params }) => {
	// Public by design: calendar apps cannot sign in; the private token is the credential (see calendar.ts).
	const ics = await calendarIcs(params.token);
	if (!ics) error(404, 'not found');
	return new Response(ics, {
		headers: {
			'content-type': 'text/calendar; charset=utf-8',
			'content-disposition': 'inline; filename="govlearn.ics"',
			'cache-control': 'private, max-age=300',
			'referrer-policy': 'no-referrer'
		}
	});
};
