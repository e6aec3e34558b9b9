// Twelve months of learning for the demo organisation: assignments, progress, quiz attempts with every
// answer, completions with certificates. Correctness comes from a department × competency aptitude so
// the skill gaps HR should find are really in the data (the hotline strong at answering citizens, the
// districts weak at data sharing and information security, the big-data bureau strong at data).
// Deterministic for a given Random and `now`; written with multi-row inserts in batches.
import { sql } from 'drizzle-orm';
import type { Database } from '../src/lib/server/db';
import * as schema from '../src/lib/server/db/schema';
import type { QuestionSlot } from '../src/lib/server/db/schema';
import { keyHash, type CourseDef, type Library } from '../src/lib/server/content/library';
import type { QuizQuestion } from '../src/lib/server/quiz/parse';
import { grade, scorePercent, type Response } from '../src/lib/server/quiz/grade';
import { buildSlots } from '../src/lib/server/quiz/slots';
import type { Random } from './random';

const DAY = 86_400_000;
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** Aptitude offsets by department (code or code prefix) and competency, around a base of 0.68. */
const APTITUDE: Record<string, Partial<Record<string, number>>> = {
	HOTLINE: { 'citizen-responsiveness': 0.2, 'new-media': 0.1, 'data-decisions': -0.05 },
	BIGDATA: {
		'data-sharing': 0.2,
		'data-decisions': 0.18,
		'info-security': 0.12,
		'digital-collaboration': 0.1,
		'citizen-responsiveness': -0.1
	},
	'BIGDATA-SEC': { 'info-security': 0.24 },
	GSB: { 'integrated-service': 0.18, 'online-service': 0.15 },
	EAST: { 'data-sharing': -0.2, 'info-security': -0.18, 'data-decisions': -0.1 },
	WEST: { 'data-sharing': -0.22, 'info-security': -0.16, 'data-decisions': -0.08 },
	'EAST-GSC': { 'integrated-service': 0.12, 'online-service': 0.06 },
	'WEST-GSC': { 'integrated-service': 0.1, 'online-service': 0.05 },
	PSB: { 'info-security': 0.1, 'new-media': -0.1 },
	HRSS: { 'online-service': 0.06 },
	EDU: { 'new-media': 0.06, 'data-sharing': -0.06 },
	'GOV-OFFICE': { 'digital-governance-basics': 0.1, 'digital-collaboration': 0.05 },
	MEDINS: { 'data-sharing': -0.08, 'citizen-responsiveness': -0.05 },
	SAMR: { 'data-sharing': -0.06, 'citizen-responsiveness': -0.06 },
	HOUSING: { 'data-sharing': -0.1, 'citizen-responsiveness': -0.08 }
};
const BASE_APTITUDE = 0.68;

interface Person {
	id: number;
	username: string;
	departmentId: number;
	code: string;
	skill: number;
	english: boolean;
}

interface Take {
	course: CourseDef;
	start: number;
}

/** Inserts rows in batches (one statement per batch, never one per row). */
async function insertAll<T extends Record<string, unknown>>(
	db: Database,
	table: Parameters<Database['insert']>[0],
	values: T[],
	size = 500
): Promise<void> {
	for (let i = 0; i < values.length; i += size) await db.insert(table).values(values.slice(i, i + size) as never);
}

const iso = (t: number) => new Date(t).toISOString().slice(0, 10);

export async function seedHistory(
	db: Database,
	library: Library,
	departments: Map<string, number>,
	random: Random,
	now: Date
): Promise<void> {
	const end = now.getTime();
	const year = now.getFullYear();

	const synced = new Set(
		(
			await db
				.select({ id: schema.course.id })
				.from(schema.course)
				.where(sql`present and not draft`)
		).map((c) => c.id)
	);
	const courses = library.courses.filter((c) => !c.draft && c.errors.length === 0 && synced.has(c.id));
	const byId = new Map(courses.map((c) => [c.id, c]));
	if (courses.length === 0) return;

	const deptRows = await db
		.select({ id: schema.department.id, code: schema.department.code, parentId: schema.department.parentId })
		.from(schema.department);
	const codeOf = new Map(deptRows.map((d) => [d.id, d.code]));
	const parentOf = new Map(deptRows.map((d) => [d.id, d.parentId]));
	const users = await db
		.select({ id: schema.user.id, username: schema.user.username, departmentId: schema.user.departmentId })
		.from(schema.user)
		.orderBy(schema.user.id);

	// Assignments: the whole city, a few bureaus, and nearer ones that override them for a subtree.
	const created = end - 330 * DAY;
	type Planned = { course: string; dept: string; due: string; recurrence: 'none' | 'yearly'; required: boolean; createdAt: number };
	const planned: Planned[] = [
		{ course: 'smart-government-basics', dept: 'CITY', due: `${year}-12-31`, recurrence: 'yearly', required: true, createdAt: created },
		{
			course: 'information-security',
			dept: 'CITY',
			due: iso(end - 31 * DAY),
			recurrence: 'none',
			required: true,
			createdAt: created + 20 * DAY
		},
		{
			course: 'information-security',
			dept: 'BIGDATA-SEC',
			due: `${year}-06-30`,
			recurrence: 'yearly',
			required: true,
			createdAt: created + 25 * DAY
		},
		{
			course: 'responding-to-citizens',
			dept: 'HOTLINE',
			due: iso(end - 60 * DAY),
			recurrence: 'none',
			required: true,
			createdAt: created + 40 * DAY
		},
		{
			course: 'responding-to-citizens',
			dept: 'GSB',
			due: `${year}-12-15`,
			recurrence: 'none',
			required: true,
			createdAt: created + 90 * DAY
		},
		{
			course: 'responding-to-citizens',
			dept: 'EAST',
			due: `${year}-12-20`,
			recurrence: 'none',
			required: true,
			createdAt: created + 120 * DAY
		},
		{
			course: 'responding-to-citizens',
			dept: 'WEST',
			due: `${year}-12-20`,
			recurrence: 'none',
			required: true,
			createdAt: created + 120 * DAY
		},
		{
			course: 'open-government-data',
			dept: 'BIGDATA',
			due: `${year}-12-31`,
			recurrence: 'none',
			required: false,
			createdAt: created + 60 * DAY
		},
		{
			course: 'integrated-service',
			dept: 'EAST-GSC',
			due: `${year}-09-30`,
			recurrence: 'none',
			required: true,
			createdAt: created + 100 * DAY
		},
		{
			course: 'integrated-service',
			dept: 'WEST-GSC',
			due: `${year}-12-31`,
			recurrence: 'none',
			required: true,
			createdAt: created + 150 * DAY
		},
		{
			course: 'data-for-decisions',
			dept: 'GOV-OFFICE',
			due: `${year + 1}-03-31`,
			recurrence: 'none',
			required: false,
			createdAt: created + 200 * DAY
		}
	];
	const plan = planned.filter((a) => byId.has(a.course) && departments.has(a.dept));
	const admin = users.find((u) => u.username === 'admin');
	await insertAll(
		db,
		schema.assignment,
		plan.map((a) => ({
			courseId: a.course,
			departmentId: departments.get(a.dept)!,
			dueDate: a.due,
			recurrence: a.recurrence,
			required: a.required,
			createdBy: admin?.id ?? null,
			createdAt: new Date(a.createdAt),
			updatedAt: new Date(a.createdAt)
		}))
	);

	/** The assignment that applies to a department for a course: the nearest one up the tree. */
	const assignedTo = (departmentId: number, courseId: string) => {
		for (let d: number | null | undefined = departmentId; d; d = parentOf.get(d)) {
			const hit = plan.filter((a) => a.course === courseId && departments.get(a.dept) === d).at(-1);
			if (hit) return hit;
		}
		return undefined;
	};
	const aptitude = (code: string, competency: string) => {
		const group = code.split('-')[0];
		return BASE_APTITUDE + (APTITUDE[group]?.[competency] ?? 0) + (code !== group ? (APTITUDE[code]?.[competency] ?? 0) : 0);
	};

	// Item character: most questions ordinary, a few very easy or very hard, a couple that the
	// strongest people get wrong more often (negative discrimination, for the studio to flag).
	const itemEffect = new Map<string, { shift: number; inverted: boolean; lure: number }>();
	const allQuestions = courses.flatMap((c) => (c.quiz['zh-CN'] ?? []).map((q) => ({ course: c, q })));
	for (const [i, { course, q }] of allQuestions.entries()) {
		const roll = random.next();
		itemEffect.set(`${course.id}/${q.id}`, {
			shift: roll < 0.08 ? 0.28 : roll < 0.15 ? -0.32 : (random.next() - 0.55) * 0.3,
			inverted: i % 37 === 11,
			lure: random.int(0, 5)
		});
	}

	const people: Person[] = users.map((u) => ({
		id: u.id,
		username: u.username,
		departmentId: u.departmentId,
		code: codeOf.get(u.departmentId) ?? 'CITY',
		skill: random.gauss() * 0.09,
		english: random.chance(0.12)
	}));

	const enrollments: (typeof schema.enrollment.$inferInsert)[] = [];
	const progress: (typeof schema.lessonProgress.$inferInsert)[] = [];
	interface PendingAttempt {
		row: typeof schema.quizAttempt.$inferInsert;
		answers: Omit<typeof schema.attemptAnswer.$inferInsert, 'attemptId'>[];
		completion?: Omit<typeof schema.completion.$inferInsert, 'attemptId'>;
	}
	const attempts: PendingAttempt[] = [];
	const completionKeys = new Set<string>();

	const code = () => Array.from({ length: 16 }, () => BASE32[random.int(0, 31)]).join('');

	/** One answer: right with probability p, else a plausible wrong response. */
	const respond = (q: QuizQuestion, right: boolean, lure: number): Response => {
		const correct = q.options.flatMap((o, i) => (o.correct ? [i] : []));
		if (q.type === 'short') return right ? q.accepted[random.int(0, q.accepted.length - 1)] : random.pick(['', '不确定', '3', 'ABC', '10']);
		if (right) return correct;
		const wrong = q.options.flatMap((o, i) => (o.correct ? [] : [i]));
		if (q.type === 'multiple') {
			if (wrong.length && random.chance(0.55)) return [...correct, wrong[random.int(0, wrong.length - 1)]].sort((a, b) => a - b);
			return correct.length > 1 ? correct.filter((_, i) => i !== random.int(0, correct.length - 1)) : wrong.slice(0, 1);
		}
		// One distractor lures more people than the others.
		return [random.chance(0.55) ? wrong[lure % wrong.length] : wrong[random.int(0, wrong.length - 1)]];
	};

	/** Builds one submitted attempt; `force` fixes the number of right answers (the scripted learner). */
	const attempt = (p: Person, course: CourseDef, attemptNo: number, startedAt: number, bonus: number, force?: number): PendingAttempt => {
		const locale = p.english ? 'en' : 'zh-CN';
		const questions = course.quiz['zh-CN'] ?? [];
		const slots: QuestionSlot[] = buildSlots(questions, course.shuffle, random.next);
		const forcedRight = force === undefined ? undefined : new Set(slots.slice(0, force).map((s) => s.id));
		const answers = slots.map((slot) => {
			const q = questions.find((x) => x.id === slot.id)!;
			const effect = itemEffect.get(`${course.id}/${q.id}`)!;
			const apt = aptitude(p.code, q.competency) + p.skill + bonus;
			const chance = effect.inverted ? 1.3 - apt : apt + effect.shift;
			const right = forcedRight ? forcedRight.has(q.id) : random.chance(Math.min(0.97, Math.max(0.05, chance)));
			const response = respond(q, right, effect.lure);
			const key = {
				type: q.type,
				correct: q.options.flatMap((o, i) => (o.correct ? [i] : [])),
				accepted: q.accepted,
				optionCount: q.options.length,
				points: 1
			};
			const result = grade(key, response);
			return {
				questionId: q.id,
				courseId: course.id,
				userId: p.id,
				competencyId: q.competency,
				attemptNo,
				contentVersion: course.version,
				keyHash: keyHash(q),
				locale,
				pointsPossible: 1,
				pointsEarned: result.pointsEarned,
				correct: result.correct,
				response,
				answeredAt: new Date(startedAt + 12 * 60_000)
			};
		});
		const earned = answers.reduce((n, a) => n + a.pointsEarned, 0);
		const score = scorePercent(earned, answers.length);
		const submittedAt = new Date(startedAt + random.int(8, 25) * 60_000);
		return {
			row: {
				userId: p.id,
				courseId: course.id,
				attemptNo,
				year: new Date(startedAt).getFullYear(),
				contentVersion: course.version,
				locale,
				slots,
				startedAt: new Date(startedAt),
				submittedAt,
				pointsEarned: earned,
				pointsPossible: answers.length,
				score,
				passed: score >= course.passScore
			},
			answers: answers.map((a) => ({ ...a, answeredAt: submittedAt }))
		};
	};

	/** A person working through a course from `start`: lessons, then attempts until passed or out of tries. */
	const study = (p: Person, take: Take, opts: { lessons?: number; finish?: boolean } = {}) => {
		const { course } = take;
		const lessons = course.lessons.filter((l) => !l.draft);
		let t = take.start;
		const reading = opts.lessons ?? (random.chance(0.8) ? lessons.length : random.int(1, Math.max(1, lessons.length - 1)));
		let last: string | null = null;
		for (const lesson of lessons.slice(0, reading)) {
			if (t >= end) break;
			progress.push({ userId: p.id, courseId: course.id, lessonSlug: lesson.slug, completedAt: new Date(t) });
			last = lesson.slug;
			t += random.int(1, 60) * 60_000 + (random.chance(0.5) ? random.int(0, 3) * DAY : 0);
		}
		enrollments.push({
			userId: p.id,
			courseId: course.id,
			startedAt: new Date(take.start),
			lastSeenAt: new Date(Math.min(t, end - 60_000)),
			lastLessonSlug: last
		});
		if (last !== lessons.at(-1)?.slug || opts.finish === false) return;
		const perYear = new Map<number, number>();
		for (let n = 1; n <= 4; n++) {
			t += random.int(0, 4) * DAY + random.int(10, 300) * 60_000;
			if (t >= end) return;
			const y = new Date(t).getFullYear();
			if ((perYear.get(y) ?? 0) >= course.attemptLimit) return;
			perYear.set(y, (perYear.get(y) ?? 0) + 1);
			const a = attempt(p, course, n, t, (n - 1) * 0.12);
			attempts.push(a);
			if (a.row.passed) {
				const completedAt = a.row.submittedAt as Date;
				const key = `${p.id}/${course.id}/${completedAt.getFullYear()}`;
				if (!completionKeys.has(key)) {
					completionKeys.add(key);
					a.completion = {
						userId: p.id,
						courseId: course.id,
						completedAt,
						year: completedAt.getFullYear(),
						departmentId: p.departmentId,
						hours: course.hours,
						score: a.row.score ?? 0,
						contentVersion: course.version,
						certificateCode: code()
					};
				}
				return;
			}
			if (!random.chance(0.75)) return;
		}
	};

	const window = (from: number) => from + random.next() * Math.max(DAY, end - 3 * DAY - from);

	for (const p of people) {
		if (p.username === 'learner') continue;
		if (!random.chance(0.66)) {
			// Inactive this year; a few opened a course once and stopped.
			if (random.chance(0.2)) {
				const course = random.pick(courses);
				study(p, { course, start: window(end - 200 * DAY) }, { lessons: 1, finish: false });
			}
			continue;
		}
		for (const course of courses) {
			const assigned = assignedTo(p.departmentId, course.id);
			const chance = assigned ? (assigned.required ? (assigned.due < iso(end) ? 0.72 : 0.62) : 0.45) : 0.14;
			if (!random.chance(chance)) continue;
			const from = Math.max(end - 360 * DAY, assigned?.createdAt ?? end - 360 * DAY);
			study(p, { course, start: window(from) });
		}
	}

	// The demo learner: one course completed with a certificate, one in progress, one overdue
	// (information security, not started), the rest untouched for the catalogue to offer.
	const learner = people.find((p) => p.username === 'learner');
	const integrated = byId.get('integrated-service');
	const basics = byId.get('smart-government-basics');
	if (learner && integrated) {
		const start = end - 95 * DAY;
		const lessons = integrated.lessons.filter((l) => !l.draft);
		lessons.forEach((l, i) =>
			progress.push({ userId: learner.id, courseId: integrated.id, lessonSlug: l.slug, completedAt: new Date(start + i * DAY) })
		);
		enrollments.push({
			userId: learner.id,
			courseId: integrated.id,
			startedAt: new Date(start),
			lastSeenAt: new Date(start + 9 * DAY),
			lastLessonSlug: lessons.at(-1)?.slug ?? null
		});
		const total = (integrated.quiz['zh-CN'] ?? []).length;
		const first = attempt(learner, integrated, 1, start + 5 * DAY, 0, Math.ceil(total * 0.58));
		const second = attempt(learner, integrated, 2, start + 8 * DAY, 0, Math.ceil(total * 0.84));
		const completedAt = second.row.submittedAt as Date;
		second.completion = {
			userId: learner.id,
			courseId: integrated.id,
			completedAt,
			year: completedAt.getFullYear(),
			departmentId: learner.departmentId,
			hours: integrated.hours,
			score: second.row.score ?? 0,
			contentVersion: integrated.version,
			certificateCode: code()
		};
		attempts.push(first, second);
	}
	if (learner && basics) {
		const start = end - 12 * DAY;
		const lessons = basics.lessons.filter((l) => !l.draft).slice(0, 2);
		lessons.forEach((l, i) =>
			progress.push({ userId: learner.id, courseId: basics.id, lessonSlug: l.slug, completedAt: new Date(start + i * 2 * DAY) })
		);
		enrollments.push({
			userId: learner.id,
			courseId: basics.id,
			startedAt: new Date(start),
			lastSeenAt: new Date(start + 2 * DAY),
			lastLessonSlug: lessons.at(-1)?.slug ?? null
		});
	}

	await insertAll(db, schema.enrollment, enrollments);
	await insertAll(db, schema.lessonProgress, progress);
	const ids = new Map<string, number>();
	for (let i = 0; i < attempts.length; i += 500) {
		const inserted = await db
			.insert(schema.quizAttempt)
			.values(attempts.slice(i, i + 500).map((a) => a.row))
			.returning({
				id: schema.quizAttempt.id,
				userId: schema.quizAttempt.userId,
				courseId: schema.quizAttempt.courseId,
				attemptNo: schema.quizAttempt.attemptNo
			});
		for (const r of inserted) ids.set(`${r.userId}/${r.courseId}/${r.attemptNo}`, r.id);
	}
	const idOf = (a: PendingAttempt) => ids.get(`${a.row.userId}/${a.row.courseId}/${a.row.attemptNo}`)!;
	await insertAll(
		db,
		schema.attemptAnswer,
		attempts.flatMap((a) => a.answers.map((x) => ({ ...x, attemptId: idOf(a) }))),
		1000
	);
	await insertAll(
		db,
		schema.completion,
		attempts.flatMap((a) => (a.completion ? [{ ...a.completion, attemptId: idOf(a) }] : []))
	);

	// A few people changed department after completing: their completions keep the old department.
	const completedBy = [...new Set(attempts.filter((a) => a.completion && a.row.userId !== learner?.id).map((a) => a.row.userId))];
	const leaves = deptRows.filter((d) => !deptRows.some((c) => c.parentId === d.id));
	for (let i = 0; i < Math.min(6, completedBy.length); i++) {
		const userId = completedBy[(i * 37) % completedBy.length];
		const person = people.find((p) => p.id === userId)!;
		const target = leaves[(i * 7 + 3) % leaves.length];
		if (target.id === person.departmentId) continue;
		await db
			.update(schema.user)
			.set({ departmentId: target.id })
			.where(sql`${schema.user.id} = ${userId}`);
	}
}
