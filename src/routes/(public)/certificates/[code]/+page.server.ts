import { error } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guards';
import * as learning from '$lib/server/learning';
import { formatter } from '$lib/format';
import { getLocale } from '$lib/paraglide/runtime';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, url }) => {
	const user = requireUser();
	// Not the holder (nor HR over them, nor an admin): the certificate does not exist for this user.
	const cert = await learning.certificateFor(user, params.code);
	if (!cert) error(404, 'not found');
	const locale = getLocale();
	return {
		code: cert.code,
		holderName: cert.holderName,
		department: locale === 'en' ? cert.departmentEn : cert.departmentZh,
		courseTitle: locale === 'en' ? cert.courseTitleEn : cert.courseTitleZh,
		hours: formatter(locale).dec(cert.hours),
		score: cert.score,
		date: formatter(locale).date(cert.completedAt),
		revoked: cert.revoked,
		verifyUrl: `${url.origin}/verify/${cert.code}`
	};
};
