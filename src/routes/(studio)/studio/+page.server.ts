import { requireRole } from '$lib/server/auth/guards';
import * as studio from '$lib/server/studio';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	requireRole('trainer', 'admin');
	return studio.courseList();
};
