import { beforeAll, describe, expect, it } from 'vitest';
import { library, useLibrary } from '../../src/lib/server/content';
import * as studio from '../../src/lib/server/studio';
import { testDatabase } from '../helpers/db';
import { testLibrary } from './studio-helpers';

const real = library();

beforeAll(async () => {
	await testDatabase();
});

describe('studio course status', () => {
	it('lists every course with version, languages, lessons, questions per competency and type, and errors of drafts', () => {
		useLibrary(testLibrary({ brokenDraft: true }));
		const list = studio.courseList();
		const [stats, wip] = list.courses;
		expect(stats).toMatchObject({ id: 'stats', draft: false, locales: ['zh-CN', 'en'], lessonCount: 1, questionCount: 4, errors: [] });
		expect(stats.version).toMatch(/^[0-9a-f]{16}$/);
		expect(stats.byType).toEqual({ single: 1, multiple: 1, 'true-false': 1, short: 1 });
		expect(stats.byCompetency).toEqual([
			{ competency: 'skill-a', count: 2 },
			{ competency: 'skill-b', count: 2 }
		]);
		expect(wip.draft).toBe(true);
		expect(wip.errors).toContain('content/courses/02-wip/quiz.en.md:1: missing en quiz');
		expect(
			wip.errors.some((e) => /^content\/courses\/02-wip\/quiz\.zh-CN\.md:\d+: question q1: unknown competency "no-such-skill"$/.test(e))
		).toBe(true);
	});

	it('previews a quiz with its key and explanations in the language asked for, and says when one is missing', () => {
		useLibrary(testLibrary({ brokenDraft: true }));
		const course = studio.findStudioCourse('stats')!;
		const en = studio.quizPreview(course, 'en');
		expect(en.questions.map((q) => q.id)).toEqual(['q1', 'q2', 'q3', 'q4']);
		expect(en.questions[0].stemHtml).toContain('Stem one en');
		expect(en.questions[0].options.map((o) => o.correct)).toEqual([false, true, false]);
		expect(en.questions[0].explanationHtml).toContain('Why one.');
		expect(en.questions[2].accepted).toEqual(['alpha']);
		expect(en.questions[3].options.map((o) => o.html)).toEqual(['True', 'False']);
		expect(studio.quizPreview(course, 'zh-CN').questions[3].options.map((o) => o.html)).toEqual(['正确', '错误']);
		expect(studio.quizPreview(studio.findStudioCourse('wip')!, 'en').missing).toBe(true);
	});

	it('picks the preview language from ?lang=, else the interface language', () => {
		expect(studio.previewLocale('en', 'zh-CN')).toBe('en');
		expect(studio.previewLocale('fr', 'en')).toBe('en');
		expect(studio.previewLocale(null, 'de')).toBe('zh-CN');
	});

	it('renders lessons of the real draft course in both languages, with images pointed at the studio', async () => {
		useLibrary(real);
		const draft = studio.findStudioCourse('draft-ai-assistants')!;
		expect(draft.draft).toBe(true);
		const overview = studio.coursePreview(draft, 'en');
		expect(overview.lessons.map((l) => l.slug)).toEqual(['what-assistants-do', 'protecting-data', 'checking-output']);
		const en = await studio.lessonPreview(draft, 'protecting-data', 'en');
		expect(en?.html).toContain('Never type this into a public tool');
		expect(en?.previous?.slug).toBe('what-assistants-do');
		const zh = await studio.lessonPreview(draft, 'protecting-data', 'zh-CN');
		expect(zh?.html).toContain('绝不输入公共工具的信息');
		expect(await studio.lessonPreview(draft, 'no-such-lesson', 'en')).toBeUndefined();
		const withImage = real.courses.find((c) => c.files.some((f) => f.includes('/images/')) && c.lessons.length);
		if (withImage) {
			const rendered = await Promise.all(withImage.lessons.map((l) => studio.lessonPreview(withImage, l.slug, 'en')));
			const html = rendered.map((r) => r?.html ?? '').join('');
			expect(html).not.toContain(`src="/courses/${withImage.slug}/images/`);
		}
	});

	it('converts an uploaded GIFT bank with competencies checked against the framework, and reports syntax errors with the place', () => {
		useLibrary(real);
		const ok = studio.convertUpload('// [tag:citizen-responsiveness]\n::q1:: First? {=yes ~no}\n\n::q2:: Second? {=yes ~no}\n', {
			lang: 'auto',
			competency: 'no-such',
			prefix: 'x-'
		});
		expect(ok.ok).toBe(true);
		if (!ok.ok) return;
		expect(ok.conversion.converted.map((q) => `${q.id}:${q.competency}`)).toEqual(['x-q1:citizen-responsiveness', 'x-q2:no-such']);
		expect(ok.conversion.warnings.some((w) => w.message.includes('"no-such" is not in content/competencies.yaml'))).toBe(true);
		const preview = studio.giftPreview(ok.conversion);
		expect(preview[0].options.map((o) => o.correct)).toEqual([true, false]);
		const bad = studio.convertUpload('::q1:: Never closed {=yes', { lang: 'en', competency: '', prefix: '' });
		expect(bad).toEqual({ ok: false, message: expect.stringMatching(/^line 1, column \d+: Expected/) });
	});

	it('escapes what an uploaded bank says: no raw HTML reaches the preview', () => {
		useLibrary(real);
		const r = studio.convertUpload(
			'[markdown]Pick <script>alert(1)</script> **one** <img src\\="x" onerror\\="alert(2)">{=<b>a</b> ~b}\n',
			{ lang: 'en', competency: '', prefix: '' }
		);
		if (!r.ok) throw new Error(r.message);
		const html = JSON.stringify(studio.giftPreview(r.conversion));
		expect(html).not.toMatch(/<script|onerror|<img|<b>/);
		expect(html).toContain('<strong>one</strong>');
	});
});
