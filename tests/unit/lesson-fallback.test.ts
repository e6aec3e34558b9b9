// A lesson whose translation is missing is shown in the other language, with a notice saying so.
import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import { lessonHtml, library, type CourseDef } from '../../src/lib/server/content';
import LessonPage from '../../src/routes/(learner)/courses/[course]/[lesson]/+page.svelte';
import { m } from '../../src/lib/paraglide/messages';
import { getLocale, overwriteGetLocale } from '../../src/lib/paraglide/runtime';

/** A real course with its English lesson files taken away. */
function withoutEnglish(course: CourseDef): CourseDef {
	return { ...course, lessons: course.lessons.map((l) => ({ ...l, files: { 'zh-CN': l.files['zh-CN'] } })) };
}

describe('lesson translation fallback', () => {
	const course = library().courses.find((c) => c.slug === 'smart-government-basics')!;
	const slug = course.lessons[0].slug;

	it('serves the other language and says so', async () => {
		const english = await lessonHtml(course, slug, 'en');
		expect(english).toMatchObject({ locale: 'en', fallback: false });
		const missing = await lessonHtml(withoutEnglish(course), slug, 'en');
		expect(missing).toMatchObject({ locale: 'zh-CN', fallback: true });
		expect(missing!.html).toMatch(/\p{Script=Han}/u);
	});

	it('the lesson page shows the notice and marks the text with its language', async () => {
		const rendered = await lessonHtml(withoutEnglish(course), slug, 'en');
		const data = {
			user: null,
			course: { slug: course.slug, title: course.title?.en ?? 'Course' },
			lesson: { slug, title: 'Lesson', number: 1, minutes: 10 },
			total: course.lessons.length,
			lessonsDone: 0,
			done: false,
			previous: null,
			next: null,
			html: rendered!.html,
			htmlLocale: rendered!.locale,
			fallback: rendered!.fallback
		};
		const before = getLocale;
		overwriteGetLocale(() => 'en');
		try {
			const { body } = render(LessonPage, { props: { data: data as never } });
			// The notice in the reader's language; the lesson text marked as Chinese for screen readers.
			expect(body).toContain(m.learn_lesson_fallback({}, { locale: 'en' }));
			expect(body).toMatch(/<div class="prose[^"]*" lang="zh-CN"/);
		} finally {
			overwriteGetLocale(before);
		}
	});
});
