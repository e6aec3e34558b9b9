import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { requireRole } from '$lib/server/auth/guards';
import * as assignments from '$lib/server/assignments';
import { refuse } from '$lib/server/route-errors';
import type { Actions, PageServerLoad } from './$types';

const explainQuery = z.object({
	department: z.coerce.number().int().positive().optional(),
	person: z.string().trim().min(1).max(100).optional()
});

export const load: PageServerLoad = async ({ url }) => {
	const user = requireRole('trainer', 'admin');
	// A person's name and completions are for administrators; trainers see each department's coverage counts.
	const mayLookUpPeople = user.roles.includes('admin');
	const query = explainQuery.safeParse({
		department: url.searchParams.get('department') || undefined,
		person: url.searchParams.get('person') || undefined
	});
	const asked = query.success ? query.data : {};
	const personRefused = Boolean(asked.person) && !mayLookUpPeople;
	const explanation = personRefused
		? undefined
		: asked.person
			? await assignments.explainPerson(asked.person)
			: asked.department
				? await assignments.explainDepartment(asked.department)
				: undefined;
	return {
		assignments: await assignments.listAssignments({ includeEnded: url.searchParams.get('ended') === '1' }),
		showEnded: url.searchParams.get('ended') === '1',
		departments: await assignments.departmentOptions(),
		courses: await assignments.courseOptions(),
		explain: {
			department: asked.department ?? null,
			mayLookUpPeople,
			person: mayLookUpPeople ? (asked.person ?? '') : '',
			personRefused,
			notFound: !personRefused && Boolean((asked.person || asked.department) && !explanation),
			result: explanation ?? null
		},
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
			dueDays: String(form.get('dueDays') ?? ''),
			reminderOffsets: String(form.get('reminderOffsets') ?? ''),
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
			return refuse(e, assignments.AssignmentError, (err) => ({ message: err.code, field: '', values }));
		}
		redirect(303, `/studio/assignments?created=${row.id}#assignment-${row.id}`);
	}
};
