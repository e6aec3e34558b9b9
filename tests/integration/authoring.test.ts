// Authoring: the library at runtime from revisions in the database, the shipped files imported at start,
// the review workflow (draft → in review → published → retired), rollback, attempts that keep their
// questions, images and the XSS corpus through the studio's fields.
import { and, eq, like } from 'drizzle-orm';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as authoring from '../../src/lib/server/authoring';
import { importShippedLibrary } from '../../src/lib/server/authoring/shipped';
import { folderEntries, importCourseFolder, revisionFiles, zip } from '../../src/lib/server/authoring/files';
import { cleanSvg } from '../../src/lib/server/authoring/images';
import { lessonHtml, library, markdownHtml } from '../../src/lib/server/content';
import { readContentFiles } from '../../src/lib/server/content/files';
import { refreshLibrary } from '../../src/lib/server/content/runtime';
import { syncContent } from '../../src/lib/server/content/sync';
import { db, schema } from '../../src/lib/server/db';
import { DomainError } from '../../src/lib/server/errors';
import * as quiz from '../../src/lib/server/quiz';
import { resetDatabase, testDatabase } from '../helpers/db';
import { createDepartment, createUser } from '../helpers/factories';

const FIXTURE = 'tests/fixtures/content';
const files = () => readContentFiles(process.cwd(), FIXTURE);
const actor = (u: { id: number; username: string; roles: string[] }) => ({ id: u.id, username: u.username, roles: u.roles });

let trainer: ReturnType<typeof actor>;
let reviewer: ReturnType<typeof actor>;
let learnerId: number;

async function start() {
	await importShippedLibrary(db, files());
	const lib = await refreshLibrary(db, true);
	await syncContent(db, lib);
}

const refusal = async (work: Promise<unknown>) => {
	try {
		await work;
	} catch (e) {
		if (e instanceof DomainError) return e.code;
		throw e;
	}
	return 'accepted';
};

beforeAll(async () => {
	await testDatabase();
});
beforeEach(async () => {
	await resetDatabase();
	await start();
	const dept = await createDepartment();
	const t = await createUser({ department: dept, roles: ['trainer', 'learner'] });
	const r = await createUser({ department: dept, roles: ['trainer', 'reviewer', 'learner'] });
	const l = await createUser({ department: dept, roles: ['learner'] });
	trainer = actor({ ...t, roles: ['trainer', 'learner'] });
	reviewer = actor({ ...r, roles: ['trainer', 'reviewer', 'learner'] });
	learnerId = l.id;
});

async function publishEdit(file: string, edit: (text: string) => string, more: Record<string, (text: string) => string> = {}) {
	const draft = await authoring.startDraft(trainer, 'fixture-basics');
	for (const [name, change] of Object.entries(more)) await authoring.saveFile(trainer, draft.id, name, change(draft.files[name]));
	const errors = await authoring.saveFile(trainer, draft.id, file, edit(draft.files[file]));
	expect(errors).toEqual([]);
	await authoring.submit(trainer, draft.id);
	await authoring.review(reviewer, draft.id, 'approve', '');
	return draft;
}

describe('the library at runtime', () => {
	it('imports the shipped files once as published revisions and serves learners from them', async () => {
		const revs = await db.select().from(schema.courseRevision);
		expect(revs.map((r) => [r.courseId, r.state, r.source]).sort()).toEqual(
			[
				['fixture-advanced', 'published', 'files'],
				['fixture-basics', 'published', 'files'],
				['fixture-hidden', 'published', 'files']
			].sort()
		);
		expect(await importShippedLibrary(db, files())).toEqual({ published: [], review: [] });
		expect((await db.select().from(schema.courseRevision)).length).toBe(3);
		const basics = library().courses.find((c) => c.id === 'fixture-basics')!;
		expect((await lessonHtml(basics, 'welcome', 'en'))!.html).toContain('Welcome to the fixture course.');
	});

	it('a course edited in the browser since: changed files wait for review instead of overwriting', async () => {
		await publishEdit('01-welcome.en.md', (t) => t.replace('Welcome to the fixture course.', 'Edited in the browser.'));
		const changed = files();
		changed['content/courses/01-fixture-basics/02-details.en.md'] += '\nA new line from the files.\n';
		expect(await importShippedLibrary(db, changed)).toEqual({ published: [], review: ['fixture-basics'] });
		const basics = (await refreshLibrary(db, true)).courses.find((c) => c.id === 'fixture-basics')!;
		expect((await lessonHtml(basics, 'welcome', 'en'))!.html).toContain('Edited in the browser.');
		expect(await importShippedLibrary(db, changed)).toEqual({ published: [], review: [] });
	});

	it('a course not edited in the browser: changed files are published at start', async () => {
		const changed = files();
		changed['content/courses/02-fixture-advanced/course.en.md'] = changed['content/courses/02-fixture-advanced/course.en.md'].replace(
			/^title: .*$/m,
			'title: Renamed by the files'
		);
		expect((await importShippedLibrary(db, changed)).published).toEqual(['fixture-advanced']);
		const lib = await refreshLibrary(db);
		expect(lib.courses.find((c) => c.id === 'fixture-advanced')!.title.en).toBe('Renamed by the files');
	});
});

describe('review and publish', () => {
	it('draft → in review → sent back → in review → published; the old one retired; all audited', async () => {
		const draft = await authoring.startDraft(trainer, 'fixture-basics');
		expect(draft.state).toBe('draft');
		const file = '01-welcome.en.md';
		await authoring.saveFile(trainer, draft.id, file, draft.files[file].replace('Welcome to the fixture course.', 'Revised welcome.'));
		// Learners still see the published text.
		const before = library().courses.find((c) => c.id === 'fixture-basics')!;
		expect((await lessonHtml(before, 'welcome', 'en'))!.html).not.toContain('Revised welcome.');
		await authoring.submit(trainer, draft.id);
		expect(await refusal(authoring.review(trainer, draft.id, 'approve', ''))).toBe('author_not_reviewer');
		expect(await refusal(authoring.review(reviewer, draft.id, 'return', '  '))).toBe('author_comment_required');
		await authoring.review(reviewer, draft.id, 'return', 'Say who the course is for.');
		expect((await authoring.getRevision(draft.id)).state).toBe('draft');
		await authoring.submit(trainer, draft.id);
		await authoring.review(reviewer, draft.id, 'approve', 'Good.');
		const published = await authoring.getRevision(draft.id);
		expect(published).toMatchObject({ state: 'published', reviewerId: reviewer.id, authorId: trainer.id });
		const after = library().courses.find((c) => c.id === 'fixture-basics')!;
		expect((await lessonHtml(after, 'welcome', 'en'))!.html).toContain('Revised welcome.');
		const states = (await authoring.history('fixture-basics')).map((r) => [r.number, r.state]);
		expect(states).toEqual([
			[2, 'published'],
			[1, 'retired']
		]);
		const actions = (await db.select().from(schema.auditLog).where(like(schema.auditLog.action, 'content.%'))).map((a) => a.action);
		expect(actions).toEqual(
			expect.arrayContaining([
				'content.draft.start',
				'content.draft.save',
				'content.review.submit',
				'content.review.return',
				'content.review.publish'
			])
		);
	});

	it('nobody approves their own change', async () => {
		const draft = await authoring.startDraft(reviewer, 'fixture-basics');
		await authoring.submit(reviewer, draft.id);
		expect(await refusal(authoring.review(reviewer, draft.id, 'approve', ''))).toBe('author_own_change');
	});

	it('a draft with errors cannot be submitted, and the check says line: message', async () => {
		const draft = await authoring.startDraft(trainer, 'fixture-basics');
		const broken = draft.files['quiz.en.md'].replace('- [x] People first', '- [ ] People first');
		const errors = await authoring.saveFile(trainer, draft.id, 'quiz.en.md', broken);
		expect(errors.length).toBeGreaterThan(0);
		expect(errors[0].line).toBeGreaterThan(1);
		expect(await refusal(authoring.submit(trainer, draft.id))).toBe('author_has_errors');
		expect((await authoring.getRevision(draft.id)).state).toBe('draft');
		// What was typed is kept in the draft.
		expect((await authoring.getRevision(draft.id)).files['quiz.en.md']).toBe(broken);
	});

	it('the preview checks and renders the text being typed, without saving it', async () => {
		const draft = await authoring.startDraft(trainer, 'fixture-basics');
		const saved = draft.files['01-welcome.en.md'];
		const typed = saved.replace('Welcome to the fixture course.', 'Typed {not saved} text.');
		const view = await authoring.fileView('fixture-basics', '01-welcome.en.md', typed);
		expect(view.previewHtml).toContain('Typed {not saved} text.');
		const line = typed.split('\n').findIndex((l) => l.includes('Typed')) + 1;
		expect(view.errors).toEqual([`${line}: curly braces are Svelte syntax in lessons; write &#123; and &#125;`]);
		// Nothing was written: the draft and its check are as they were.
		expect((await authoring.getRevision(draft.id)).files['01-welcome.en.md']).toBe(saved);
		expect((await authoring.fileView('fixture-basics', '01-welcome.en.md')).errors).toEqual([]);
	});

	it('a question without a right answer is refused; the question form writes both languages', async () => {
		const draft = await authoring.startDraft(trainer, 'fixture-basics');
		const q = {
			id: 'fx-new',
			type: 'single' as const,
			competency: 'fx-alpha',
			stem: { 'zh-CN': '新题？', en: 'A new question?' },
			options: [
				{ text: { 'zh-CN': '甲', en: 'A' }, correct: false },
				{ text: { 'zh-CN': '乙', en: 'B' }, correct: false }
			],
			accepted: { 'zh-CN': [], en: [] },
			explanation: { 'zh-CN': '因为。', en: 'Because.' }
		};
		expect(await refusal(authoring.saveQuestion(trainer, draft.id, q))).toBe('author_no_right_answer');
		q.options[1].correct = true;
		expect(await authoring.saveQuestion(trainer, draft.id, q)).toEqual([]);
		const { course } = await authoring.checkRevision(await authoring.getRevision(draft.id));
		expect(course!.quiz.en!.map((x) => x.id)).toContain('fx-new');
		expect(course!.quiz['zh-CN']!.find((x) => x.id === 'fx-new')!.options.map((o) => o.correct)).toEqual([false, true]);
	});

	it('rollback publishes an old revision again as a new revision', async () => {
		await publishEdit('01-welcome.en.md', (t) => t.replace('Welcome to the fixture course.', 'Second version.'));
		const first = (await authoring.history('fixture-basics')).find((r) => r.number === 1)!;
		const copy = await authoring.republish(reviewer, first.id);
		expect(copy.number).toBe(3);
		const basics = library().courses.find((c) => c.id === 'fixture-basics')!;
		expect((await lessonHtml(basics, 'welcome', 'en'))!.html).toContain('Welcome to the fixture course.');
		const d = await authoring.diff('fixture-basics', 2, 3);
		expect(d.files.map((f) => f.name)).toEqual(['01-welcome.en.md']);
		expect(d.files[0].rows.filter((r) => r.kind !== 'same').map((r) => r.kind)).toEqual(['del', 'add']);
	});
});

describe('safe for learners', () => {
	it('an attempt keeps the questions and keys it started with when an edit is published mid-attempt', async () => {
		const basics = library().courses.find((c) => c.id === 'fixture-basics')!;
		const started = await quiz.startAttempt(learnerId, basics, 'en');
		expect(started.ok).toBe(true);
		const attemptId = started.ok ? started.attemptId : 0;
		// The key of fx-q1 moves from "People first" to "Speed", and its stem changes.
		await publishEdit(
			'quiz.en.md',
			(t) =>
				t
					.replace('What is the first principle of alpha?', 'CHANGED STEM')
					.replace('- [ ] Speed\n- [x] People first', '- [x] Speed\n- [ ] People first'),
			{ 'quiz.zh-CN.md': (t) => t.replace(/- \[ \] (.*)\n- \[x\] (.*)\n/, '- [x] $1\n- [ ] $2\n') }
		);
		const current = library().courses.find((c) => c.id === 'fixture-basics')!;
		expect(current.version).not.toBe(basics.version);
		const view = await quiz.quizView(learnerId, current, 'en');
		expect(view.open!.questions.find((q) => q.id === 'fx-q1')!.stemHtml).toContain('What is the first principle of alpha?');
		// Answer fx-q1 with the old key ("People first"): right for this attempt.
		const [attempt] = await db.select().from(schema.quizAttempt).where(eq(schema.quizAttempt.id, attemptId));
		const values: Record<number, string[]> = {};
		attempt.slots.forEach((slot, position) => {
			if (slot.id === 'fx-q1') values[position] = [String(slot.options.indexOf(1))];
		});
		const result = await quiz.submitAttempt(learnerId, current, attemptId, values, 'en');
		expect(result.status).toBe('submitted');
		const [answer] = await db
			.select()
			.from(schema.attemptAnswer)
			.where(and(eq(schema.attemptAnswer.attemptId, attemptId), eq(schema.attemptAnswer.questionId, 'fx-q1')));
		expect(answer).toMatchObject({ correct: true, contentVersion: basics.version });
	});

	it('the XSS corpus through lessons, stems and options renders inert', async () => {
		const corpus = [
			'<script>alert(1)</script>',
			'<img src=x onerror=alert(1)>',
			'[click](javascript:alert(1))',
			'<svg><script>alert(1)</script></svg>',
			'{@html "<script>alert(1)</script>"}',
			'<a href="javascript:alert(1)" onclick="alert(1)">x</a>',
			'<div style="position:fixed;inset:0">cover</div>',
			'![x](https://evil.example/x.png)'
		].join('\n\n');
		const draft = await authoring.startDraft(trainer, 'fixture-basics');
		const text = `${draft.files['01-welcome.en.md']}\n\n${corpus}\n`;
		// The check names what is wrong (braces, the outside image) and the draft cannot go to review …
		const errors = await authoring.saveFile(trainer, draft.id, '01-welcome.en.md', text);
		expect(errors.map((e) => e.message).join('\n')).toMatch(/curly braces/);
		expect(await refusal(authoring.submit(trainer, draft.id))).toBe('author_has_errors');
		// … and the preview (the learners' pipeline) and the question fields render it inert.
		const preview = (await authoring.fileView('fixture-basics', '01-welcome.en.md')).previewHtml!;
		expect(preview).toContain('Welcome to the fixture course.');
		const stem = markdownHtml(corpus);
		for (const out of [preview, stem]) {
			expect(out).not.toMatch(/<script|<svg|<img[^>]*evil|onerror=|onclick=|javascript:|style=|<div/i);
		}
	});

	it('images: wrong type, too big or without alt text are refused; SVG loses its scripts', async () => {
		const draft = await authoring.startDraft(trainer, 'fixture-basics');
		const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
		expect(await refusal(authoring.uploadImage(trainer, draft.id, { name: 'a.png', bytes: png }, ''))).toBe('author_alt_required');
		expect(await refusal(authoring.uploadImage(trainer, draft.id, { name: 'a.png', bytes: new TextEncoder().encode('GIF89a') }, 'x'))).toBe(
			'author_image_type'
		);
		expect(await refusal(authoring.uploadImage(trainer, draft.id, { name: 'a.png', bytes: new Uint8Array(2 * 1024 * 1024) }, 'x'))).toBe(
			'author_image_too_big'
		);
		expect(await authoring.uploadImage(trainer, draft.id, { name: 'Photo 1.png', bytes: png }, 'A photo')).toBe('photo-1.png');
		const svg =
			'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script><a href="javascript:alert(1)"><text>t</text></a></svg>';
		await authoring.uploadImage(trainer, draft.id, { name: 'd.svg', bytes: new TextEncoder().encode(svg) }, 'A diagram');
		const stored = await authoring.draftImage('fixture-basics', 'd.svg');
		const text = new TextDecoder().decode(stored!.bytes);
		expect(text).not.toMatch(/script|onload|javascript/i);
		expect(cleanSvg('<svg><scr<script></script>ipt>alert(1)</script></svg>')).not.toMatch(/<script/i);
	});
});

describe('GIFT import into a draft', () => {
	it('converted questions land in the chosen course’s draft with the report beside them', async () => {
		const draft = await authoring.startDraft(trainer, 'fixture-basics');
		const bank = '::one:: Which colour is the sky on a clear day? {=Blue ~Green ~Red}\n\n::two:: Water is wet. {TRUE}\n';
		const result = await authoring.importGift(trainer, draft.id, bank, 'gift-');
		expect(result.count).toBe(2);
		expect(result.report).toMatch(/2/);
		const { course } = await authoring.checkRevision(await authoring.getRevision(draft.id));
		expect(course!.quiz.en!.map((q) => q.id)).toEqual(expect.arrayContaining(['gift-one', 'gift-two']));
		// The same bank again: duplicate ids are the check's errors, shown where the trainer is.
		const again = await authoring.importGift(trainer, draft.id, bank, 'gift-');
		expect(again.errors.map((e) => e.message).join('\n')).toMatch(/duplicate/i);
		expect(await refusal(authoring.importGift(trainer, draft.id, 'not a bank at all {', ''))).not.toBe('accepted');
	});
});

describe('files both ways', () => {
	it('a revision exports as its files and imports back as a revision waiting for review', async () => {
		const course = await revisionFiles(db, 'fixture-basics');
		const entries = folderEntries(course);
		expect(entries.map((e) => e.path)).toContain('01-fixture-basics/quiz.zh-CN.md');
		const archive = zip(entries);
		expect([...archive.slice(0, 4)]).toEqual([0x50, 0x4b, 0x03, 0x04]);
		const edited = { ...course, files: { ...course.files, '02-details.en.md': `${course.files['02-details.en.md']}\nMore.\n` } };
		const result = await db.transaction((tx) => importCourseFolder(tx, edited));
		expect(result).toMatchObject({ courseId: 'fixture-basics', state: 'in_review', errors: [] });
		const broken = { ...course, files: { ...course.files, 'quiz.en.md': '---\ntitle: x\n---\n' } };
		expect((await db.transaction((tx) => importCourseFolder(tx, broken))).state).toBe('draft');
	});

	it('a course created in the studio starts as a draft with settings in both languages', async () => {
		const rev = await authoring.createCourse(trainer, { id: 'new-course', title: { 'zh-CN': '新课程', en: 'New course' } });
		expect(rev.state).toBe('draft');
		expect(Object.keys(rev.files).sort()).toEqual(['course.en.md', 'course.zh-CN.md', 'quiz.en.md', 'quiz.zh-CN.md']);
		expect(await refusal(authoring.createCourse(trainer, { id: 'new-course', title: { 'zh-CN': 'x', en: 'x' } }))).toBe('author_id_taken');
		expect(await refusal(authoring.createCourse(trainer, { id: 'Bad Id', title: { 'zh-CN': 'x', en: 'x' } }))).toBe('author_bad_id');
		await authoring.addLesson(trainer, rev.id, { slug: 'intro', title: { 'zh-CN': '导言', en: 'Introduction' } });
		await authoring.addLesson(trainer, rev.id, { slug: 'more', title: { 'zh-CN': '更多', en: 'More' } });
		await authoring.moveLesson(trainer, rev.id, 'more', 'up');
		await authoring.retireLesson(trainer, rev.id, 'intro', true);
		const lessons = authoring.lessonsOf((await authoring.getRevision(rev.id)).files);
		expect(lessons.map((l) => [l.slug, l.position, l.retired])).toEqual([
			['more', 1, false],
			['intro', 2, true]
		]);
	});
});
