import { m } from '$lib/paraglide/messages';

/** The message for an assignment form failure (a service error code, or the invalid field). */
export function assignmentError(code: string, field = ''): string {
	switch (code) {
		case 'unknown-course':
			return m.studio_err_course();
		case 'draft-course':
			return m.studio_err_draft();
		case 'unknown-department':
		case 'out-of-scope':
			return m.studio_err_department();
		case 'ended':
			return m.studio_err_ended();
		case 'not-found':
			return m.studio_err_not_found();
	}
	if (field === 'dueDate') return m.studio_err_due();
	if (field === 'dueDays') return m.mail_assign_due_days_bad();
	if (field === 'reminderOffsets') return m.mail_assign_offsets_bad();
	if (field === 'courseId') return m.studio_err_course();
	if (field === 'departmentId') return m.studio_err_department();
	return m.studio_err_invalid();
}
