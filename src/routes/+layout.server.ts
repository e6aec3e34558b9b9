import { unreadCount } from '$lib/server/notifications/inbox';
import type { LayoutServerLoad } from './$types';

/** Public: only tells the page who is signed in (their own name and roles) and their unread messages, for the header. */
export const load: LayoutServerLoad = async ({ locals }) => {
	const user = locals.user;
	return {
		user: user ? { username: user.username, displayName: user.displayName, roles: user.roles } : null,
		unread: user ? await unreadCount(user.id) : 0
	};
};
