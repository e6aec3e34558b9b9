import { requireScope } from '$lib/server/auth/guards';
import * as insights from '$lib/server/insights';
import { answer } from '$lib/server/route-errors';
import { getLocale } from '$lib/paraglide/runtime';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ url }) => {
	const user = requireScope();
	const ctx = await answer(() => insights.context(user.scope, url, getLocale()));
	const sortBy = url.searchParams.get('sort');
	const sort = sortBy
		? { competency: sortBy, dir: url.searchParams.get('dir') === 'desc' ? ('desc' as const) : ('asc' as const) }
		: undefined;
	const [map, gaps, options] = await Promise.all([
		insights.heatmap(ctx, insights.parseExpand(url), sort),
		insights.largestGaps(ctx, 5),
		insights.filterOptions(ctx)
	]);
	return { map, gaps, options, root: ctx.root, minPeople: insights.MIN_PEOPLE };
};
