// Learning services on the fixture library (tests/fixtures/content): grading of every question type,
// idempotent submission, attempt limits, completion, hours per year and certificates.
import { and, eq } from 'drizzle-orm';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useLibrary, type CourseDef } from '../../src/lib/server/content';
import { db, schema } from '../../src/lib/server/db';
import * as learning from '../../src/lib/server/learning';
import * as quiz from '../../src/lib/server/quiz';
import { toShownIndices } from '../../src/lib/server/quiz/slots';
import { resetDatabase, testDatabase } from '../helpers/db';
import { createDepartment, createUser, syncLibrary } from '../helpers/factories';

let basics: CourseDef;
let advanced: CourseDef;

beforeAll(async () => {
	await testDatabase();
});
beforeEach(async () => {
	await resetDatabase();
	const library = await syncLibrary();
	useLibrary(library);
	basics = learning.publishedCourse('fixture-basics')!;
	advanced = learning.publishedCourse('fixture-advanced')!;
});

async function person() {
	const dept = await createDepartment();
	return createUser({ department: dept });
}

type Answers = Record<string, number[] | string>;
/** The fixture's right answers, in file order. */
const RIGHT: Answers = { 'fx-q1': [1], 'fx-q2': [0, 2], 'fx-q3': [0], 'fx-q4': 'ABC' };

/** Form values for an attempt, from answers given in file order (as a learner ticking the shown options). */
async function formFor(attemptId: number, answers: Answers) {
	const [attempt] = await db.select().from(schema.quizAttempt).where(eq(schema.quizAttempt.id, attemptId));
	const values: Record<number, string[]> = {};
	attempt.slots.forEach((slot, position) => {
		const a = answers[slot.id];
		if (a === undefined) return;
		values[position] = typeof a === 'string' ? [a] : toShownIndices(slot, a).map(String);
	});
	return values;
}

async function take(userId: number, course: CourseDef, answers: Answers, now = new Date()) {
	const started = await quiz.startAttempt(userId, course, 'zh-CN', now);
	if (!started.ok) throw new Error(`could not start: ${started.reason}`);
	return quiz.submitAttempt(userId, course, started.attemptId, await formFor(started.attemptId, answers), 'zh-CN', now);
}

async function answersOf(attemptId: number) {
	const list = await db.select().from(schema.attemptAnswer).where(eq(schema.attemptAnswer.attemptId, attemptId));
	return new Map(list.map((a) => [a.questionId, a]));
}

async function readAllLessons(userId: number, course: CourseDef, now = new Date()) {
	for (const l of learning.visibleLessons(course)) await learning.markLessonDone(userId, course, l.slug, now);
}

describe('grading', () => {
	it('grades single choice, true/false and short answers, storing responses in file order', async () => {
		const user = await person();
		const result = await take(user.id, basics, RIGHT);
		expect(result.status).toBe('submitted');
		if (result.status !== 'submitted') return;
		expect(result.score).toBe(100);
		expect(result.passed).toBe(true);
		const answers = await answersOf(result.attemptId);
		expect(answers.get('fx-q1')).toMatchObject({
			correct: true,
			pointsEarned: 1,
			pointsPossible: 1,
			response: [1],
			competencyId: 'fx-alpha',
			attemptNo: 1,
			locale: 'zh-CN'
		});
		expect(answers.get('fx-q3')).toMatchObject({ correct: true, response: [0], competencyId: 'fx-beta' });
		expect(answers.get('fx-q4')).toMatchObject({ correct: true, response: 'ABC' });
		for (const a of answers.values()) {
			expect(a.contentVersion).toBe(basics.version);
			expect(a.keyHash).toMatch(/^[0-9a-f]{16}$/);
		}
	});

	it('marks a wrong single choice and a wrong true/false as wrong with no points', async () => {
		const user = await person();
		const result = await take(user.id, basics, { ...RIGHT, 'fx-q1': [0], 'fx-q3': [1] });
		if (result.status !== 'submitted') throw new Error(result.status);
		expect(result.score).toBe(50);
		expect(result.passed).toBe(false);
		const answers = await answersOf(result.attemptId);
		expect(answers.get('fx-q1')).toMatchObject({ correct: false, pointsEarned: 0, response: [0] });
		expect(answers.get('fx-q3')).toMatchObject({ correct: false, pointsEarned: 0, response: [1] });
	});

	it('scores multiple choice all-or-nothing: a subset or a superset of the right options earns nothing', async () => {
		for (const [response, correct] of [
			[[0, 2], true],
			[[0], false],
			[[0, 1, 2], false],
			[[], false]
		] as const) {
			const user = await person();
			const result = await take(user.id, basics, { ...RIGHT, 'fx-q2': [...response] });
			if (result.status !== 'submitted') throw new Error(result.status);
			const answer = (await answersOf(result.attemptId)).get('fx-q2')!;
			expect(answer.correct).toBe(correct);
			expect(answer.pointsEarned).toBe(correct ? 1 : 0);
			expect(answer.response).toEqual([...response]);
		}
	});

	it('accepts short answers whatever the case, spacing or character width, in either language', async () => {
		for (const [typed, correct] of [
			['abc', true],
			['  A B C ', true],
			['ＡＢＣ', true],
			['ａｂｃ。', true],
			['beta code', true],
			['乙缩写', true],
			['ABD', false],
			['', false]
		] as const) {
			const user = await person();
			const result = await take(user.id, basics, { ...RIGHT, 'fx-q4': typed });
			if (result.status !== 'submitted') throw new Error(result.status);
			expect((await answersOf(result.attemptId)).get('fx-q4')?.correct, typed).toBe(correct);
		}
	});

	it('shuffles options per attempt yet maps the shown positions back to the file', async () => {
		const user = await person();
		// A generator that reverses every list: questions and options both come out in reverse.
		const started = await quiz.startAttempt(user.id, basics, 'en', new Date(), () => 0);
		if (!started.ok) throw new Error(started.reason);
		const [attempt] = await db.select().from(schema.quizAttempt).where(eq(schema.quizAttempt.id, started.attemptId));
		const q1 = attempt.slots.find((s) => s.id === 'fx-q1')!;
		expect(q1.options).not.toEqual([0, 1, 2]);
		expect([...q1.options].sort()).toEqual([0, 1, 2]);
		// True/false keeps "true" first.
		expect(attempt.slots.find((s) => s.id === 'fx-q3')!.options).toEqual([0, 1]);
		const shown = quiz.attemptQuestions(basics, attempt, 'en');
		const q1Shown = shown.find((q) => q.id === 'fx-q1')!;
		const position = q1Shown.options.findIndex((o) => o.html === 'People first');
		const result = await quiz.submitAttempt(user.id, basics, started.attemptId, { [attempt.slots.indexOf(q1)]: [String(position)] }, 'en');
		if (result.status !== 'submitted') throw new Error(result.status);
		expect((await answersOf(result.attemptId)).get('fx-q1')).toMatchObject({ correct: true, response: [1], locale: 'en' });
	});

	it('counts unanswered questions as wrong and refuses tampered option numbers without recording anything', async () => {
		const user = await person();
		const started = await quiz.startAttempt(user.id, basics, 'zh-CN');
		if (!started.ok) throw new Error(started.reason);
		const [attempt] = await db.select().from(schema.quizAttempt).where(eq(schema.quizAttempt.id, started.attemptId));
		const single = attempt.slots.findIndex((s) => s.id === 'fx-q1');
		expect(await quiz.submitAttempt(user.id, basics, started.attemptId, { [single]: ['7'] }, 'zh-CN')).toEqual({
			status: 'invalid',
			question: single + 1
		});
		expect((await quiz.submitAttempt(user.id, basics, started.attemptId, { [single]: ['0', '1'] }, 'zh-CN')).status).toBe('invalid');
		expect((await quiz.submitAttempt(user.id, basics, started.attemptId, { [single]: ['-1'] }, 'zh-CN')).status).toBe('invalid');
		expect((await answersOf(started.attemptId)).size).toBe(0);
		expect((await quiz.openAttempt(user.id, basics.id))?.id).toBe(started.attemptId);
		const empty = await quiz.submitAttempt(user.id, basics, started.attemptId, {}, 'zh-CN');
		if (empty.status !== 'submitted') throw new Error(empty.status);
		expect(empty.score).toBe(0);
		const answers = await answersOf(started.attemptId);
		expect(answers.size).toBe(4);
		expect([...answers.values()].every((a) => !a.correct && a.pointsEarned === 0)).toBe(true);
	});
});

describe('attempts', () => {
	it('records one attempt when the same submission arrives twice, or twice at once', async () => {
		const user = await person();
		const started = await quiz.startAttempt(user.id, basics, 'zh-CN');
		if (!started.ok) throw new Error(started.reason);
		const form = await formFor(started.attemptId, RIGHT);
		const [a, b] = await Promise.all([
			quiz.submitAttempt(user.id, basics, started.attemptId, form, 'zh-CN'),
			quiz.submitAttempt(user.id, basics, started.attemptId, form, 'zh-CN')
		]);
		expect([a.status, b.status].sort()).toEqual(['already', 'submitted']);
		const again = await quiz.submitAttempt(user.id, basics, started.attemptId, await formFor(started.attemptId, { 'fx-q1': [0] }), 'zh-CN');
		expect(again).toMatchObject({ status: 'already', score: 100, passed: true });
		expect((await answersOf(started.attemptId)).size).toBe(4);
		const attempts = await db.select().from(schema.quizAttempt).where(eq(schema.quizAttempt.userId, user.id));
		expect(attempts).toHaveLength(1);
		expect(await db.select().from(schema.completion)).toHaveLength(0); // lessons not done yet
	});

	it('asks once about blank answers when the form says so, recording nothing until confirmed', async () => {
		const user = await person();
		const started = await quiz.startAttempt(user.id, basics, 'zh-CN');
		if (!started.ok) throw new Error(started.reason);
		const form = await formFor(started.attemptId, { 'fx-q1': [1], 'fx-q4': 'ABC' });
		const asked = await quiz.submitAttempt(user.id, basics, started.attemptId, form, 'zh-CN', new Date(), { requireAll: true });
		expect(asked.status).toBe('incomplete');
		if (asked.status !== 'incomplete') return;
		expect(asked.questions).toHaveLength(2);
		expect((await answersOf(started.attemptId)).size).toBe(0);
		const confirmed = await quiz.submitAttempt(user.id, basics, started.attemptId, form, 'zh-CN');
		expect(confirmed).toMatchObject({ status: 'submitted', score: 50, passed: false });
	});

	it('describes the quiz page: standing, the open attempt without keys, and past attempts', async () => {
		const user = await person();
		await take(user.id, basics, RIGHT);
		await quiz.startAttempt(user.id, basics, 'en');
		const view = await quiz.quizView(user.id, basics, 'en');
		expect(view).toMatchObject({ attemptsThisYear: 2, attemptsLeft: 1, passedThisYear: true, completedThisYear: false, questionCount: 4 });
		expect(view.lessonsLeft.map((l) => l.slug)).toEqual(['welcome', 'details']);
		expect(view.open?.questions.map((q) => q.field).sort()).toEqual(['q0', 'q1', 'q2', 'q3']);
		expect(view.history).toHaveLength(1);
		expect(JSON.stringify(view)).not.toMatch(/FIXTURE-EXPLANATION|"correct"|"accepted"|Beta Code/);
	});

	it('starts one attempt for a double click and resumes it until submitted', async () => {
		const user = await person();
		const [a, b] = await Promise.all([quiz.startAttempt(user.id, basics, 'zh-CN'), quiz.startAttempt(user.id, basics, 'zh-CN')]);
		expect(a.ok && b.ok).toBe(true);
		if (!a.ok || !b.ok) return;
		expect(a.attemptId).toBe(b.attemptId);
		const again = await quiz.startAttempt(user.id, basics, 'zh-CN');
		expect(again).toMatchObject({ ok: true, attemptId: a.attemptId, resumed: true });
		expect(await db.select().from(schema.quizAttempt)).toHaveLength(1);
	});

	it('enforces the attempt limit per calendar year and numbers attempts across years', async () => {
		const user = await person();
		const lastYear = new Date(new Date().getFullYear() - 1, 5, 1);
		const thisYear = new Date(new Date().getFullYear(), 1, 1);
		for (let i = 0; i < 3; i++) await take(user.id, basics, {}, lastYear);
		expect(await quiz.startAttempt(user.id, basics, 'zh-CN', lastYear)).toEqual({ ok: false, reason: 'limit' });
		// A new year brings new attempts; numbering carries on, so "first attempt" stays the first ever.
		const result = await take(user.id, basics, RIGHT, thisYear);
		if (result.status !== 'submitted') throw new Error(result.status);
		const [row] = await db.select().from(schema.quizAttempt).where(eq(schema.quizAttempt.id, result.attemptId));
		expect(row).toMatchObject({ attemptNo: 4, year: thisYear.getFullYear() });
		const limited = await person();
		for (let i = 0; i < 2; i++) await take(limited.id, advanced, {});
		expect(await quiz.startAttempt(limited.id, advanced, 'zh-CN')).toEqual({ ok: false, reason: 'limit' });
	});

	it('shows a learner only their own attempts', async () => {
		const owner = await person();
		const other = await person();
		const result = await take(owner.id, basics, RIGHT);
		if (result.status !== 'submitted') throw new Error(result.status);
		expect(await quiz.attemptResult(other.id, basics, result.attemptId, 'zh-CN')).toBeUndefined();
		expect(await quiz.submitAttempt(other.id, basics, result.attemptId, {}, 'zh-CN')).toEqual({ status: 'not-found' });
		const mine = await quiz.attemptResult(owner.id, basics, result.attemptId, 'zh-CN');
		expect(mine?.score).toBe(100);
		expect(mine?.questions).toHaveLength(4);
		expect(mine?.questions.every((q) => q.explanationHtml.includes('FIXTURE-EXPLANATION'))).toBe(true);
	});

	it('gives the open attempt no answer key or explanation', async () => {
		const user = await person();
		const started = await quiz.startAttempt(user.id, basics, 'zh-CN');
		if (!started.ok) throw new Error(started.reason);
		const attempt = await quiz.openAttempt(user.id, basics.id);
		const shown = JSON.stringify(quiz.attemptQuestions(basics, attempt!, 'zh-CN'));
		expect(shown).not.toMatch(/FIXTURE-EXPLANATION|correct|accepted|explanation|乙缩写/);
		expect(shown).toContain('以人为本'); // the options themselves are there
	});
});

describe('completion', () => {
	it('completes when every visible lesson is done and the quiz is passed, in either order', async () => {
		const dept = await createDepartment({ code: 'HOME' });
		const user = await createUser({ department: dept });
		await learning.markLessonDone(user.id, basics, 'welcome');
		const passed = await take(user.id, basics, RIGHT);
		expect(passed).toMatchObject({ status: 'submitted', passed: true, completed: false });
		const last = await learning.markLessonDone(user.id, basics, 'details');
		expect(last?.completion).toBeDefined();
		const [row] = await db.select().from(schema.completion).where(eq(schema.completion.userId, user.id));
		expect(row).toMatchObject({
			courseId: 'fixture-basics',
			departmentId: dept.id,
			hours: 1.5,
			score: 100,
			year: new Date().getFullYear(),
			contentVersion: basics.version
		});
		expect(row.certificateCode).toMatch(/^[a-z2-7]{16}$/);
		// The draft lesson was never needed; marking a lesson again changes nothing.
		expect(await learning.markLessonDone(user.id, basics, 'unpublished-notes')).toBeUndefined();
		expect((await learning.markLessonDone(user.id, basics, 'details'))?.completion).toBeUndefined();
		expect(await db.select().from(schema.completion)).toHaveLength(1);
		expect(await db.select().from(schema.lessonProgress).where(eq(schema.lessonProgress.userId, user.id))).toHaveLength(2);
	});

	it('completes on the passing submission when the lessons were already done', async () => {
		const user = await person();
		await readAllLessons(user.id, basics);
		const failed = await take(user.id, basics, { 'fx-q1': [1] });
		expect(failed).toMatchObject({ passed: false, completed: false });
		const passed = await take(user.id, basics, RIGHT);
		expect(passed).toMatchObject({ passed: true, completed: true });
		const view = await learning.courseView(user.id, basics, 'en');
		expect(view.status).toBe('completed');
		expect(view.completion?.certificateCode).toMatch(/^[a-z2-7]{16}$/);
		expect(view.quiz).toMatchObject({ attemptsThisYear: 2, attemptsLeft: 1, bestScore: 100, passedThisYear: true });
	});

	it('keeps the department of the moment of completion when the person moves later', async () => {
		const first = await createDepartment();
		const second = await createDepartment();
		const user = await createUser({ department: first });
		await readAllLessons(user.id, basics);
		await take(user.id, basics, RIGHT);
		await db.update(schema.user).set({ departmentId: second.id }).where(eq(schema.user.id, user.id));
		const [row] = await db.select().from(schema.completion).where(eq(schema.completion.userId, user.id));
		expect(row.departmentId).toBe(first.id);
	});

	it('counts credit hours in the year of completion and allows one completion per course and year', async () => {
		const user = await person();
		const y = new Date().getFullYear();
		const last = new Date(y - 1, 10, 20);
		const now = new Date(y, 2, 3);
		await readAllLessons(user.id, basics, last);
		await take(user.id, basics, RIGHT, last);
		await readAllLessons(user.id, advanced, now);
		await take(user.id, advanced, { 'fxa-q1': [0], 'fxa-q2': [1] }, now);
		expect(await learning.hoursInYear(user.id, y - 1)).toBe(1.5);
		expect(await learning.hoursInYear(user.id, y)).toBe(2);
		// The same course again this year: the lessons stay done, a new passing attempt completes it anew.
		await take(user.id, basics, RIGHT, now);
		expect(await learning.hoursInYear(user.id, y)).toBe(3.5);
		await take(user.id, basics, RIGHT, now);
		const rows = await db
			.select()
			.from(schema.completion)
			.where(and(eq(schema.completion.userId, user.id), eq(schema.completion.courseId, 'fixture-basics')));
		expect(rows.map((r) => r.year).sort()).toEqual([y - 1, y]);
		expect(await learning.annualTarget()).toBe(50);
		await db.insert(schema.setting).values({ key: 'annual_target_hours', value: '40' });
		expect(await learning.annualTarget()).toBe(40);
	});
});

describe('catalogue and drafts', () => {
	it('lists published courses only, searchable by title in either language and filterable by competency', async () => {
		const user = await person();
		const all = await learning.catalogue(user.id, {}, 'en');
		expect(all.map((c) => c.slug)).toEqual(['fixture-basics', 'fixture-advanced']);
		expect((await learning.catalogue(user.id, { q: '进阶' }, 'en')).map((c) => c.slug)).toEqual(['fixture-advanced']);
		expect((await learning.catalogue(user.id, { q: 'ＢＡＳＩＣＳ' }, 'zh-CN')).map((c) => c.slug)).toEqual(['fixture-basics']);
		expect((await learning.catalogue(user.id, { competency: 'fx-gamma' }, 'en')).map((c) => c.slug)).toEqual(['fixture-advanced']);
		expect(await learning.catalogue(user.id, { q: 'hidden' }, 'en')).toEqual([]);
		expect(learning.publishedCourse('fixture-hidden')).toBeUndefined();
		expect(JSON.stringify(all)).not.toContain('FIXTURE-DRAFT');
	});

	it('hides draft lessons from the course and lesson views', async () => {
		const user = await person();
		const view = await learning.courseView(user.id, basics, 'en');
		expect(view.lessons.map((l) => l.slug)).toEqual(['welcome', 'details']);
		expect(await learning.lessonView(user.id, basics, 'unpublished-notes', 'en')).toBeUndefined();
		expect(JSON.stringify(view)).not.toContain('FIXTURE-DRAFT');
	});

	it('sends "continue" to the first unfinished lesson, then to the quiz', async () => {
		const user = await person();
		expect(await learning.startCourse(user.id, basics)).toBe('/courses/fixture-basics/welcome');
		await learning.markLessonDone(user.id, basics, 'welcome');
		expect((await learning.courseView(user.id, basics, 'en')).continueHref).toBe('/courses/fixture-basics/details');
		await learning.markLessonDone(user.id, basics, 'details');
		expect((await learning.courseView(user.id, basics, 'en')).continueHref).toBe('/courses/fixture-basics/quiz');
		const [enrollment] = await db.select().from(schema.enrollment).where(eq(schema.enrollment.userId, user.id));
		expect(enrollment.lastLessonSlug).toBe('details');
	});
});

describe('certificates', () => {
	async function certified() {
		const dept = await createDepartment({ code: 'UNIT' });
		const user = await createUser({ department: dept, displayName: '王证书' });
		await readAllLessons(user.id, basics);
		await take(user.id, basics, RIGHT);
		const [row] = await db.select().from(schema.completion).where(eq(schema.completion.userId, user.id));
		return { user, dept, code: row.certificateCode };
	}

	it('verifies a code publicly with holder, course, date and validity only', async () => {
		const { code } = await certified();
		const verified = await learning.verifyCertificate(code.toUpperCase());
		expect(Object.keys(verified!).sort()).toEqual(['code', 'completedAt', 'courseTitleEn', 'courseTitleZh', 'holderName', 'valid']);
		expect(verified).toMatchObject({ holderName: '王证书', courseTitleZh: '夹具基础课', valid: true });
		expect(await learning.verifyCertificate('aaaaaaaaaaaaaaaa')).toBeUndefined();
		expect(await learning.verifyCertificate('../etc')).toBeUndefined();
		await db.update(schema.completion).set({ revokedAt: new Date() }).where(eq(schema.completion.certificateCode, code));
		expect((await learning.verifyCertificate(code))?.valid).toBe(false);
	});

	it('shows the printable certificate to its holder, HR in scope and admins only', async () => {
		const { user, dept, code } = await certified();
		const outsider = await person();
		const root = await createDepartment({ code: 'ROOT' });
		const branch = await createDepartment({ code: 'BRANCH', parent: root });
		const holder = { ...user, roles: user.roles as string[] };
		expect((await learning.certificateFor(holder, code))?.holderName).toBe('王证书');
		expect(await learning.certificateFor({ ...outsider, roles: ['learner'] }, code)).toBeUndefined();
		const hrElsewhere = await createUser({ department: branch, roles: ['hr'], hrScope: branch });
		expect(await learning.certificateFor({ ...hrElsewhere, roles: ['hr'] }, code)).toBeUndefined();
		const hrAbove = await createUser({ department: dept, roles: ['hr'], hrScope: dept });
		expect((await learning.certificateFor({ ...hrAbove, roles: ['hr'] }, code))?.hours).toBe(1.5);
		const admin = await createUser({ department: root, roles: ['admin'] });
		expect(await learning.certificateFor({ ...admin, roles: ['admin'] }, code)).toBeDefined();
	});
});
