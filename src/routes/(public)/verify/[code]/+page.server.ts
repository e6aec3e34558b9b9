import { error } from '@sveltejs/kit';
import * as learning from '$lib/server/learning';
import { formatter } from '$lib/format';
import { getLocale } from '$lib/paraglide/runtime';
import type { PageServerLoad } from './$types';

/** Public by design: anyone holding a code may check it. Holder, course, date, validity; nothing else. */
export const load: PageServerLoad = async ({ params }) => {
	const found = await learning.verifyCertificate(params.code);
	if (!found) error(404, 'not found');
	const locale = getLocale();
	return {
		code: found.code,
		holderName: found.holderName,
		courseTitle: locale === 'en' ? found.courseTitleEn : found.courseTitleZh,
		date: formatter(locale).date(found.completedAt),
		valid: found.valid
	};
};
