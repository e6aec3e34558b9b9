import { markdownHtml, lessonHtml, type CourseDef, type Locale } from '../content';
import { competencyNames, continueHref, courseStates, firstUnfinished, statusOf, visibleLessons } from './catalogue';

/** The course page: overview, lessons with this learner's progress, quiz status and completion. */
export async function courseView(userId: number, course: CourseDef, locale: Locale, now = new Date()) {
	const state = (await courseStates(userId, [course], now)).get(course.id)!;
	const done = new Set(state.lessonsDone);
	const lessons = visibleLessons(course);
	const names = new Map(competencyNames(locale).map((c) => [c.id, c.name]));
	const questionCount = (course.quiz[locale] ?? course.quiz['zh-CN'] ?? course.quiz.en ?? []).length;
	return {
		slug: course.slug,
		title: course.title[locale],
		summary: course.summary[locale],
		overviewHtml: markdownHtml(course.overview[locale]),
		hours: course.hours,
		level: course.level,
		competencies: course.competencies.map((id) => ({ id, name: names.get(id) ?? id })),
		lessons: lessons.map((l, i) => ({ slug: l.slug, number: i + 1, title: l.title[locale], minutes: l.minutes, done: done.has(l.slug) })),
		lessonsDone: lessons.filter((l) => done.has(l.slug)).length,
		status: statusOf(state),
		enrolled: state.enrolled,
		continueHref: continueHref(course, state),
		nextLesson: firstUnfinished(course, state)?.slug ?? null,
		quiz: {
			questionCount,
			passScore: course.passScore,
			attemptLimit: course.attemptLimit,
			attemptsThisYear: state.attemptsThisYear,
			attemptsLeft: Math.max(0, course.attemptLimit - state.attemptsThisYear),
			bestScore: state.bestScore,
			passedThisYear: state.passedThisYear,
			open: state.openAttemptId !== null
		},
		completion: state.completedAt
			? { completedAt: state.completedAt, year: state.completedYear, certificateCode: state.certificateCode }
			: null
	};
}

/** A lesson page: its HTML (in the other language with `fallback` when a translation is missing), neighbours and progress. */
export async function lessonView(userId: number, course: CourseDef, slug: string, locale: Locale, now = new Date()) {
	const lessons = visibleLessons(course);
	const index = lessons.findIndex((l) => l.slug === slug);
	if (index < 0) return undefined;
	const lesson = lessons[index];
	const rendered = await lessonHtml(course, slug, locale);
	if (!rendered) return undefined;
	const state = (await courseStates(userId, [course], now)).get(course.id)!;
	const done = new Set(state.lessonsDone);
	const link = (l: (typeof lessons)[number] | undefined) => (l ? { slug: l.slug, title: l.title[locale] } : null);
	return {
		course: { slug: course.slug, title: course.title[locale] },
		lesson: { slug: lesson.slug, title: lesson.title[rendered.locale] || lesson.title[locale], minutes: lesson.minutes, number: index + 1 },
		total: lessons.length,
		html: rendered.html,
		htmlLocale: rendered.locale,
		fallback: rendered.fallback,
		done: done.has(lesson.slug),
		lessonsDone: lessons.filter((l) => done.has(l.slug)).length,
		previous: link(lessons[index - 1]),
		next: link(lessons[index + 1]),
		quizPassed: state.passedThisYear
	};
}
