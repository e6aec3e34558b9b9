import { sql } from 'drizzle-orm';
import { boolean, date, index, integer, jsonb, numeric, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { course } from './content';
import { department, user } from './org';

/** Where a learner is in a course: started, last lesson seen ("continue where you stopped"). */
export const enrollment = pgTable(
	'enrollment',
	{
		userId: integer('user_id')
			.notNull()
			.references(() => user.id),
		courseId: text('course_id')
			.notNull()
			.references(() => course.id),
		startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
		lastLessonSlug: text('last_lesson_slug'),
		lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.userId, t.courseId] }), index('enrollment_course_idx').on(t.courseId)]
);

export const lessonProgress = pgTable(
	'lesson_progress',
	{
		userId: integer('user_id')
			.notNull()
			.references(() => user.id),
		courseId: text('course_id')
			.notNull()
			.references(() => course.id),
		lessonSlug: text('lesson_slug').notNull(),
		completedAt: timestamp('completed_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.userId, t.courseId, t.lessonSlug] })]
);

export type QuestionSlot = { id: string; options: number[] };

export const quizAttempt = pgTable(
	'quiz_attempt',
	{
		id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
		userId: integer('user_id')
			.notNull()
			.references(() => user.id),
		courseId: text('course_id')
			.notNull()
			.references(() => course.id),
		attemptNo: integer('attempt_no').notNull(),
		/** Calendar year the attempt was started; the attempt limit counts per year. */
		year: integer('year').notNull(),
		contentVersion: text('content_version').notNull(),
		locale: text('locale').notNull(),
		/** Question ids and option permutation as shown to this learner. */
		slots: jsonb('slots').$type<QuestionSlot[]>().notNull(),
		startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
		submittedAt: timestamp('submitted_at', { withTimezone: true }),
		pointsEarned: integer('points_earned'),
		pointsPossible: integer('points_possible'),
		score: integer('score'),
		passed: boolean('passed')
	},
	(t) => [
		uniqueIndex('quiz_attempt_user_course_no_key').on(t.userId, t.courseId, t.attemptNo),
		// At most one open attempt per learner and course: a double click cannot start two.
		uniqueIndex('quiz_attempt_open_key')
			.on(t.userId, t.courseId)
			.where(sql`${t.submittedAt} is null`),
		index('quiz_attempt_course_idx').on(t.courseId)
	]
);
export type QuizAttempt = typeof quizAttempt.$inferSelect;

/** One row per question answered: the raw material of item analysis and the skill-gap heatmap. */
export const attemptAnswer = pgTable(
	'attempt_answer',
	{
		attemptId: integer('attempt_id')
			.notNull()
			.references(() => quizAttempt.id),
		questionId: text('question_id').notNull(),
		courseId: text('course_id').notNull(),
		userId: integer('user_id').notNull(),
		competencyId: text('competency_id').notNull(),
		attemptNo: integer('attempt_no').notNull(),
		contentVersion: text('content_version').notNull(),
		keyHash: text('key_hash').notNull(),
		locale: text('locale').notNull(),
		pointsPossible: integer('points_possible').notNull(),
		pointsEarned: integer('points_earned').notNull(),
		correct: boolean('correct').notNull(),
		/** Chosen option indices (as in the file) or the typed text. */
		response: jsonb('response').$type<number[] | string>().notNull(),
		answeredAt: timestamp('answered_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		primaryKey({ columns: [t.attemptId, t.questionId] }),
		index('attempt_answer_question_idx').on(t.courseId, t.questionId),
		index('attempt_answer_first_idx')
			.on(t.userId, t.competencyId)
			.where(sql`${t.attemptNo} = 1`)
	]
);
export type AttemptAnswer = typeof attemptAnswer.$inferSelect;

export const completion = pgTable(
	'completion',
	{
		id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
		userId: integer('user_id')
			.notNull()
			.references(() => user.id),
		courseId: text('course_id')
			.notNull()
			.references(() => course.id),
		completedAt: timestamp('completed_at', { withTimezone: true }).notNull().defaultNow(),
		/** Year the hours count in. */
		year: integer('year').notNull(),
		/** The department the person was in when they completed. */
		departmentId: integer('department_id')
			.notNull()
			.references(() => department.id),
		hours: numeric('hours', { precision: 5, scale: 1, mode: 'number' }).notNull(),
		score: integer('score').notNull(),
		attemptId: integer('attempt_id').references(() => quizAttempt.id),
		contentVersion: text('content_version').notNull(),
		certificateCode: text('certificate_code').notNull(),
		revokedAt: timestamp('revoked_at', { withTimezone: true })
	},
	(t) => [
		uniqueIndex('completion_user_course_year_key').on(t.userId, t.courseId, t.year),
		uniqueIndex('completion_certificate_code_key').on(t.certificateCode),
		index('completion_course_idx').on(t.courseId),
		index('completion_completed_at_idx').on(t.completedAt)
	]
);
export type Completion = typeof completion.$inferSelect;

/**
 * A course assigned to a department subtree (the root department = the whole organisation).
 * For one person and course, the assignment on the nearest department up the tree applies.
 */
export const assignment = pgTable(
	'assignment',
	{
		id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
		courseId: text('course_id')
			.notNull()
			.references(() => course.id),
		departmentId: integer('department_id')
			.notNull()
			.references(() => department.id),
		dueDate: date('due_date', { mode: 'string' }).notNull(),
		recurrence: text('recurrence', { enum: ['none', 'yearly'] })
			.notNull()
			.default('none'),
		required: boolean('required').notNull().default(true),
		/**
		 * Relative due date: due this many days after the person joined the department or the assignment was
		 * made, whichever is later (then `due_date` is the date for people already there). Null: `due_date` for all.
		 */
		dueDays: integer('due_days'),
		/** Reminders go out this many days before each person's due date. */
		reminderOffsets: integer('reminder_offsets')
			.array()
			.notNull()
			.default(sql`'{14,3}'::int[]`),
		createdBy: integer('created_by').references(() => user.id),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
		endedAt: timestamp('ended_at', { withTimezone: true })
	},
	(t) => [index('assignment_department_idx').on(t.departmentId), index('assignment_course_idx').on(t.courseId)]
);
export type Assignment = typeof assignment.$inferSelect;
