import { customType, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { user } from './org';

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
	dataType: () => 'bytea'
});

export const REVISION_STATES = ['draft', 'in_review', 'published', 'retired'] as const;
export type RevisionState = (typeof REVISION_STATES)[number];

/** A course's documented files (`course.zh-CN.md`, `01-x.en.md`, `quiz.en.md` …) relative to its folder. */
export type RevisionFiles = Record<string, string>;

/**
 * One version of a course: its files as the format documents them. Immutable once published (a
 * rollback publishes a copy); a draft is edited in place until it goes to review.
 */
export const courseRevision = pgTable(
	'course_revision',
	{
		id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
		courseId: text('course_id').notNull(),
		/** 1, 2, 3 … per course. */
		number: integer('number').notNull(),
		/** Folder name in content/courses (`01-smart-government-basics`): position and URL slug. */
		dir: text('dir').notNull(),
		state: text('state', { enum: REVISION_STATES }).notNull().default('draft'),
		/** files: imported from content/ at start; browser: written in the studio; import: content:import or GIFT. */
		source: text('source', { enum: ['files', 'browser', 'import'] }).notNull(),
		files: jsonb('files').$type<RevisionFiles>().notNull(),
		/** Hash of files and images: the course version attempts and answers record. */
		version: text('version').notNull(),
		basedOn: integer('based_on'),
		authorId: integer('author_id').references(() => user.id),
		reviewerId: integer('reviewer_id').references(() => user.id),
		reviewComment: text('review_comment'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
		submittedAt: timestamp('submitted_at', { withTimezone: true }),
		publishedAt: timestamp('published_at', { withTimezone: true }),
		retiredAt: timestamp('retired_at', { withTimezone: true })
	},
	(t) => [
		uniqueIndex('course_revision_course_number_key').on(t.courseId, t.number),
		index('course_revision_state_idx').on(t.state, t.courseId),
		index('course_revision_version_idx').on(t.courseId, t.version)
	]
);
export type CourseRevision = typeof courseRevision.$inferSelect;

/** A course image, stored per revision (copied into the next draft). */
export const revisionImage = pgTable(
	'revision_image',
	{
		revisionId: integer('revision_id')
			.notNull()
			.references(() => courseRevision.id, { onDelete: 'cascade' }),
		name: text('name').notNull(),
		contentType: text('content_type').notNull(),
		size: integer('size').notNull(),
		alt: text('alt').notNull().default(''),
		bytes: bytea('bytes').notNull()
	},
	(t) => [primaryKey({ columns: [t.revisionId, t.name] })]
);
export type RevisionImage = typeof revisionImage.$inferSelect;

/** The competency framework (content/competencies.yaml), newest row current. */
export const competencyFramework = pgTable('competency_framework', {
	id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
	yaml: text('yaml').notNull(),
	version: text('version').notNull(),
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
});

/** One row: bumped by every publish; each request compares it with the library it holds. */
export const libraryState = pgTable('library_state', {
	id: integer('id').primaryKey(),
	counter: integer('counter').notNull().default(0),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
});
