import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { requireRole } from '$lib/server/auth/guards';
import * as assignments from '$lib/server/assignments';
import type { Actions, PageServerLoad } from './$types';

const explainQuery = z.object({ department: z.coerce.number().int().positive().optional(), person: z.string().trim().min(1).max(100).optional() });

export const load: PageServerLoad = async ({ url }) => {
	requireRole('trainer', 'admin');
	const query = explainQuery.safeParse({ department: url.searchParams.get('department') || undefined, person: url.searchParams.get('person') || undefined });
	const asked = query.success ? query.data : {};
	const explanation = asked.person ? await assignments.explainPerson(asked.person) : asked.department ? await assignments.explainDepartment(asked.department) : undefined;
	return {
		assignments: await assignments.listAssignments({ includeEnded: url.searchParams.get('ended') === '1' }),
		showEnded: url.searchParams.get('ended') === '1',
		departments: await assignments.departmentOptions(),
		courses: await assignments.courseOptions(),
		explain: { department: asked.department ?? null, person: asked.person ?? '', notFound: Boolean((asked.person || asked.department) && !explanation), result: explanation ?? null },
		created: url.searchParams.get('created')
	};
};

export const actions: Actions = {
	create: async ({ request }) => {
		const user = requireRole('trainer', 'admin');
		const form = await request.formData();
		const values = {
			courseId: String(form.get('courseId') ?? ''),
			departmentId: String(form.get('departmentId') ?? ''),
			dueDate: String(form.get('dueDate') ?? ''),
			recurrence: String(form.get('recurrence') ?? 'none'),
			// An unticked checkbox sends nothing: recommended.
			required: form.get('required') === 'on' || form.get('required') === 'true'
		};
		const parsed = assignments.assignmentInput.safeParse(values);
		if (!parsed.success) return fail(400, { message: 'invalid', field: String(parsed.error.issues[0]?.path[0] ?? ''), values });
		let row;
		try {
			row = await assignments.createAssignment(parsed.data, user);
		} catch (e) {
			if (e instanceof assignments.AssignmentError) return fail(400, { message: e.code, field: '', values });
			throw e;
		}
		redirect(303, `/studio/assignments?created=${row.id}#assignment-${row.id}`);
	}
};
