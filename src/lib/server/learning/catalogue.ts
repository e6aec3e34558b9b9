import { sql } from 'drizzle-orm';
import { courseImage, library, type CourseDef, type CourseImage, type Locale } from '../content';
import type { LessonDef } from '../content/library';
import { db, rows } from '../db';
import { asDate, list, yearOf } from './sql';

/** Courses a learner may see: published (not draft) and without content errors. */
export function publishedCourses(): CourseDef[] {
	return library().courses.filter((c) => !c.draft && c.errors.length === 0);
}

/** A published course by its URL slug; drafts and unknown slugs are undefined (a 404 for learners). */
export function publishedCourse(slug: string): CourseDef | undefined {
	return publishedCourses().find((c) => c.slug === slug);
}

/** An image of a published course (lesson images point here); undefined for anything else. */
export function lessonImage(slug: string, file: string): CourseImage | undefined {
	const course = publishedCourse(slug);
	return course ? courseImage(course, file) : undefined;
}

/** The lessons a learner sees, in order (draft lessons stay hidden). */
export function visibleLessons(course: CourseDef): LessonDef[] {
	return course.lessons.filter((l) => !l.draft);
}

/** Competency names in a locale, in framework order. */
export function competencyNames(locale: Locale): { id: string; name: string }[] {
	return library().competencies.map((c) => ({ id: c.id, name: c.name[locale] }));
}

/** Where one learner stands in one course. */
export interface CourseState {
	enrolled: boolean;
	lastSeenAt: Date | null;
	lastLessonSlug: string | null;
	/** Slugs of visible lessons done. */
	lessonsDone: string[];
	/** Latest valid completion, any year. */
	completedAt: Date | null;
	completedYear: number | null;
	certificateCode: string | null;
	attemptsThisYear: number;
	bestScore: number | null;
	passedThisYear: boolean;
	openAttemptId: number | null;
}

const EMPTY: CourseState = {
	enrolled: false,
	lastSeenAt: null,
	lastLessonSlug: null,
	lessonsDone: [],
	completedAt: null,
	completedYear: null,
	certificateCode: null,
	attemptsThisYear: 0,
	bestScore: null,
	passedThisYear: false,
	openAttemptId: null
};

/** One learner's state in several courses, in one query whatever the number of courses. */
export async function courseStates(userId: number, courses: CourseDef[], now = new Date()): Promise<Map<string, CourseState>> {
	const states = new Map<string, CourseState>();
	if (courses.length === 0) return states;
	const year = yearOf(now);
	const result = await rows<Record<string, unknown>>(
		db,
		sql`select c.id as course_id,
			e.user_id is not null as enrolled, e.last_seen_at, e.last_lesson_slug,
			coalesce((select array_agg(lp.lesson_slug) from lesson_progress lp where lp.user_id = ${userId} and lp.course_id = c.id), '{}') as lessons_done,
			co.completed_at, co.year as completed_year, co.certificate_code,
			coalesce(qa.attempts_this_year, 0)::int as attempts_this_year, qa.best_score, coalesce(qa.passed_this_year, false) as passed_this_year, qa.open_attempt_id
		from course c
		left join enrollment e on e.course_id = c.id and e.user_id = ${userId}
		left join lateral (
			select completed_at, year, certificate_code from completion
			where user_id = ${userId} and course_id = c.id and revoked_at is null
			order by completed_at desc limit 1
		) co on true
		left join lateral (
			select count(*) filter (where year = ${year})::int as attempts_this_year,
				max(score) filter (where submitted_at is not null) as best_score,
				bool_or(passed) filter (where year = ${year}) as passed_this_year,
				max(id) filter (where submitted_at is null) as open_attempt_id
			from quiz_attempt where user_id = ${userId} and course_id = c.id
		) qa on true
		where c.id in ${list(courses.map((c) => c.id))}`
	);
	const byId = new Map(courses.map((c) => [c.id, c]));
	for (const r of result) {
		const course = byId.get(String(r.course_id));
		if (!course) continue;
		const visible = new Set(visibleLessons(course).map((l) => l.slug));
		states.set(course.id, {
			enrolled: Boolean(r.enrolled),
			lastSeenAt: asDate(r.last_seen_at),
			lastLessonSlug: (r.last_lesson_slug as string | null) ?? null,
			lessonsDone: ((r.lessons_done as string[] | null) ?? []).filter((s) => visible.has(s)),
			completedAt: asDate(r.completed_at),
			completedYear: r.completed_year === null || r.completed_year === undefined ? null : Number(r.completed_year),
			certificateCode: (r.certificate_code as string | null) ?? null,
			attemptsThisYear: Number(r.attempts_this_year ?? 0),
			bestScore: r.best_score === null || r.best_score === undefined ? null : Number(r.best_score),
			passedThisYear: Boolean(r.passed_this_year),
			openAttemptId: r.open_attempt_id === null || r.open_attempt_id === undefined ? null : Number(r.open_attempt_id)
		});
	}
	for (const c of courses) if (!states.has(c.id)) states.set(c.id, { ...EMPTY });
	return states;
}

/** The first lesson not yet done, or undefined when every lesson is done. */
export function firstUnfinished(course: CourseDef, state: Pick<CourseState, 'lessonsDone'>): LessonDef | undefined {
	const done = new Set(state.lessonsDone);
	return visibleLessons(course).find((l) => !done.has(l.slug));
}

/** Where "continue" takes a learner: the first unfinished lesson, else the quiz, else the course. */
export function continueHref(course: CourseDef, state: CourseState): string {
	const next = firstUnfinished(course, state);
	if (next) return `/courses/${course.slug}/${next.slug}`;
	if (!state.passedThisYear) return `/courses/${course.slug}/quiz`;
	return `/courses/${course.slug}`;
}

export type CourseStatus = 'completed' | 'in-progress' | 'not-started';

export function statusOf(state: CourseState): CourseStatus {
	if (state.completedAt) return 'completed';
	if (state.enrolled || state.lessonsDone.length > 0 || state.attemptsThisYear > 0) return 'in-progress';
	return 'not-started';
}

/** Case-, width- and space-insensitive text for search. */
function folded(text: string): string {
	return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

export interface CatalogueFilter {
	q?: string;
	competency?: string;
}

/**
 * The catalogue: published courses whose title (either language) contains `q`, covering
 * `competency`, each with this learner's status.
 */
export async function catalogue(userId: number, filter: CatalogueFilter, locale: Locale, now = new Date()) {
	const q = filter.q ? folded(filter.q) : '';
	const courses = publishedCourses().filter(
		(c) =>
			(!q || folded(c.title['zh-CN']).includes(q) || folded(c.title.en).includes(q)) &&
			(!filter.competency || c.competencies.includes(filter.competency))
	);
	const states = await courseStates(userId, courses, now);
	const names = new Map(competencyNames(locale).map((c) => [c.id, c.name]));
	return courses.map((c) => {
		const state = states.get(c.id)!;
		const total = visibleLessons(c).length;
		return {
			slug: c.slug,
			title: c.title[locale],
			summary: c.summary[locale],
			hours: c.hours,
			level: c.level,
			lessonCount: total,
			competencies: c.competencies.map((id) => ({ id, name: names.get(id) ?? id })),
			status: statusOf(state),
			lessonsDone: state.lessonsDone.length
		};
	});
}
