import { error } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guards';
import * as authoring from '$lib/server/authoring';
import { answer } from '$lib/server/route-errors';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, url }) => {
	requireRole('trainer', 'admin');
	const from = Number(url.searchParams.get('from'));
	const to = Number(url.searchParams.get('to'));
	if (!Number.isInteger(from) || !Number.isInteger(to) || from < 1 || to < 1) error(400, 'from and to are revision numbers');
	return { courseId: params.course, diff: await answer(() => authoring.diff(params.course, from, to)) };
};
