import { z } from 'zod';
import { requireUser } from '$lib/server/auth/guards';
import * as learning from '$lib/server/learning';
import { getLocale } from '$lib/paraglide/runtime';
import type { PageServerLoad } from './$types';

const filterSchema = z.object({
	q: z.string().trim().max(100).optional(),
	competency: z
		.string()
		.regex(/^[a-z0-9-]{1,64}$/)
		.optional()
});

export const load: PageServerLoad = async ({ url }) => {
	const user = requireUser();
	const parsed = filterSchema.safeParse({
		q: url.searchParams.get('q') || undefined,
		competency: url.searchParams.get('competency') || undefined
	});
	const filter = parsed.success ? parsed.data : {};
	const locale = getLocale();
	return {
		courses: await learning.catalogue(user.id, filter, locale),
		competencies: learning.competencyNames(locale),
		filter: { q: filter.q ?? '', competency: filter.competency ?? '' },
		invalid: !parsed.success
	};
};
