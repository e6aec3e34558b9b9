import { bigint, boolean, index, integer, numeric, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';

/*
 * Department-level rollups for organisation-wide reports: a province's figures are read from a few
 * thousand department rows instead of every person's. One row per department and key, counting staff
 * (accounts not inactive) by their current department. Statement-level triggers
 * (drizzle/NNNN_insights_department_triggers.sql) keep them exact in the same transaction as every
 * write; tests/integration/rollup-departments.test.ts proves them equal to a recomputation from the
 * raw records after random activity.
 */

/** Staff per department. */
export const insightDeptStaff = pgTable('insight_dept_staff', {
	departmentId: integer('department_id').primaryKey(),
	staff: integer('staff').notNull()
});

/**
 * People per department and course, bucketed by the calendar year of their latest valid completion
 * (0: never completed) and whether they show any activity: "completed in the current period" of any
 * assignment is a sum over buckets.
 */
export const insightDeptCourse = pgTable(
	'insight_dept_course',
	{
		departmentId: integer('department_id').notNull(),
		courseId: text('course_id').notNull(),
		completedYear: integer('completed_year').notNull(),
		active: boolean('active').notNull(),
		people: integer('people').notNull()
	},
	(t) => [primaryKey({ columns: [t.departmentId, t.courseId, t.completedYear, t.active] })]
);

/** First-attempt points per department and competency, and the number of people behind them. */
export const insightDeptMastery = pgTable(
	'insight_dept_mastery',
	{
		departmentId: integer('department_id').notNull(),
		competencyId: text('competency_id').notNull(),
		people: integer('people').notNull(),
		earned: integer('earned').notNull(),
		possible: integer('possible').notNull()
	},
	(t) => [primaryKey({ columns: [t.departmentId, t.competencyId] })]
);

/** People per department and year, bucketed by their credit hours that year (a histogram: totals and "reached the target" for any target). */
export const insightDeptHours = pgTable(
	'insight_dept_hours',
	{
		departmentId: integer('department_id').notNull(),
		year: integer('year').notNull(),
		hours: numeric('hours', { precision: 8, scale: 1, mode: 'number' }).notNull(),
		people: integer('people').notNull()
	},
	(t) => [primaryKey({ columns: [t.departmentId, t.year, t.hours] })]
);

/**
 * Changes to the department rollups made by the current transaction, applied in one go when it
 * commits (a deferred trigger): the shared department rows are then locked only for the commit
 * itself, so a whole department taking a quiz at once does not queue behind each open transaction.
 * Always empty outside a transaction in progress.
 */
export const insightDeptDelta = pgTable(
	'insight_dept_delta',
	{
		txid: bigint('txid', { mode: 'number' }).notNull(),
		/** s: staff, c: course, m: mastery, h: hours. */
		kind: text('kind', { enum: ['s', 'c', 'm', 'h'] }).notNull(),
		departmentId: integer('department_id').notNull(),
		/** Course (c) or competency (m). */
		key: text('key'),
		year: integer('year'),
		active: boolean('active'),
		hours: numeric('hours', { precision: 8, scale: 1, mode: 'number' }),
		people: integer('people').notNull().default(0),
		earned: integer('earned').notNull().default(0),
		possible: integer('possible').notNull().default(0)
	},
	(t) => [index('insight_dept_delta_txid_idx').on(t.txid)]
);

/** One row per transaction with pending rollup changes; its deferred trigger applies them at commit. */
export const insightDeptFlush = pgTable('insight_dept_flush', {
	txid: bigint('txid', { mode: 'number' }).primaryKey()
});
