import { boolean, index, integer, numeric, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/** Synced from content/competencies.yaml at start. */
export const competency = pgTable('competency', {
	id: text('id').primaryKey(),
	nameZh: text('name_zh').notNull(),
	nameEn: text('name_en').notNull(),
	position: integer('position').notNull().default(0)
});
export type Competency = typeof competency.$inferSelect;

/** Synced from content/courses/ at start; the Markdown files stay the source of truth. */
export const course = pgTable('course', {
	id: text('id').primaryKey(),
	slug: text('slug').notNull().unique(),
	position: integer('position').notNull().default(0),
	titleZh: text('title_zh').notNull(),
	titleEn: text('title_en').notNull(),
	summaryZh: text('summary_zh').notNull().default(''),
	summaryEn: text('summary_en').notNull().default(''),
	hours: numeric('hours', { precision: 5, scale: 1, mode: 'number' }).notNull(),
	competencies: text('competencies').array().notNull(),
	level: text('level').notNull(),
	passScore: integer('pass_score').notNull(),
	attemptLimit: integer('attempt_limit').notNull(),
	shuffle: boolean('shuffle').notNull().default(false),
	draft: boolean('draft').notNull().default(false),
	/** Still present in content/; removed courses stay for history but leave the catalogue. */
	present: boolean('present').notNull().default(true),
	contentVersion: text('content_version').notNull(),
	lessonCount: integer('lesson_count').notNull().default(0),
	questionCount: integer('question_count').notNull().default(0),
	syncedAt: timestamp('synced_at', { withTimezone: true }).notNull().defaultNow()
});
export type Course = typeof course.$inferSelect;

export const lesson = pgTable(
	'lesson',
	{
		courseId: text('course_id')
			.notNull()
			.references(() => course.id),
		slug: text('slug').notNull(),
		position: integer('position').notNull(),
		titleZh: text('title_zh').notNull(),
		titleEn: text('title_en').notNull(),
		minutes: integer('minutes'),
		draft: boolean('draft').notNull().default(false),
		present: boolean('present').notNull().default(true)
	},
	(t) => [primaryKey({ columns: [t.courseId, t.slug] })]
);
export type Lesson = typeof lesson.$inferSelect;

/** The question bank: stable ids shared by both languages; texts stay in the Markdown. */
export const question = pgTable(
	'question',
	{
		courseId: text('course_id')
			.notNull()
			.references(() => course.id),
		id: text('id').notNull(),
		position: integer('position').notNull(),
		type: text('type', { enum: ['single', 'multiple', 'true-false', 'short'] }).notNull(),
		competencyId: text('competency_id').notNull(),
		points: integer('points').notNull().default(1),
		optionCount: integer('option_count').notNull().default(0),
		/** Hash of the answer key: when it changes, item statistics start fresh. */
		keyHash: text('key_hash').notNull(),
		present: boolean('present').notNull().default(true)
	},
	(t) => [primaryKey({ columns: [t.courseId, t.id] }), index('question_competency_idx').on(t.competencyId)]
);
export type Question = typeof question.$inferSelect;

/** One row: the version of the content last synced, so concurrent starts sync once. */
export const contentState = pgTable('content_state', {
	id: integer('id').primaryKey(),
	version: text('version').notNull(),
	syncedAt: timestamp('synced_at', { withTimezone: true }).notNull().defaultNow()
});
