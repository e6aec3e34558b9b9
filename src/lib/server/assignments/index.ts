import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { audit } from '../audit';
import { db, schema, type Executor } from '../db';

export const assignmentInput = z.object({
	courseId: z.string().min(1).max(100),
	departmentId: z.coerce.number().int().positive(),
	dueDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date as YYYY-MM-DD').refine((d) => !Number.isNaN(Date.parse(d)), 'not a date'),
	recurrence: z.enum(['none', 'yearly']).default('none'),
	required: z.coerce.boolean().default(true)
});
export type AssignmentInput = z.infer<typeof assignmentInput>;

export class AssignmentError extends Error {
	constructor(
		public code: 'unknown-course' | 'unknown-department' | 'out-of-scope' | 'not-found',
		message: string
	) {
		super(message);
	}
}

/**
 * Assigns a course to a department subtree. `scopePath` (an HR user's subtree) limits where it may go.
 * Audited in the same transaction.
 */
export async function createAssignment(input: AssignmentInput, by: { id: number; username: string }, scopePath?: string, executor: Executor = db) {
	const [course] = await executor.select({ id: schema.course.id }).from(schema.course).where(and(eq(schema.course.id, input.courseId), eq(schema.course.present, true)));
	if (!course) throw new AssignmentError('unknown-course', `unknown course ${input.courseId}`);
	const [dept] = await executor.select().from(schema.department).where(and(eq(schema.department.id, input.departmentId), eq(schema.department.active, true)));
	if (!dept) throw new AssignmentError('unknown-department', `unknown department ${input.departmentId}`);
	if (scopePath && !dept.path.startsWith(scopePath)) throw new AssignmentError('out-of-scope', 'department outside your scope');
	const run = async (tx: Executor) => {
		const [row] = await tx
			.insert(schema.assignment)
			.values({ courseId: input.courseId, departmentId: input.departmentId, dueDate: input.dueDate, recurrence: input.recurrence, required: input.required, createdBy: by.id })
			.returning();
		await audit({ action: 'assignment.create', targetType: 'assignment', targetId: row.id, after: row, actor: by }, tx);
		return row;
	};
	return executor === db ? db.transaction(run) : run(executor);
}

/** Ends an assignment (kept for history; it stops applying at once). */
export async function endAssignment(id: number, by: { id: number; username: string }) {
	return db.transaction(async (tx) => {
		const [before] = await tx.select().from(schema.assignment).where(and(eq(schema.assignment.id, id), isNull(schema.assignment.endedAt)));
		if (!before) throw new AssignmentError('not-found', `no active assignment ${id}`);
		const [after] = await tx.update(schema.assignment).set({ endedAt: new Date(), updatedAt: new Date() }).where(eq(schema.assignment.id, id)).returning();
		await audit({ action: 'assignment.end', targetType: 'assignment', targetId: id, before, after, actor: by }, tx);
		return after;
	});
}
