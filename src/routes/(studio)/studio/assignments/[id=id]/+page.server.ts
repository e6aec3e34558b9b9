import { error, fail, redirect } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guards';
import * as assignments from '$lib/server/assignments';
import { refuse } from '$lib/server/route-errors';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, url }) => {
	requireRole('trainer', 'admin');
	const assignment = await assignments.getAssignment(Number(params.id));
	if (!assignment) error(404, 'not found');
	return { assignment, saved: url.searchParams.has('saved') };
};

export const actions: Actions = {
	update: async ({ params, request }) => {
		const user = requireRole('trainer', 'admin');
		const id = Number(params.id);
		const form = await request.formData();
		const values = {
			dueDate: String(form.get('dueDate') ?? ''),
			dueDays: String(form.get('dueDays') ?? ''),
			reminderOffsets: String(form.get('reminderOffsets') ?? ''),
			recurrence: String(form.get('recurrence') ?? ''),
			required: form.get('required') === 'on' || form.get('required') === 'true'
		};
		const parsed = assignments.assignmentEdit.safeParse(values);
		if (!parsed.success) return fail(400, { message: 'invalid', field: String(parsed.error.issues[0]?.path[0] ?? ''), values });
		try {
			await assignments.updateAssignment(id, parsed.data, user);
		} catch (e) {
			return refuse(e, assignments.AssignmentError, (err) => ({ message: err.code, field: '', values }));
		}
		redirect(303, `/studio/assignments/${id}?saved`);
	},
	end: async ({ params }) => {
		const user = requireRole('trainer', 'admin');
		const id = Number(params.id);
		try {
			await assignments.endAssignment(id, user);
		} catch (e) {
			// Whatever stopped it (gone, already ended), the form says the assignment has ended.
			return refuse(e, assignments.AssignmentError, () => ({ message: 'ended', field: '', values: null }));
		}
		redirect(303, `/studio/assignments/${id}?saved`);
	}
};
