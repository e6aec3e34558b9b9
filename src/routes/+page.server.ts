import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';

/** Public: sends each person to their home (the login page when signed out). */
export const load: PageServerLoad = ({ locals }) => {
	redirect(303, locals.user ? '/me' : '/login');
};
