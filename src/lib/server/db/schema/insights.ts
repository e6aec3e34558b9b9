import { boolean, index, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/*
 * Rollups for the HR insights, one row per person (never per department, so concurrent learners
 * never wait on a shared counter). Database triggers (drizzle/NNNN_insights_triggers.sql) keep them
 * exact in the same transaction as every write to the raw tables, whoever writes; the person's
 * current department and staff status are copied in so a department subtree is one index range.
 * A test proves they equal a recomputation from the raw records after random activity.
 */

/** Per person and course: any activity (enrolment, lesson, attempt) and the latest valid completion. */
export const insightUserCourse = pgTable(
	'insight_user_course',
	{
		userId: integer('user_id').notNull(),
		courseId: text('course_id').notNull(),
		/** The person's current department. */
		departmentId: integer('department_id').notNull(),
		/** Account not inactive: counted as staff, as the assignment views do. */
		staff: boolean('staff').notNull(),
		lastActivityAt: timestamp('last_activity_at', { withTimezone: true }),
		/** Latest completion that is not revoked. */
		lastCompletedAt: timestamp('last_completed_at', { withTimezone: true })
	},
	(t) => [primaryKey({ columns: [t.userId, t.courseId] }), index('insight_user_course_department_idx').on(t.departmentId, t.courseId)]
);

/** Per person, course and competency: the points of the first attempt (attempt_no = 1). */
export const insightFirstAttempt = pgTable(
	'insight_first_attempt',
	{
		userId: integer('user_id').notNull(),
		courseId: text('course_id').notNull(),
		competencyId: text('competency_id').notNull(),
		departmentId: integer('department_id').notNull(),
		staff: boolean('staff').notNull(),
		/** When the first attempt was answered (the period filter applies to it). */
		attemptedAt: timestamp('attempted_at', { withTimezone: true }).notNull(),
		pointsEarned: integer('points_earned').notNull(),
		pointsPossible: integer('points_possible').notNull(),
		answers: integer('answers').notNull()
	},
	(t) => [
		primaryKey({ columns: [t.userId, t.courseId, t.competencyId] }),
		index('insight_first_attempt_department_idx').on(t.departmentId, t.competencyId)
	]
);
