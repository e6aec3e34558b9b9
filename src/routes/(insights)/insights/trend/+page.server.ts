import { requireScope } from '$lib/server/auth/guards';
import * as insights from '$lib/server/insights';
import { answer } from '$lib/server/route-errors';
import { getLocale } from '$lib/paraglide/runtime';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ url }) => {
	const user = requireScope();
	const ctx = await answer(() => insights.context(user.scope, url, getLocale()));
	const [weeks, options] = await Promise.all([insights.weeklyTrend(ctx), insights.filterOptions(ctx)]);
	return { weeks, options, root: ctx.root };
};
