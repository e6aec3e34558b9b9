import type { CourseDef } from '../content';
import { db, schema, type Executor } from '../db';
import { courseStates, continueHref, visibleLessons } from './catalogue';
import { completeIfDone } from './completion';

async function touchEnrollment(tx: Executor, userId: number, courseId: string, lessonSlug: string | null, now: Date) {
	await tx
		.insert(schema.enrollment)
		.values({ userId, courseId, startedAt: now, lastSeenAt: now, lastLessonSlug: lessonSlug })
		.onConflictDoUpdate({
			target: [schema.enrollment.userId, schema.enrollment.courseId],
			set: lessonSlug ? { lastSeenAt: now, lastLessonSlug: lessonSlug } : { lastSeenAt: now }
		});
}

/** Enrols the learner (idempotent) and says where to go: the first unfinished lesson. */
export async function startCourse(userId: number, course: CourseDef, now = new Date()): Promise<string> {
	await touchEnrollment(db, userId, course.id, null, now);
	const state = (await courseStates(userId, [course], now)).get(course.id)!;
	return continueHref(course, state);
}

/**
 * Marks a lesson done (idempotent: a second time changes nothing but "last seen") and completes the
 * course when this was the last missing piece. Says where to go next: the following lesson when it
 * is not done yet, else wherever "continue" leads. Undefined for a lesson the learner may not see.
 */
export async function markLessonDone(userId: number, course: CourseDef, lessonSlug: string, now = new Date()) {
	const lessons = visibleLessons(course);
	const index = lessons.findIndex((l) => l.slug === lessonSlug);
	if (index < 0) return undefined;
	const completion = await db.transaction(async (tx) => {
		await tx.insert(schema.lessonProgress).values({ userId, courseId: course.id, lessonSlug, completedAt: now }).onConflictDoNothing();
		await touchEnrollment(tx, userId, course.id, lessonSlug, now);
		return completeIfDone(tx, userId, course, now);
	});
	const state = (await courseStates(userId, [course], now)).get(course.id)!;
	const following = lessons[index + 1];
	const nextHref =
		following && !state.lessonsDone.includes(following.slug) ? `/courses/${course.slug}/${following.slug}` : continueHref(course, state);
	return { completion, nextHref };
}
