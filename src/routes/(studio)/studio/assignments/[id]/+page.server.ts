import { error, fail, redirect } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guards';
import * as assignments from '$lib/server/assignments';
import type { Actions, PageServerLoad } from './$types';

function idOf(param: string): number {
	const id = Number(param);
	// Ids are Postgres integers: a larger number is no assignment (and would fail the query).
	if (!Number.isSafeInteger(id) || id <= 0 || id > 2_147_483_647) error(404, 'not found');
	return id;
}

export const load: PageServerLoad = async ({ params, url }) => {
	requireRole('trainer', 'admin');
	const assignment = await assignments.getAssignment(idOf(params.id));
	if (!assignment) error(404, 'not found');
	return { assignment, saved: url.searchParams.has('saved') };
};

export const actions: Actions = {
	update: async ({ params, request }) => {
		const user = requireRole('trainer', 'admin');
		const id = idOf(params.id);
		const form = await request.formData();
		const values = { dueDate: String(form.get('dueDate') ?? ''), recurrence: String(form.get('recurrence') ?? ''), required: form.get('required') === 'on' || form.get('required') === 'true' };
		const parsed = assignments.assignmentEdit.safeParse(values);
		if (!parsed.success) return fail(400, { message: 'invalid', field: String(parsed.error.issues[0]?.path[0] ?? ''), values });
		try {
			await assignments.updateAssignment(id, parsed.data, user);
		} catch (e) {
			if (e instanceof assignments.AssignmentError) return fail(e.code === 'not-found' ? 404 : 400, { message: e.code, field: '', values });
			throw e;
		}
		redirect(303, `/studio/assignments/${id}?saved`);
	},
	end: async ({ params }) => {
		const user = requireRole('trainer', 'admin');
		const id = idOf(params.id);
		try {
			await assignments.endAssignment(id, user);
		} catch (e) {
			if (e instanceof assignments.AssignmentError) return fail(400, { message: 'ended', field: '', values: null });
			throw e;
		}
		redirect(303, `/studio/assignments/${id}?saved`);
	}
};
