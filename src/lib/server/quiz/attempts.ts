import { and, asc, desc, eq, isNotNull, sql } from 'drizzle-orm';
import { inlineHtml, markdownHtml, type CourseDef, type Locale } from '../content';
import { keyHash } from '../content/library';
import { courseAtVersion } from '../content/runtime';
import { db, rows, schema } from '../db';
import type { QuestionSlot, QuizAttempt } from '../db/schema';
import { courseStates, visibleLessons } from '../learning/catalogue';
import { completeIfDone } from '../learning/completion';
import { yearOf } from '../learning/sql';
import { grade, scorePercent, type Response } from './grade';
import type { QuizQuestion } from './parse';
import { buildSlots, cryptoRand, gradable, parseResponse, toShownIndices, type Rand } from './slots';

const OTHER: Record<Locale, Locale> = { 'zh-CN': 'en', en: 'zh-CN' };

/** A question's text in the locale asked for, else the other one. */
function questionIn(course: CourseDef, id: string, locale: Locale): QuizQuestion | undefined {
	return course.quiz[locale]?.find((q) => q.id === id) ?? course.quiz[OTHER[locale]]?.find((q) => q.id === id);
}

function questionsOf(course: CourseDef, locale: Locale): QuizQuestion[] {
	return course.quiz[locale] ?? course.quiz[OTHER[locale]] ?? [];
}

export type StartResult = { ok: true; attemptId: number; resumed: boolean } | { ok: false; reason: 'limit' | 'no-quiz' };

/** The learner's open (unsubmitted) attempt at a course's quiz, if any. */
export async function openAttempt(userId: number, courseId: string): Promise<QuizAttempt | undefined> {
	const [row] = await db
		.select()
		.from(schema.quizAttempt)
		.where(
			and(eq(schema.quizAttempt.userId, userId), eq(schema.quizAttempt.courseId, courseId), sql`${schema.quizAttempt.submittedAt} is null`)
		);
	return row;
}

/**
 * Starts an attempt with its question order fixed on the server, or resumes the open one. The limit
 * counts attempts started this calendar year. One statement numbers the attempt and checks the limit,
 * and the unique indexes turn a double click into a single attempt.
 */
export async function startAttempt(
	userId: number,
	course: CourseDef,
	locale: Locale,
	now = new Date(),
	rand: Rand = cryptoRand
): Promise<StartResult> {
	const open = await openAttempt(userId, course.id);
	if (open) return { ok: true, attemptId: open.id, resumed: true };
	const questions = questionsOf(course, locale);
	if (questions.length === 0) return { ok: false, reason: 'no-quiz' };
	const slots = buildSlots(questions, course.shuffle, rand);
	const year = yearOf(now);
	const inserted = await rows<{ id: number }>(
		db,
		sql`insert into quiz_attempt (user_id, course_id, attempt_no, year, content_version, locale, slots, started_at)
			select ${userId}, ${course.id}, coalesce(max(attempt_no), 0) + 1, ${year}, ${course.version}, ${locale}, ${JSON.stringify(slots)}::jsonb, ${now.toISOString()}::timestamptz
			from quiz_attempt where user_id = ${userId} and course_id = ${course.id}
			having count(*) filter (where year = ${year}) < ${course.attemptLimit}
			on conflict do nothing
			returning id`
	);
	if (inserted[0]) return { ok: true, attemptId: Number(inserted[0].id), resumed: false };
	const raced = await openAttempt(userId, course.id);
	if (raced) return { ok: true, attemptId: raced.id, resumed: true };
	return { ok: false, reason: 'limit' };
}

export interface ShownQuestion {
	number: number;
	/** Form field name: the question's position in the attempt (`q0`, `q1` …). */
	field: string;
	id: string;
	type: QuizQuestion['type'];
	stemHtml: string;
	/** Options in the order this attempt shows them; `value` is the position posted back. */
	options: { value: number; html: string }[];
}

/**
 * An open attempt's questions as the learner sees them: stems and options in the attempt's order.
 * Deliberately without keys, accepted answers or explanations: this goes into page data.
 */
export function attemptQuestions(course: CourseDef, attempt: Pick<QuizAttempt, 'slots'>, locale: Locale): ShownQuestion[] {
	const out: ShownQuestion[] = [];
	for (const [position, slot] of attempt.slots.entries()) {
		const q = questionIn(course, slot.id, locale);
		if (!q) continue;
		out.push({
			number: out.length + 1,
			field: `q${position}`,
			id: q.id,
			type: q.type,
			stemHtml: markdownHtml(q.stem),
			options: slot.options.flatMap((fileIndex, position) =>
				q.options[fileIndex] ? [{ value: position, html: inlineHtml(q.options[fileIndex].text) }] : []
			)
		});
	}
	return out;
}

/** Raw form values per question position (`q0`, `q1` … as posted). */
export type SubmittedValues = Record<number, string[]>;

export type SubmitResult =
	| { status: 'not-found' }
	| { status: 'invalid'; question: number }
	| { status: 'incomplete'; questions: number[] }
	| { status: 'submitted' | 'already'; attemptId: number; passed: boolean; score: number; completed: boolean };

/**
 * Grades and records an attempt. Idempotent: the attempt row is closed `where submitted_at is null`,
 * so a second submission (double click, retry, back button) records nothing and reports the first.
 * Responses are stored in file order with each question's competency, points and key hash.
 */
export async function submitAttempt(
	userId: number,
	course: CourseDef,
	attemptId: number,
	values: SubmittedValues,
	locale: Locale,
	now = new Date(),
	options: { requireAll?: boolean } = {}
): Promise<SubmitResult> {
	const [attempt] = await db
		.select()
		.from(schema.quizAttempt)
		.where(and(eq(schema.quizAttempt.id, attemptId), eq(schema.quizAttempt.userId, userId), eq(schema.quizAttempt.courseId, course.id)));
	if (!attempt) return { status: 'not-found' };
	if (attempt.submittedAt)
		return { status: 'already', attemptId, passed: Boolean(attempt.passed), score: attempt.score ?? 0, completed: false };
	// Graded against the questions and keys the attempt started with, whatever was published since.
	const at = await courseAtVersion(db, course, attempt.contentVersion);

	const bank = await db
		.select({
			id: schema.question.id,
			competencyId: schema.question.competencyId,
			points: schema.question.points,
			keyHash: schema.question.keyHash
		})
		.from(schema.question)
		.where(eq(schema.question.courseId, course.id));
	const bankById = new Map(bank.map((q) => [q.id, q]));
	const answers: (typeof schema.attemptAnswer.$inferInsert)[] = [];
	const blank: number[] = [];
	for (const [position, slot] of attempt.slots.entries()) {
		const versions = [at.quiz['zh-CN']?.find((q) => q.id === slot.id), at.quiz.en?.find((q) => q.id === slot.id)];
		const meta = bankById.get(slot.id);
		const key = gradable(versions, meta?.points ?? 1);
		// A question removed from the files since the attempt began is left out of the score.
		if (!key || !meta) continue;
		const response: Response | undefined = parseResponse(key, slot, values[position] ?? []);
		if (response === undefined) return { status: 'invalid', question: position + 1 };
		if (response.length === 0) blank.push(position + 1);
		const result = grade(key, response);
		answers.push({
			attemptId,
			questionId: slot.id,
			courseId: course.id,
			userId,
			competencyId: at === course ? meta.competencyId : (versions[0] ?? versions[1])!.competency,
			attemptNo: attempt.attemptNo,
			contentVersion: at.version,
			keyHash: at === course ? meta.keyHash : keyHash((versions[0] ?? versions[1])!),
			locale,
			pointsPossible: key.points,
			pointsEarned: result.pointsEarned,
			correct: result.correct,
			response,
			answeredAt: now
		});
	}
	// A learner who left questions blank is asked once before they count as wrong.
	if (options.requireAll && blank.length) return { status: 'incomplete', questions: blank };
	const earned = answers.reduce((n, a) => n + a.pointsEarned, 0);
	const possible = answers.reduce((n, a) => n + a.pointsPossible, 0);
	const score = scorePercent(earned, possible);
	const passed = possible > 0 && score >= at.passScore;

	return db.transaction(async (tx) => {
		const [closed] = await tx
			.update(schema.quizAttempt)
			.set({ submittedAt: now, pointsEarned: earned, pointsPossible: possible, score, passed, locale, contentVersion: at.version })
			.where(and(eq(schema.quizAttempt.id, attemptId), sql`${schema.quizAttempt.submittedAt} is null`))
			.returning({ id: schema.quizAttempt.id });
		if (!closed) {
			const [first] = await tx.select().from(schema.quizAttempt).where(eq(schema.quizAttempt.id, attemptId));
			return { status: 'already' as const, attemptId, passed: Boolean(first?.passed), score: first?.score ?? 0, completed: false };
		}
		if (answers.length) await tx.insert(schema.attemptAnswer).values(answers);
		const completion = passed ? await completeIfDone(tx, userId, course, now) : undefined;
		return { status: 'submitted' as const, attemptId, passed, score, completed: Boolean(completion) };
	});
}

export interface ResultQuestion {
	number: number;
	id: string;
	type: QuizQuestion['type'];
	stemHtml: string;
	correct: boolean;
	options: { html: string; chosen: boolean; right: boolean }[];
	/** Short answer: what the learner typed, and the accepted answers. */
	typed: string | null;
	accepted: string[];
	explanationHtml: string;
}

/** A submitted attempt of this learner with, per question, their answer, the right one and the explanation. */
export async function attemptResult(userId: number, course: CourseDef, attemptId: number, locale: Locale) {
	const [attempt] = await db
		.select()
		.from(schema.quizAttempt)
		.where(
			and(
				eq(schema.quizAttempt.id, attemptId),
				eq(schema.quizAttempt.userId, userId),
				eq(schema.quizAttempt.courseId, course.id),
				isNotNull(schema.quizAttempt.submittedAt)
			)
		);
	if (!attempt) return undefined;
	const answers = await db.select().from(schema.attemptAnswer).where(eq(schema.attemptAnswer.attemptId, attempt.id));
	const at = await courseAtVersion(db, course, attempt.contentVersion);
	const byId = new Map(answers.map((a) => [a.questionId, a]));
	const questions: ResultQuestion[] = [];
	for (const slot of attempt.slots as QuestionSlot[]) {
		const q = questionIn(at, slot.id, locale);
		const answer = byId.get(slot.id);
		if (!q || !answer) continue;
		const chosen = Array.isArray(answer.response) ? new Set(toShownIndices(slot, answer.response)) : new Set<number>();
		questions.push({
			number: questions.length + 1,
			id: q.id,
			type: q.type,
			stemHtml: markdownHtml(q.stem),
			correct: answer.correct,
			options: slot.options.flatMap((fileIndex, position) =>
				q.options[fileIndex]
					? [{ html: inlineHtml(q.options[fileIndex].text), chosen: chosen.has(position), right: q.options[fileIndex].correct }]
					: []
			),
			typed: typeof answer.response === 'string' ? answer.response : null,
			accepted: q.accepted,
			explanationHtml: markdownHtml(q.explanation)
		});
	}
	return {
		id: attempt.id,
		attemptNo: attempt.attemptNo,
		submittedAt: attempt.submittedAt!,
		score: attempt.score ?? 0,
		passed: Boolean(attempt.passed),
		passScore: course.passScore,
		pointsEarned: attempt.pointsEarned ?? 0,
		pointsPossible: attempt.pointsPossible ?? 0,
		questions
	};
}

/** The quiz page: the learner's standing, the open attempt's questions (no keys) and past attempts. */
export async function quizView(userId: number, course: CourseDef, locale: Locale, now = new Date()) {
	const state = (await courseStates(userId, [course], now)).get(course.id)!;
	const open = state.openAttemptId ? await openAttempt(userId, course.id) : undefined;
	const history = await attemptHistory(userId, course.id);
	const done = new Set(state.lessonsDone);
	return {
		course: { slug: course.slug, title: course.title[locale] },
		questionCount: questionsOf(course, locale).length,
		passScore: course.passScore,
		attemptLimit: course.attemptLimit,
		attemptsThisYear: state.attemptsThisYear,
		attemptsLeft: Math.max(0, course.attemptLimit - state.attemptsThisYear),
		passedThisYear: state.passedThisYear,
		completedThisYear: state.completedYear === yearOf(now),
		certificateCode: state.certificateCode,
		lessonsLeft: visibleLessons(course)
			.filter((l) => !done.has(l.slug))
			.map((l) => ({ slug: l.slug, title: l.title[locale] })),
		open: open
			? {
					id: open.id,
					attemptNo: open.attemptNo,
					questions: attemptQuestions(await courseAtVersion(db, course, open.contentVersion), open, locale)
				}
			: null,
		history: history.map((h) => ({ ...h, current: h.year === yearOf(now) }))
	};
}

/** The learner's submitted attempts at a course, newest first. */
export async function attemptHistory(userId: number, courseId: string) {
	return db
		.select({
			id: schema.quizAttempt.id,
			attemptNo: schema.quizAttempt.attemptNo,
			year: schema.quizAttempt.year,
			submittedAt: schema.quizAttempt.submittedAt,
			score: schema.quizAttempt.score,
			passed: schema.quizAttempt.passed
		})
		.from(schema.quizAttempt)
		.where(and(eq(schema.quizAttempt.userId, userId), eq(schema.quizAttempt.courseId, courseId), isNotNull(schema.quizAttempt.submittedAt)))
		.orderBy(desc(schema.quizAttempt.attemptNo), asc(schema.quizAttempt.id));
}
