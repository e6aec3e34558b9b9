import { requireUser } from '$lib/server/auth/guards';
import * as learning from '$lib/server/learning';
import { calendarFeed, calendarUrl, renewCalendarFeed } from '$lib/server/learning/calendar';
import { formatter } from '$lib/format';
import { getLocale } from '$lib/paraglide/runtime';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ url }) => {
	const user = requireUser();
	const locale = getLocale();
	const [view, feed] = await Promise.all([learning.dashboard(user.id, locale), calendarFeed(user.id)]);
	return {
		displayName: user.displayName,
		...view,
		certificates: view.certificates.map((c) => ({ ...c, date: formatter(locale).date(c.completedAt) })),
		calendar: feed ? calendarUrl(url.origin, feed.token) : null
	};
};

export const actions: Actions = {
	calendar: async () => {
		const user = requireUser();
		await renewCalendarFeed(user);
		return { calendar: 'renewed' as const };
	}
};
