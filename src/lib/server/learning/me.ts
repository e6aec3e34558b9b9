import { sql } from 'drizzle-orm';
import { library, type Locale } from '../content';
import { db, rows } from '../db';
import { continueHref, courseStates, publishedCourses, statusOf, visibleLessons } from './catalogue';
import { annualTarget, hoursInYear } from './completion';
import { asDate, yearOf } from './sql';

export type AssignmentStatus = 'completed' | 'overdue' | 'in-progress' | 'not-started';

/**
 * The courses assigned to a person (the nearest assignment up the tree, from the
 * govlearn_user_assignment view) with due date and status: completed in the current period,
 * overdue, in progress (enrolled or a lesson done), not started.
 */
export async function assignedCourses(userId: number, locale: Locale) {
	const result = await rows<Record<string, unknown>>(
		db,
		sql`select ua.course_id, ua.required, ua.recurrence, to_char(ua.current_due, 'YYYY-MM-DD') as due, ua.completed_at,
			case
				when ua.completed_at is not null then 'completed'
				when ua.current_due < current_date then 'overdue'
				when exists (select 1 from enrollment e where e.user_id = ua.user_id and e.course_id = ua.course_id)
					or exists (select 1 from lesson_progress lp where lp.user_id = ua.user_id and lp.course_id = ua.course_id) then 'in-progress'
				else 'not-started'
			end as status
		from govlearn_user_assignment ua
		where ua.user_id = ${userId}
		order by ua.current_due, ua.course_id`
	);
	const bySlugOrder: Record<AssignmentStatus, number> = { overdue: 0, 'in-progress': 1, 'not-started': 2, completed: 3 };
	const courses = new Map(publishedCourses().map((c) => [c.id, c]));
	return result
		.filter((r) => courses.has(String(r.course_id)))
		.map((r) => {
			const course = courses.get(String(r.course_id))!;
			return {
				slug: course.slug,
				title: course.title[locale],
				hours: course.hours,
				required: Boolean(r.required),
				yearly: r.recurrence === 'yearly',
				due: String(r.due),
				status: String(r.status) as AssignmentStatus,
				completedAt: asDate(r.completed_at)
			};
		})
		.sort((a, b) => bySlugOrder[a.status] - bySlugOrder[b.status] || a.due.localeCompare(b.due));
}

/** First-attempt mastery per competency: share of points earned on first attempts (null: never tested). */
export async function competencyMastery(userId: number): Promise<Map<string, { mastery: number; questions: number }>> {
	const result = await rows<{ competency_id: string; earned: number; possible: number; questions: number }>(
		db,
		sql`select competency_id, sum(points_earned)::int as earned, sum(points_possible)::int as possible, count(*)::int as questions
		from attempt_answer where user_id = ${userId} and attempt_no = 1
		group by competency_id`
	);
	return new Map(
		result
			.filter((r) => Number(r.possible) > 0)
			.map((r) => [r.competency_id, { mastery: Number(r.earned) / Number(r.possible), questions: Number(r.questions) }])
	);
}

/** Competencies below this first-attempt mastery count as weak. */
const WEAK = 0.8;
/** Where an untested competency ranks: after clear weaknesses, before near-misses. */
const UNKNOWN = 0.6;

/** "My learning": assignments, hours this year against the target, courses to continue, suggestions, certificates. */
export async function dashboard(userId: number, locale: Locale, now = new Date()) {
	const year = yearOf(now);
	const courses = publishedCourses();
	const [assignments, hours, target, states, mastery, certificates] = await Promise.all([
		assignedCourses(userId, locale),
		hoursInYear(userId, year),
		annualTarget(),
		courseStates(userId, courses, now),
		competencyMastery(userId),
		rows<Record<string, unknown>>(
			db,
			sql`select co.certificate_code, co.completed_at, co.hours::float8 as hours, co.revoked_at is not null as revoked, c.title_zh, c.title_en
			from completion co join course c on c.id = co.course_id
			where co.user_id = ${userId}
			order by co.completed_at desc`
		)
	]);

	const inProgress = courses
		.map((c) => ({ course: c, state: states.get(c.id)! }))
		.filter(({ state }) => statusOf(state) === 'in-progress')
		.sort((a, b) => (b.state.lastSeenAt?.getTime() ?? 0) - (a.state.lastSeenAt?.getTime() ?? 0))
		.map(({ course, state }) => ({
			slug: course.slug,
			title: course.title[locale],
			lessonsDone: state.lessonsDone.length,
			lessonCount: visibleLessons(course).length,
			href: continueHref(course, state)
		}));

	const competencies = library().competencies;
	const rank = new Map(
		competencies.map((c) => {
			const m = mastery.get(c.id);
			return [c.id, { name: c.name[locale], mastery: m ? m.mastery : null, score: m ? m.mastery : UNKNOWN }];
		})
	);
	const suggestions = courses
		.filter((c) => !states.get(c.id)?.completedAt)
		.map((c) => {
			const weakest = c.competencies
				.map((id) => ({ id, ...(rank.get(id) ?? { name: id, mastery: null, score: UNKNOWN }) }))
				.sort((a, b) => a.score - b.score)[0];
			return { course: c, weakest };
		})
		.filter(({ weakest }) => weakest && weakest.score < WEAK)
		.sort((a, b) => a.weakest.score - b.weakest.score || a.course.position - b.course.position)
		.slice(0, 3)
		.map(({ course, weakest }) => ({
			slug: course.slug,
			title: course.title[locale],
			hours: course.hours,
			competency: weakest.name,
			mastery: weakest.mastery === null ? null : Math.round(weakest.mastery * 100)
		}));

	return {
		year,
		hours: { earned: hours, target },
		assignments,
		inProgress,
		suggestions,
		mastery: competencies
			.filter((c) => mastery.has(c.id))
			.map((c) => ({
				id: c.id,
				name: c.name[locale],
				mastery: Math.round(mastery.get(c.id)!.mastery * 100),
				questions: mastery.get(c.id)!.questions
			})),
		certificates: certificates.map((r) => ({
			code: String(r.certificate_code),
			title: String(locale === 'en' ? r.title_en : r.title_zh),
			completedAt: asDate(r.completed_at)!,
			hours: Number(r.hours),
			revoked: Boolean(r.revoked)
		}))
	};
}
