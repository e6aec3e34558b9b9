import { z } from 'zod';
import { AssignmentError, createAssignment } from '../assignments';
import { audit } from '../audit';
import { db, rows, sql } from '../db';
import { likePrefix, type Context } from './context';

export const remediationInput = z.object({
	dueDate: z
		.string()
		.regex(/^\d{4}-\d{2}-\d{2}$/, 'due-date')
		.refine(
			(d) => !d.startsWith('0000') && !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d),
			'due-date'
		),
	courses: z.array(z.string().min(1).max(100)).min(1, 'no-courses').max(50)
});

export type RemediationResult =
	| { ok: true; assignmentIds: number[]; courses: string[] }
	| { ok: false; reason: 'due-date' | 'due-past' | 'no-courses' | 'unknown-course' | 'not-found' };

/**
 * Assigns courses of a competency to a department (its whole subtree), required, one-off, due on the
 * chosen date, in one transaction with one audit entry for the remediation (and one per assignment,
 * written by the assignment service). Only courses tagged with the competency are accepted; the
 * department must be in the report's subtree. Learners see the assignments at once: /me reads the
 * assignment views.
 */
export async function remediate(
	ctx: Context,
	by: { id: number; username: string },
	departmentId: number,
	competencyId: string,
	input: { dueDate: unknown; courses: unknown },
	today = new Date()
): Promise<RemediationResult> {
	const parsed = remediationInput.safeParse(input);
	if (!parsed.success) {
		const reason = parsed.error.issues[0]?.message;
		return { ok: false, reason: reason === 'no-courses' ? 'no-courses' : reason === 'due-date' ? 'due-date' : 'unknown-course' };
	}
	const { dueDate } = parsed.data;
	const courses = [...new Set(parsed.data.courses)];
	const todayText = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, '0')}-${String(today.getDate()).padStart(2, '0')}`;
	if (dueDate < todayText) return { ok: false, reason: 'due-past' };
	const allowed = await rows<{ id: string }>(
		db,
		sql`select c.id from course c, department d
		where d.id = ${departmentId} and d.path like ${likePrefix(ctx.root.path)} and d.active
			and c.present and not c.draft and ${competencyId} = any(c.competencies)`
	);
	if (!allowed.length) return { ok: false, reason: 'not-found' };
	const allowedIds = new Set(allowed.map((r) => r.id));
	if (!courses.every((c) => allowedIds.has(c))) return { ok: false, reason: 'unknown-course' };
	try {
		const ids = await db.transaction(async (tx) => {
			const made: number[] = [];
			for (const courseId of courses) {
				const row = await createAssignment({ courseId, departmentId, dueDate, recurrence: 'none', required: true }, by, ctx.scope.path, tx);
				made.push(row.id);
			}
			await audit(
				{
					action: 'insights.remediation',
					targetType: 'department',
					targetId: departmentId,
					after: { competencyId, courses, dueDate, assignmentIds: made },
					actor: by
				},
				tx
			);
			return made;
		});
		return { ok: true, assignmentIds: ids, courses };
	} catch (err) {
		if (err instanceof AssignmentError) return { ok: false, reason: err.code === 'unknown-course' ? 'unknown-course' : 'not-found' };
		throw err;
	}
}
