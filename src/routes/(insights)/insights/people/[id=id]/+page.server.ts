import { error } from '@sveltejs/kit';
import { requireScope } from '$lib/server/auth/guards';
import * as insights from '$lib/server/insights';
import { answer } from '$lib/server/route-errors';
import { getLocale } from '$lib/paraglide/runtime';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, url }) => {
	const user = requireScope();
	const id = Number(params.id);
	const ctx = await answer(() => insights.context(user.scope, url, getLocale()));
	const record = await insights.personRecord(ctx, id);
	if (!record) error(404, 'not found');
	const [crumbs, courses, competencies, options] = await Promise.all([
		insights.breadcrumbs(ctx, record.person.departmentPath),
		insights.courseColumns(ctx),
		insights.competencyColumns(ctx),
		insights.filterOptions(ctx)
	]);
	return { record, crumbs, courses, competencies, options, year: ctx.year, periodFiltered: Boolean(ctx.filters.from || ctx.filters.to) };
};
