import { and, eq, isNull, sql } from 'drizzle-orm';
import { audit } from '../audit';
import { db, rows, schema, type Executor } from '../db';
import { DomainError, type ErrorKind } from '../errors';
import { notifyAssignment } from '../notifications/events';
import { assignmentEdit, assignmentInput, DEFAULT_REMINDER_OFFSETS, type AssignmentEdit, type AssignmentInput } from './input';

export { assignmentEdit, assignmentInput, DEFAULT_REMINDER_OFFSETS, type AssignmentEdit, type AssignmentInput };

/** The stored date: the fixed one, or for a relative assignment the date of the people already there. */
function storedDueDate(input: { dueDate: string; dueDays?: number | null }, from = new Date()): string {
	if (input.dueDays === null || input.dueDays === undefined) return input.dueDate;
	return new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate() + input.dueDays)).toISOString().slice(0, 10);
}

export type AssignmentProblem = 'unknown-course' | 'draft-course' | 'unknown-department' | 'out-of-scope' | 'not-found' | 'ended';

const KIND: Partial<Record<AssignmentProblem, ErrorKind>> = { 'not-found': 'not-found', 'out-of-scope': 'forbidden', ended: 'conflict' };

export class AssignmentError extends DomainError<AssignmentProblem> {
	constructor(code: AssignmentProblem, message: string) {
		super(KIND[code] ?? 'invalid', code, message);
	}
}

/**
 * Assigns a course to a department subtree. `scopePath` (an HR user's subtree) limits where it may go.
 * Audited in the same transaction.
 */
export async function createAssignment(
	input: AssignmentInput,
	by: { id: number; username: string },
	scopePath?: string,
	executor: Executor = db
) {
	const [course] = await executor
		.select({ id: schema.course.id, draft: schema.course.draft })
		.from(schema.course)
		.where(and(eq(schema.course.id, input.courseId), eq(schema.course.present, true)));
	if (!course) throw new AssignmentError('unknown-course', `unknown course ${input.courseId}`);
	// Learners cannot open a draft, so it cannot be required of them.
	if (course.draft) throw new AssignmentError('draft-course', `course ${input.courseId} is a draft`);
	const [dept] = await executor
		.select()
		.from(schema.department)
		.where(and(eq(schema.department.id, input.departmentId), eq(schema.department.active, true)));
	if (!dept) throw new AssignmentError('unknown-department', `unknown department ${input.departmentId}`);
	if (scopePath && !dept.path.startsWith(scopePath)) throw new AssignmentError('out-of-scope', 'department outside your scope');
	const run = async (tx: Executor) => {
		const [row] = await tx
			.insert(schema.assignment)
			.values({
				courseId: input.courseId,
				departmentId: input.departmentId,
				dueDate: storedDueDate(input),
				dueDays: input.dueDays ?? null,
				reminderOffsets: input.reminderOffsets ?? DEFAULT_REMINDER_OFFSETS,
				recurrence: input.recurrence,
				required: input.required,
				createdBy: by.id
			})
			.returning();
		await audit({ action: 'assignment.create', targetType: 'assignment', targetId: row.id, after: row, actor: by }, tx);
		await notifyAssignment(tx, row.id);
		return row;
	};
	return executor === db ? db.transaction(run) : run(executor);
}

/** Ends an assignment (kept for history; it stops applying at once). */
export async function endAssignment(id: number, by: { id: number; username: string }) {
	return db.transaction(async (tx) => {
		const [before] = await tx
			.select()
			.from(schema.assignment)
			.where(and(eq(schema.assignment.id, id), isNull(schema.assignment.endedAt)));
		if (!before) throw new AssignmentError('not-found', `no active assignment ${id}`);
		const [after] = await tx
			.update(schema.assignment)
			.set({ endedAt: new Date(), updatedAt: new Date() })
			.where(eq(schema.assignment.id, id))
			.returning();
		await audit({ action: 'assignment.end', targetType: 'assignment', targetId: id, before, after, actor: by }, tx);
		return after;
	});
}

/** Changes the due date, recurrence or required flag of an active assignment. Audited. */
export async function updateAssignment(id: number, input: AssignmentEdit, by: { id: number; username: string }) {
	return db.transaction(async (tx) => {
		const [before] = await tx.select().from(schema.assignment).where(eq(schema.assignment.id, id));
		if (!before) throw new AssignmentError('not-found', `no assignment ${id}`);
		if (before.endedAt) throw new AssignmentError('ended', `assignment ${id} has ended`);
		const [after] = await tx
			.update(schema.assignment)
			.set({
				dueDate: storedDueDate(input, before.createdAt),
				dueDays: input.dueDays ?? null,
				reminderOffsets: input.reminderOffsets ?? DEFAULT_REMINDER_OFFSETS,
				recurrence: input.recurrence,
				required: input.required,
				updatedAt: new Date()
			})
			.where(eq(schema.assignment.id, id))
			.returning();
		await audit({ action: 'assignment.update', targetType: 'assignment', targetId: id, before, after, actor: by }, tx);
		return after;
	});
}

export interface AssignmentRow {
	id: number;
	courseId: string;
	courseTitleZh: string;
	courseTitleEn: string;
	departmentId: number;
	departmentCode: string;
	departmentNameZh: string;
	departmentNameEn: string;
	dueDate: string;
	/** This period's due date (yearly assignments move each calendar year). */
	currentDue: string;
	recurrence: 'none' | 'yearly';
	required: boolean;
	/** Relative due date: days after joining the department or the assignment (null: the date for everyone). */
	dueDays: number | null;
	/** Reminders, days before each person's due date. */
	reminderOffsets: number[];
	createdAt: Date;
	endedAt: Date | null;
	/** People it applies to (nearest assignment up the tree), active or pending accounts. */
	covered: number;
	/** Of those, how many completed in the current period. */
	completed: number;
}

const dateText = (v: unknown) => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10));

/**
 * Assignments with coverage: the people each one applies to (govlearn_user_assignment: a nearer
 * assignment overrides it) and how many completed. One query. `id` narrows to one assignment.
 */
export async function listAssignments(
	options: { includeEnded?: boolean; id?: number } = {},
	executor: Executor = db
): Promise<AssignmentRow[]> {
	const result = await rows<AssignmentRow>(
		executor,
		sql`
		select a.id, a.course_id as "courseId", c.title_zh as "courseTitleZh", c.title_en as "courseTitleEn",
			a.department_id as "departmentId", d.code as "departmentCode", d.name_zh as "departmentNameZh", d.name_en as "departmentNameEn",
			a.due_date::text as "dueDate", govlearn_current_due(a.due_date, a.recurrence, current_date)::text as "currentDue",
			a.recurrence, a.required, a.due_days as "dueDays", a.reminder_offsets as "reminderOffsets",
			a.created_at as "createdAt", a.ended_at as "endedAt",
			coalesce(cov.covered, 0)::int as covered, coalesce(cov.completed, 0)::int as completed
		from assignment a
		join course c on c.id = a.course_id
		join department d on d.id = a.department_id
		left join (
			select assignment_id, count(*) as covered, count(completed_at) as completed
			from govlearn_user_assignment group by assignment_id
		) cov on cov.assignment_id = a.id
		where (${options.includeEnded ?? false} or a.ended_at is null)
			and (${options.id ?? null}::int is null or a.id = ${options.id ?? null}::int)
		order by (a.ended_at is not null), c.position, d.path, a.id`
	);
	return result.map((r) => ({
		...r,
		dueDays: r.dueDays === null ? null : Number(r.dueDays),
		reminderOffsets: (r.reminderOffsets ?? []).map(Number),
		dueDate: dateText(r.dueDate),
		currentDue: dateText(r.currentDue),
		createdAt: new Date(r.createdAt),
		endedAt: r.endedAt ? new Date(r.endedAt) : null
	}));
}

/** One assignment with its coverage, or undefined. */
export async function getAssignment(id: number): Promise<AssignmentRow | undefined> {
	return (await listAssignments({ includeEnded: true, id }))[0];
}

export interface DepartmentOption {
	id: number;
	code: string;
	nameZh: string;
	nameEn: string;
	depth: number;
	path: string;
}

/** Active departments in tree order (parents before children, siblings by position and code). */
export async function departmentOptions(executor: Executor = db): Promise<DepartmentOption[]> {
	const all = await executor
		.select({
			id: schema.department.id,
			code: schema.department.code,
			nameZh: schema.department.nameZh,
			nameEn: schema.department.nameEn,
			depth: schema.department.depth,
			path: schema.department.path,
			parentId: schema.department.parentId,
			position: schema.department.position
		})
		.from(schema.department)
		.where(eq(schema.department.active, true));
	const children = new Map<number | null, typeof all>();
	const ids = new Set(all.map((d) => d.id));
	for (const d of all) {
		const parent = d.parentId !== null && ids.has(d.parentId) ? d.parentId : null;
		children.set(parent, [...(children.get(parent) ?? []), d]);
	}
	const out: DepartmentOption[] = [];
	const walk = (parent: number | null) => {
		for (const d of (children.get(parent) ?? []).sort((a, b) => a.position - b.position || a.code.localeCompare(b.code))) {
			out.push({ id: d.id, code: d.code, nameZh: d.nameZh, nameEn: d.nameEn, depth: d.depth, path: d.path });
			walk(d.id);
		}
	};
	walk(null);
	return out;
}

/** Published courses that can be assigned. */
export async function courseOptions(executor: Executor = db) {
	return executor
		.select({ id: schema.course.id, titleZh: schema.course.titleZh, titleEn: schema.course.titleEn })
		.from(schema.course)
		.where(and(eq(schema.course.present, true), eq(schema.course.draft, false)))
		.orderBy(schema.course.position);
}

export interface Candidate {
	assignmentId: number;
	departmentId: number;
	departmentCode: string;
	departmentNameZh: string;
	departmentNameEn: string;
	depth: number;
	dueDate: string;
	currentDue: string;
	recurrence: 'none' | 'yearly';
	required: boolean;
	createdAt: Date;
	applies: boolean;
	/** applies: 'own' (on this department) or 'inherited' (nearest up the tree); else why not. */
	reason: 'own' | 'inherited' | 'overridden-nearer' | 'overridden-newer';
}

export interface CourseExplanation {
	courseId: string;
	courseTitleZh: string;
	courseTitleEn: string;
	candidates: Candidate[];
	/** For a person: when they completed it in the current period (null: not yet). */
	completedAt?: Date | null;
	/** Coverage in the department itself (not its sub-departments): active people it applies to, and how many completed it this period. Counts only, never names. */
	coverage: { people: number; completed: number };
}

export interface Explanation {
	department: DepartmentOption;
	/** Root to the department itself. */
	chain: DepartmentOption[];
	person?: { id: number; username: string; displayName: string };
	courses: CourseExplanation[];
}

/**
 * Which assignment applies to a department (or a person, through their department) for each course,
 * and why: every active assignment up the tree is listed, the nearest one applies (on one department,
 * the newest), exactly as the SQL view govlearn_department_assignment decides.
 */
export async function explainDepartment(departmentId: number, executor: Executor = db): Promise<Explanation | undefined> {
	const [dept] = await executor.select().from(schema.department).where(eq(schema.department.id, departmentId));
	if (!dept) return undefined;
	const chain = await rows<DepartmentOption>(
		executor,
		sql`select id, code, name_zh as "nameZh", name_en as "nameEn", depth, path from department where ${dept.path} like path || '%' order by depth`
	);
	const found = await rows<
		Omit<Candidate, 'reason'> & { courseId: string; courseTitleZh: string; courseTitleEn: string; appliedDepartmentId: number | null }
	>(
		executor,
		sql`
		select a.id as "assignmentId", a.course_id as "courseId", c.title_zh as "courseTitleZh", c.title_en as "courseTitleEn",
			ad.id as "departmentId", ad.code as "departmentCode", ad.name_zh as "departmentNameZh", ad.name_en as "departmentNameEn", ad.depth,
			a.due_date::text as "dueDate", govlearn_current_due(a.due_date, a.recurrence, current_date)::text as "currentDue",
			a.recurrence, a.required, a.created_at as "createdAt",
			coalesce(da.assignment_id = a.id, false) as applies, da.assigned_department_id as "appliedDepartmentId"
		from department d
		join department ad on d.path like ad.path || '%'
		join assignment a on a.department_id = ad.id and a.ended_at is null
		join course c on c.id = a.course_id
		left join govlearn_department_assignment da on da.department_id = d.id and da.course_id = a.course_id
		where d.id = ${departmentId}
		order by c.position, a.course_id, ad.depth desc, a.created_at desc, a.id desc`
	);
	const courses = new Map<string, CourseExplanation>();
	for (const r of found) {
		const course = courses.get(r.courseId) ?? {
			courseId: r.courseId,
			courseTitleZh: r.courseTitleZh,
			courseTitleEn: r.courseTitleEn,
			candidates: [],
			coverage: { people: 0, completed: 0 }
		};
		const reason: Candidate['reason'] = r.applies
			? r.departmentId === departmentId
				? 'own'
				: 'inherited'
			: r.appliedDepartmentId === r.departmentId
				? 'overridden-newer'
				: 'overridden-nearer';
		course.candidates.push({
			assignmentId: r.assignmentId,
			departmentId: r.departmentId,
			departmentCode: r.departmentCode,
			departmentNameZh: r.departmentNameZh,
			departmentNameEn: r.departmentNameEn,
			depth: r.depth,
			dueDate: dateText(r.dueDate),
			currentDue: dateText(r.currentDue),
			recurrence: r.recurrence,
			required: r.required,
			createdAt: new Date(r.createdAt),
			applies: r.applies,
			reason
		});
		courses.set(r.courseId, course);
	}
	const covered = await rows<{ courseId: string; people: number; completed: number }>(
		executor,
		sql`select course_id as "courseId", count(*)::int as people, count(completed_at)::int as completed
		from govlearn_user_assignment where department_id = ${departmentId} group by course_id`
	);
	for (const c of covered) {
		const course = courses.get(c.courseId);
		if (course) course.coverage = { people: c.people, completed: c.completed };
	}
	const { id, code, nameZh, nameEn, depth, path } = dept;
	return { department: { id, code, nameZh, nameEn, depth, path }, chain, courses: [...courses.values()] };
}

/**
 * The same explanation for one person (by username), with whether they completed each course this
 * period. It names a person and their completions, so only administrators may ask (the route's guard):
 * trainers get the department's coverage counts instead.
 */
export async function explainPerson(username: string, executor: Executor = db): Promise<Explanation | undefined> {
	const [person] = await executor
		.select({
			id: schema.user.id,
			username: schema.user.username,
			displayName: schema.user.displayName,
			departmentId: schema.user.departmentId
		})
		.from(schema.user)
		.where(eq(schema.user.username, username.trim()));
	if (!person) return undefined;
	const explanation = await explainDepartment(person.departmentId, executor);
	if (!explanation) return undefined;
	const done = await rows<{ courseId: string; completedAt: Date | string | null }>(
		executor,
		sql`select course_id as "courseId", completed_at as "completedAt" from govlearn_user_assignment where user_id = ${person.id}`
	);
	const byCourse = new Map(done.map((d) => [d.courseId, d.completedAt ? new Date(d.completedAt) : null]));
	for (const c of explanation.courses) c.completedAt = byCourse.get(c.courseId) ?? null;
	return { ...explanation, person: { id: person.id, username: person.username, displayName: person.displayName } };
}
