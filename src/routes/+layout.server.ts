import type { LayoutServerLoad } from './$types';

/** Public: only tells the page who is signed in (their own name and roles) for the header. */
export const load: LayoutServerLoad = ({ locals }) => {
	const user = locals.user;
	return { user: user ? { username: user.username, displayName: user.displayName, roles: user.roles } : null };
};
