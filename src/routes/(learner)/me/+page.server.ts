import { requireUser } from '$lib/server/auth/guards';
import * as learning from '$lib/server/learning';
import { formatter } from '$lib/format';
import { getLocale } from '$lib/paraglide/runtime';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	const user = requireUser();
	const locale = getLocale();
	const view = await learning.dashboard(user.id, locale);
	return {
		displayName: user.displayName,
		...view,
		certificates: view.certificates.map((c) => ({ ...c, date: formatter(locale).date(c.completedAt) }))
	};
};
