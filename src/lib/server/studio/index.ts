// The trainer studio: what the course files say (status, errors, previews with keys) and how the
// questions perform. Drafts and broken courses included: this is where they are seen before learners.
import { formatError } from '../content/frontmatter';
import { inlineHtml, lessonHtml, library, markdownHtml, type CourseDef, type Locale } from '../content/index';
import { LOCALES } from '../content/library';
import { QUESTION_TYPES, type QuestionType } from '../content/quiz';

export { itemAnalysis, flagsOf, POPULATIONS, MIN_FLAG_ATTEMPTS, LANGUAGE_MIN, LANGUAGE_GAP, HIGH_FACILITY, LOW_FACILITY, type ItemStats, type Flag, type Population } from './analysis';

export interface CourseStatus {
	id: string;
	slug: string;
	title: Record<Locale, string>;
	version: string;
	draft: boolean;
	/** Languages with a course file. */
	locales: Locale[];
	lessonCount: number;
	draftLessonCount: number;
	questionCount: number;
	/** Questions per competency id and per type (the zh-CN quiz, else the en one). */
	byCompetency: { competency: string; count: number }[];
	byType: Record<QuestionType, number>;
	/** `file:line: message` */
	errors: string[];
}

function status(c: CourseDef): CourseStatus {
	const quiz = c.quiz['zh-CN'] ?? c.quiz.en ?? [];
	const byCompetency = new Map<string, number>();
	for (const q of quiz) byCompetency.set(q.competency, (byCompetency.get(q.competency) ?? 0) + 1);
	const byType = Object.fromEntries(QUESTION_TYPES.map((t) => [t, quiz.filter((q) => q.type === t).length])) as Record<QuestionType, number>;
	return {
		id: c.id,
		slug: c.slug,
		title: c.title,
		version: c.version,
		draft: c.draft,
		locales: LOCALES.filter((l) => c.files.includes(`${c.dir}/course.${l}.md`)),
		lessonCount: c.lessons.length,
		draftLessonCount: c.lessons.filter((l) => l.draft).length,
		questionCount: quiz.length,
		byCompetency: [...byCompetency].map(([competency, count]) => ({ competency, count })).sort((a, b) => b.count - a.count || a.competency.localeCompare(b.competency)),
		byType,
		errors: c.errors.map(formatError)
	};
}

/** Every course in content/ with its status, drafts and broken ones included, plus library-wide errors. */
export function courseList(): { version: string; courses: CourseStatus[]; errors: string[]; competencies: { id: string; name: Record<Locale, string> }[] } {
	const lib = library();
	const courseErrors = new Set(lib.courses.flatMap((c) => c.errors));
	return {
		version: lib.version,
		courses: lib.courses.map(status),
		errors: lib.errors.filter((e) => !courseErrors.has(e)).map(formatError),
		competencies: lib.competencies.map((c) => ({ id: c.id, name: c.name }))
	};
}

/** A course by slug or id, drafts included (undefined: 404). */
export function findStudioCourse(slugOrId: string): CourseDef | undefined {
	return library().courses.find((c) => c.slug === slugOrId || c.id === slugOrId);
}

/** The `?lang=` of a preview, else the interface language. */
export function previewLocale(param: string | null, fallback: string): Locale {
	return (LOCALES as readonly string[]).includes(param ?? '') ? (param as Locale) : (LOCALES as readonly string[]).includes(fallback) ? (fallback as Locale) : 'zh-CN';
}

/** Course overview for the preview page: status, rendered overview, lessons. */
export function coursePreview(course: CourseDef, locale: Locale) {
	return {
		status: status(course),
		summary: course.summary[locale],
		overviewHtml: markdownHtml(course.overview[locale]),
		hours: course.hours,
		level: course.level,
		passScore: course.passScore,
		attemptLimit: course.attemptLimit,
		shuffle: course.shuffle,
		competencies: course.competencies,
		lessons: course.lessons.map((l) => ({ slug: l.slug, position: l.position, title: l.title[locale], minutes: l.minutes, draft: l.draft, locales: LOCALES.filter((x) => l.files[x]) }))
	};
}

/** One lesson rendered as learners will see it (undefined: 404). */
export async function lessonPreview(course: CourseDef, slug: string, locale: Locale) {
	const lesson = course.lessons.find((l) => l.slug === slug);
	if (!lesson) return undefined;
	const rendered = await lessonHtml(course, slug, locale);
	if (!rendered) return undefined;
	const index = course.lessons.indexOf(lesson);
	const near = (l: (typeof course.lessons)[number] | undefined) => (l ? { slug: l.slug, title: l.title[locale] } : null);
	return {
		slug,
		title: lesson.title[locale],
		minutes: lesson.minutes,
		draft: lesson.draft,
		html: rendered.html,
		fallback: rendered.fallback,
		file: lesson.files[rendered.locale] ?? '',
		previous: near(course.lessons[index - 1]),
		next: near(course.lessons[index + 1])
	};
}

/** The quiz in one language with keys and explanations, rendered (trainers only). */
export function quizPreview(course: CourseDef, locale: Locale) {
	const quiz = course.quiz[locale];
	return {
		file: `${course.dir}/quiz.${locale}.md`,
		missing: !quiz,
		questions: (quiz ?? []).map((q) => ({
			id: q.id,
			type: q.type,
			competency: q.competency,
			line: q.line,
			stemHtml: markdownHtml(q.stem),
			options: q.options.map((o) => ({ html: inlineHtml(o.text), correct: o.correct })),
			accepted: q.accepted,
			explanationHtml: markdownHtml(q.explanation)
		}))
	};
}
