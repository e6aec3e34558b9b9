import { eq, getTableColumns, notInArray, sql, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
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

/** The first of each key: a broken draft may repeat an id, and one upsert cannot write a row twice. */
function unique<T>(items: T[], key: (item: T) => string): T[] {
	const seen = new Set<string>();
	return items.filter((item) => !seen.has(key(item)) && seen.add(key(item)));
}

/** `set` of a multi-row upsert: each column takes the value of its own row (`excluded.column`). */
function excluded<T extends PgTable>(table: T, keys: string[]): Record<string, SQL> {
	const columns = getTableColumns(table);
	return Object.fromEntries(keys.map((key) => [key, sql.raw(`excluded."${columns[key].name}"`)]));
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
		const competencyRows = library.competencies.map((c, position) => ({ id: c.id, nameZh: c.name['zh-CN'], nameEn: c.name.en, position }));
		if (competencyRows.length)
			await tx
				.insert(schema.competency)
				.values(competencyRows)
				.onConflictDoUpdate({ target: schema.competency.id, set: excluded(schema.competency, ['nameZh', 'nameEn', 'position']) });
		const usable = library.courses.filter((c) => c.errors.length === 0 || c.draft);
		// A publish changes one course: the others, stored as they are, are not written again.
		const stored = new Map(
			(
				await tx
					.select({
						id: schema.course.id,
						slug: schema.course.slug,
						version: schema.course.contentVersion,
						position: schema.course.position,
						draft: schema.course.draft,
						present: schema.course.present
					})
					.from(schema.course)
			).map((r) => [r.id, r])
		);
		for (const c of usable) {
			const was = stored.get(c.id);
			const draft = c.draft || c.errors.length > 0;
			// The folder (slug, position) lives beside the files, not in their version: compare it too.
			if (was?.present && was.version === c.version && was.slug === c.slug && was.position === c.position && was.draft === draft) continue;
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
				draft,
				present: true,
				contentVersion: c.version,
				lessonCount: c.lessons.filter((l) => !l.draft).length,
				questionCount: questions.length,
				syncedAt: new Date()
			};
			await tx.insert(schema.course).values(row).onConflictDoUpdate({ target: schema.course.id, set: row });
			await tx.update(schema.lesson).set({ present: false }).where(eq(schema.lesson.courseId, c.id));
			const lessonRows = unique(c.lessons, (l) => l.slug).map((l) => ({ courseId: c.id, slug: l.slug, position: l.position, titleZh: l.title['zh-CN'], titleEn: l.title.en, minutes: l.minutes, draft: l.draft, present: true }));
			if (lessonRows.length)
				await tx
					.insert(schema.lesson)
					.values(lessonRows)
					.onConflictDoUpdate({ target: [schema.lesson.courseId, schema.lesson.slug], set: excluded(schema.lesson, Object.keys(lessonRows[0])) });
			await tx.update(schema.question).set({ present: false }).where(eq(schema.question.courseId, c.id));
			const questionRows = unique(questions, (q) => q.id).map((q, position) => ({ courseId: c.id, id: q.id, position, type: q.type, competencyId: q.competency, points: 1, optionCount: q.options.length, keyHash: keyHash(q), present: true }));
			if (questionRows.length)
				await tx
					.insert(schema.question)
					.values(questionRows)
					.onConflictDoUpdate({ target: [schema.question.courseId, schema.question.id], set: excluded(schema.question, Object.keys(questionRows[0])) });
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
