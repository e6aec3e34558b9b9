import { z } from 'zod';
import { requireUser } from '$lib/server/auth/guards';
import { inbox, markAllRead } from '$lib/server/notifications/inbox';
import { getLocale } from '$lib/paraglide/runtime';
import type { Actions, PageServerLoad } from './$types';

const query = z.object({ before: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional().catch(undefined) });

export const load: PageServerLoad = async ({ url }) => {
	const user = requireUser();
	const q = query.parse(Object.fromEntries(url.searchParams));
	return inbox(user.id, getLocale(), q.before);
};

export const actions: Actions = {
	read: async () => {
		const user = requireUser();
		await markAllRead(user.id);
		return { read: true };
	}
};
