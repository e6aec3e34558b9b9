// What an assignment form may say: a course and a department, a fixed date or a number of days after
// joining, reminder offsets, recurrence and the required flag. Form values arrive as strings.
import { z } from 'zod';

/** A real calendar date (Date.parse accepts 2025-02-30), within a sensible range. */
function isCalendarDate(value: string): boolean {
	const [y, m, d] = value.split('-').map(Number);
	const date = new Date(Date.UTC(y, m - 1, d));
	return y >= 2000 && y <= 2100 && date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

const dueDate = z
	.string()
	.regex(/^\d{4}-\d{2}-\d{2}$/, 'date as YYYY-MM-DD')
	.refine(isCalendarDate, 'not a date between 2000 and 2100');
// Form values arrive as strings: "false", "off" and "0" mean false (z.coerce.boolean would say true).
const flag = z.preprocess(
	(v) => (typeof v === 'string' ? !['false', 'off', '0', 'no', ''].includes(v.trim().toLowerCase()) : v),
	z.boolean().default(true)
);

const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
/** Relative due date: days after the person joined the department or was assigned (empty: a fixed date). */
const dueDays = z.preprocess(blank, z.coerce.number().int().min(1).max(3650).nullable().default(null));
/** Reminder offsets, days before each person's due date: "14, 3" or [14, 3]; empty: none. */
export const DEFAULT_REMINDER_OFFSETS = [14, 3];
const reminderOffsets = z.preprocess(
	(v) => (typeof v === 'string' ? (v.trim() === '' ? [] : v.split(/[,，\s]+/).filter(Boolean)) : v),
	z
		.array(z.coerce.number().int().min(0).max(365))
		.max(10)
		.transform((a) => [...new Set(a)].sort((x, y) => y - x))
		.default(DEFAULT_REMINDER_OFFSETS)
);
/** A fixed date, or (for one-off assignments) a number of days; the date may then be left empty. */
const terms = <T extends z.ZodRawShape>(shape: T) =>
	z.object({ ...shape, dueDate: z.union([dueDate, z.literal('')]).default(''), dueDays, reminderOffsets }).superRefine((v, ctx) => {
		const t = v as unknown as { dueDate: string; dueDays: number | null; recurrence?: string };
		if (t.dueDays === null && !t.dueDate) ctx.addIssue({ code: 'custom', path: ['dueDate'], message: 'a due date or a number of days' });
		if (t.dueDays !== null && t.recurrence === 'yearly')
			ctx.addIssue({ code: 'custom', path: ['dueDays'], message: 'a yearly assignment needs a fixed date' });
	});

export const assignmentInput = terms({
	courseId: z.string().min(1).max(100),
	departmentId: z.coerce.number().int().positive().max(2_147_483_647),
	recurrence: z.enum(['none', 'yearly']).default('none'),
	required: flag
});

/** Relative days and reminder offsets may be left out (a fixed date, the default reminders). */
type Loose<T> = Omit<T, 'dueDays' | 'reminderOffsets'> & { dueDays?: number | null; reminderOffsets?: number[] };
export type AssignmentInput = Loose<z.infer<typeof assignmentInput>>;

export const assignmentEdit = terms({
	recurrence: z.enum(['none', 'yearly']),
	required: flag
});
export type AssignmentEdit = Loose<z.infer<typeof assignmentEdit>>;
