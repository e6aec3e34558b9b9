import { error, fail } from '@sveltejs/kit';
import { requireScope } from '$lib/server/auth/guards';
import * as insights from '$lib/server/insights';
import { answer } from '$lib/server/route-errors';
import { getLocale } from '$lib/paraglide/runtime';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, url }) => {
	const user = requireScope();
	const departmentId = Number(params.department);
	const ctx = await answer(() => insights.context(user.scope, url, getLocale()));
	const [cell, options] = await Promise.all([insights.gapCell(ctx, departmentId, params.competency), insights.filterOptions(ctx)]);
	if (!cell) error(404, 'not found');
	const due = new Date(Date.now() + 30 * 86_400_000);
	const defaultDue = `${due.getFullYear()}-${String(due.getMonth() + 1).padStart(2, '0')}-${String(due.getDate()).padStart(2, '0')}`;
	return { cell, options, root: ctx.root, defaultDue, minPeople: insights.MIN_PEOPLE };
};

export const actions: Actions = {
	default: async ({ params, request, url }) => {
		const user = requireScope();
		const departmentId = Number(params.department);
		const ctx = await answer(() => insights.context(user.scope, url, getLocale()));
		const form = await request.formData();
		const values = { dueDate: String(form.get('dueDate') ?? ''), courses: form.getAll('course').map(String) };
		const result = await insights.remediate(ctx, user, departmentId, params.competency, values);
		if (!result.ok) {
			if (result.reason === 'not-found') error(404, 'not found');
			return fail(400, { message: result.reason, values });
		}
		return { assigned: result.courses, dueDate: values.dueDate };
	}
};
