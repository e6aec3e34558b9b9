import { requireScope } from '$lib/server/auth/guards';
import * as insights from '$lib/server/insights';
import { answer } from '$lib/server/route-errors';
import { getLocale } from '$lib/paraglide/runtime';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ url }) => {
	const user = requireScope();
	const ctx = await answer(() => insights.context(user.scope, url, getLocale()));
	const [overview, options] = await Promise.all([insights.overview(ctx), insights.filterOptions(ctx)]);
	return { overview, options, root: ctx.root, scope: ctx.scope, minPeople: insights.MIN_PEOPLE };
};
