import { eq, notInArray, sql } from 'drizzle-orm';
import { schema, type Database } from '../db';
import { DomainError } from '../errors';
import { formatError } from './frontmatter';
import { keyHash, type Library } from './library';

/** Published content that cannot be served; the server refuses to start with it. */
export class ContentError extends DomainError<'content'> {
	constructor(message: string) {
		super('invalid', 'content', message);
	}
}

/** Refuses content whose published courses have errors; drafts may be broken (the studio lists them). */
export function assertPublishable(library: Library): void {
	const blocking = library.courses.filter((c) => !c.draft && c.errors.length).flatMap((c) => c.errors);
	const global = library.errors.filter((e) => !library.courses.some((c) => c.errors.includes(e)));
	const all = [...global, ...blocking];
	if (all.length) throw new ContentError(`Content errors (fix them or mark the course draft: true):\n${all.map(formatError).join('\n')}`);
}

/**
 * Writes course metadata and the question bank to the database. Idempotent: unchanged content
 * (same version) is a single read. Courses, lessons and questions that left the files are kept
 * (marked absent) because learners' history points at them.
 */
export async function syncContent(db: Database, library: Library): Promise<boolean> {
	const [state] = await db.select().from(schema.contentState).where(eq(schema.contentState.id, 1));
	if (state?.version === library.version) return false;
	await db.transaction(async (tx) => {
		for (const [position, c] of library.competencies.entries()) {
			await tx
				.insert(schema.competency)
				.values({ id: c.id, nameZh: c.name['zh-CN'], nameEn: c.name.en, position })
				.onConflictDoUpdate({ target: schema.competency.id, set: { nameZh: c.name['zh-CN'], nameEn: c.name.en, position } });
		}
		const usable = library.courses.filter((c) => c.errors.length === 0 || c.draft);
		for (const c of usable) {
			const questions = c.quiz['zh-CN'] ?? c.quiz.en ?? [];
			const row = {
				id: c.id,
				slug: c.slug,
				position: c.position,
				titleZh: c.title['zh-CN'],
				titleEn: c.title.en,
				summaryZh: c.summary['zh-CN'],
				summaryEn: c.summary.en,
				hours: c.hours,
				competencies: c.competencies,
				level: c.level,
				passScore: c.passScore,
				attemptLimit: c.attemptLimit,
				shuffle: c.shuffle,
				draft: c.draft || c.errors.length > 0,
				present: true,
				contentVersion: c.version,
				lessonCount: c.lessons.filter((l) => !l.draft).length,
				questionCount: questions.length,
				syncedAt: new Date()
			};
			await tx.insert(schema.course).values(row).onConflictDoUpdate({ target: schema.course.id, set: row });
			await tx.update(schema.lesson).set({ present: false }).where(eq(schema.lesson.courseId, c.id));
			for (const l of c.lessons) {
				const lessonRow = { courseId: c.id, slug: l.slug, position: l.position, titleZh: l.title['zh-CN'], titleEn: l.title.en, minutes: l.minutes, draft: l.draft, present: true };
				await tx.insert(schema.lesson).values(lessonRow).onConflictDoUpdate({ target: [schema.lesson.courseId, schema.lesson.slug], set: lessonRow });
			}
			await tx.update(schema.question).set({ present: false }).where(eq(schema.question.courseId, c.id));
			for (const [position, q] of questions.entries()) {
				const qRow = { courseId: c.id, id: q.id, position, type: q.type, competencyId: q.competency, points: 1, optionCount: q.options.length, keyHash: keyHash(q), present: true };
				await tx.insert(schema.question).values(qRow).onConflictDoUpdate({ target: [schema.question.courseId, schema.question.id], set: qRow });
			}
		}
		const ids = usable.map((c) => c.id);
		await tx
			.update(schema.course)
			.set({ present: false })
			.where(ids.length ? notInArray(schema.course.id, ids) : sql`true`);
		await tx
			.insert(schema.contentState)
			.values({ id: 1, version: library.version })
			.onConflictDoUpdate({ target: schema.contentState.id, set: { version: library.version, syncedAt: new Date() } });
	});
	return true;
}
