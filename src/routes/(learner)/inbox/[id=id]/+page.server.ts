import { requireUser } from '$lib/server/auth/guards';
import { openMessage, unreadCount } from '$lib/server/notifications/inbox';
import { answer } from '$lib/server/route-errors';
import { getLocale } from '$lib/paraglide/runtime';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params }) => {
	const user = requireUser();
	// Opening a message marks it read; someone else's message does not exist (404).
	const item = await answer(() => openMessage(user.id, Number(params.id), getLocale()));
	return { item, unread: await unreadCount(user.id) };
};
