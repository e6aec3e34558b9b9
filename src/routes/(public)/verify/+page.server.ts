import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';

/** Public: a form to type a certificate code; a submitted code goes to its verification page. */
export const load: PageServerLoad = ({ url }) => {
	const code = (url.searchParams.get('code') ?? '')
		.trim()
		.toLowerCase()
		.replace(/[\s-]+/g, '');
	if (code && /^[a-z0-9]{1,64}$/.test(code)) redirect(303, `/verify/${code}`);
	return { tried: code.length > 0 };
};
