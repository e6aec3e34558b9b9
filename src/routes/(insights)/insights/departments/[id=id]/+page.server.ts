import { requireScope } from '$lib/server/auth/guards';
import * as insights from '$lib/server/insights';
import { answer } from '$lib/server/route-errors';
import { getLocale } from '$lib/paraglide/runtime';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, url }) => {
	const user = requireScope();
	const id = Number(params.id);
	const ctx = await answer(() => insights.context(user.scope, url, getLocale(), { department: id }));
	const page = Math.max(1, Math.min(100_000, Number(url.searchParams.get('page')) || 1));
	const [staff, matrix, map, crumbs, options] = await Promise.all([
		insights.departmentStaff(ctx, page),
		insights.completionMatrix(ctx),
		insights.heatmap(ctx),
		insights.breadcrumbs(ctx, ctx.root.path),
		insights.filterOptions(ctx)
	]);
	return {
		staff,
		matrix,
		map,
		crumbs,
		options,
		root: ctx.root,
		year: ctx.year,
		periodFiltered: Boolean(ctx.filters.from || ctx.filters.to)
	};
};
