// The trainer studio: what the course files say (status, errors, previews with keys) and how the
// questions perform. Drafts and broken courses included: this is where they are seen before learners.
import { questionTextChanges } from '../quiz/text-changes';
import { formatError } from '../content/frontmatter';
import { inlineHtml, lessonHtml, library, markdownHtml, type CourseDef, type Locale } from '../content/index';
import { LOCALES } from '../content/library';
import { itemAnalysis, LANGUAGE_GAP, LANGUAGE_MIN, MIN_FLAG_ATTEMPTS, POPULATIONS } from '../quiz/analysis';
import { convertGift, GiftParseError, type GiftConversion } from '../quiz/gift';
import { parseQuiz, QUESTION_TYPES, type QuestionType, type QuizQuestion } from '../quiz/parse';

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
	const byType = Object.fromEntries(QUESTION_TYPES.map((t) => [t, quiz.filter((q) => q.type === t).length])) as Record<
		QuestionType,
		number
	>;
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
		byCompetency: [...byCompetency]
			.map(([competency, count]) => ({ competency, count }))
			.sort((a, b) => b.count - a.count || a.competency.localeCompare(b.competency)),
		byType,
		errors: c.errors.map(formatError)
	};
}

/** Every course in content/ with its status, drafts and broken ones included, plus library-wide errors. */
export function courseList(): {
	version: string;
	courses: CourseStatus[];
	errors: string[];
	competencies: { id: string; name: Record<Locale, string> }[];
} {
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
	return (LOCALES as readonly string[]).includes(param ?? '')
		? (param as Locale)
		: (LOCALES as readonly string[]).includes(fallback)
			? (fallback as Locale)
			: 'zh-CN';
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
		lessons: course.lessons.map((l) => ({
			slug: l.slug,
			position: l.position,
			title: l.title[locale],
			minutes: l.minutes,
			draft: l.draft,
			locales: LOCALES.filter((x) => l.files[x])
		}))
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
		html: studioImages(course, rendered.html),
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
		questions: (quiz ?? []).map((q) => renderQuestion(q, (html) => studioImages(course, html)))
	};
}

function renderQuestion(q: QuizQuestion, fix: (html: string) => string = (html) => html) {
	return {
		id: q.id,
		type: q.type,
		competency: q.competency,
		line: q.line,
		stemHtml: fix(markdownHtml(q.stem)),
		options: q.options.map((o) => ({ html: inlineHtml(o.text), correct: o.correct })),
		accepted: q.accepted,
		explanationHtml: fix(markdownHtml(q.explanation))
	};
}

/**
 * The converted quiz read back with the quiz parser and rendered like a quiz preview. The text came
 * from an uploaded file: markdownHtml drops raw HTML, so the result is safe to show.
 */
export function giftPreview(conversion: GiftConversion) {
	return parseQuiz(conversion.markdown, 'import').questions.map((q) => renderQuestion(q));
}

/** Lesson images point at the learner route, which drafts do not have: previews use the studio's. */
function studioImages(course: CourseDef, html: string): string {
	return html.replaceAll(`/courses/${course.slug}/images/`, `/studio/courses/${course.slug}/images/`);
}

/** Item analysis shaped for the page: each question rendered, with its figures per population. */
export async function analysisView(course: CourseDef, locale: Locale) {
	const items = await itemAnalysis(course, locale);
	const quizFile = Object.entries(course.sources).find(([name]) => name.endsWith(`quiz.${locale}.md`))?.[1] ?? '';
	const changed = await questionTextChanges(course.id, locale, quizFile);
	return {
		populations: POPULATIONS,
		thresholds: { minAttempts: MIN_FLAG_ATTEMPTS, languageMin: LANGUAGE_MIN, languageGap: LANGUAGE_GAP },
		firstAttempts: Math.max(0, ...items.map((i) => i.stats.all.attempts)),
		questions: items.map((item) => ({
			id: item.question.id,
			type: item.question.type,
			competency: item.question.competency,
			stemHtml: studioImages(course, markdownHtml(item.question.stem)),
			accepted: item.question.accepted,
			options: item.question.options.map((o, i) => ({
				html: inlineHtml(o.text),
				correct: o.correct,
				counts: Object.fromEntries(POPULATIONS.map((p) => [p, item.stats[p].optionCounts[i] ?? 0])) as Record<
					(typeof POPULATIONS)[number],
					number
				>
			})),
			stats: Object.fromEntries(
				POPULATIONS.map((p) => {
					const s = item.stats[p];
					return [p, { attempts: s.attempts, facility: s.facility, discrimination: s.discrimination, upper: s.upper, lower: s.lower }];
				})
			) as Record<
				(typeof POPULATIONS)[number],
				{
					attempts: number;
					facility: number | null;
					discrimination: number | null;
					upper: { attempts: number; facility: number | null };
					lower: { attempts: number; facility: number | null };
				}
			>,
			typed: item.stats.all.typed,
			flags: item.flags,
			/** Revisions learners answered in which this question's text read otherwise (figures pool them). */
			textChangedSince: changed.get(item.question.id) ?? []
		}))
	};
}

/**
 * GIFT text from the studio's upload form → quiz Markdown and report, with competencies checked
 * against the framework; a GIFT syntax error comes back with its line and column.
 */
export function convertUpload(
	text: string,
	options: { lang: 'auto' | Locale; competency: string; prefix: string }
): { ok: true; conversion: GiftConversion } | { ok: false; message: string } {
	try {
		const conversion = convertGift(text, {
			locale: options.lang === 'auto' ? undefined : options.lang,
			defaultCompetency: options.competency || undefined,
			idPrefix: options.prefix || undefined,
			competencies: library().competencies.map((c) => c.id)
		});
		return { ok: true, conversion };
	} catch (e) {
		if (e instanceof GiftParseError) return { ok: false, message: e.message };
		throw e;
	}
}
