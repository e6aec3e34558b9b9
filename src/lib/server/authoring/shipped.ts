// content/ is the shipped library. At start every course whose files changed becomes a new revision:
// published, unless the course was edited in the browser since its files were last imported — then the
// files' version waits for review as a draft (never a silent overwrite). Idempotent: unchanged files add nothing.
import { createHash } from 'node:crypto';
import { and, desc, eq, sql } from 'drizzle-orm';
import { audit } from '../audit';
import { schema, type Database, type Executor } from '../db';
import { loadLibrary, type ContentFiles, type CourseDef } from '../content/library';

export const sha = (text: string | Uint8Array) => createHash('sha256').update(text).digest('hex').slice(0, 16);

/** A course of a files library split into the revision's files and its images. */
export function revisionOf(course: CourseDef, files: ContentFiles) {
	const dir = course.dir.slice('content/courses/'.length);
	const own: Record<string, string> = {};
	const images: { name: string; contentType: string; bytes: Uint8Array; alt: string }[] = [];
	for (const path of course.files) {
		const name = path.slice(course.dir.length + 1);
		if (name.startsWith('images/')) {
			if (name.endsWith('.svg'))
				images.push({ name: name.slice(7), contentType: 'image/svg+xml', bytes: new TextEncoder().encode(files[path]), alt: '' });
		} else own[name] = files[path];
	}
	return { dir, files: own, images };
}

/** Makes one more revision number for a course. */
export async function nextNumber(db: Executor, courseId: string): Promise<number> {
	const [row] = await db
		.select({ n: sql<number>`coalesce(max(${schema.courseRevision.number}), 0)` })
		.from(schema.courseRevision)
		.where(eq(schema.courseRevision.courseId, courseId));
	return Number(row?.n ?? 0) + 1;
}

/** Bumps the library counter: every app server rebuilds its library on its next request. */
export async function bumpLibrary(db: Executor): Promise<void> {
	await db
		.insert(schema.libraryState)
		.values({ id: 1, counter: 1 })
		.onConflictDoUpdate({
			target: schema.libraryState.id,
			set: { counter: sql`${schema.libraryState.counter} + 1`, updatedAt: new Date() }
		});
}

/** Imports content/ (see the top of this file). Returns the course ids published and those waiting for review. */
export async function importShippedLibrary(db: Database, files: ContentFiles): Promise<{ published: string[]; review: string[] }> {
	const lib = loadLibrary(files);
	const published: string[] = [];
	const review: string[] = [];
	await db.transaction(async (tx) => {
		const yaml = files['content/competencies.yaml'];
		let changed = false;
		if (yaml !== undefined) {
			const [latest] = await tx.select().from(schema.competencyFramework).orderBy(desc(schema.competencyFramework.id)).limit(1);
			if (latest?.version !== sha(yaml)) {
				await tx.insert(schema.competencyFramework).values({ yaml, version: sha(yaml) });
				changed = true;
			}
		}
		for (const course of lib.courses) {
			const existing = await tx
				.select({
					number: schema.courseRevision.number,
					source: schema.courseRevision.source,
					version: schema.courseRevision.version,
					state: schema.courseRevision.state
				})
				.from(schema.courseRevision)
				.where(eq(schema.courseRevision.courseId, course.id));
			if (existing.some((r) => r.source === 'files' && r.version === course.version)) continue;
			const lastFiles = Math.max(0, ...existing.filter((r) => r.source === 'files').map((r) => r.number));
			const editedSince = existing.some((r) => r.source !== 'files' && r.number > lastFiles);
			const state = editedSince ? 'in_review' : 'published';
			const rev = revisionOf(course, files);
			const now = new Date();
			if (state === 'published')
				await tx
					.update(schema.courseRevision)
					.set({ state: 'retired', retiredAt: now })
					.where(and(eq(schema.courseRevision.courseId, course.id), eq(schema.courseRevision.state, 'published')));
			const [row] = await tx
				.insert(schema.courseRevision)
				.values({
					courseId: course.id,
					number: await nextNumber(tx, course.id),
					dir: rev.dir,
					state,
					source: 'files',
					files: rev.files,
					version: course.version,
					submittedAt: state === 'in_review' ? now : null,
					publishedAt: state === 'published' ? now : null
				})
				.returning({ id: schema.courseRevision.id, number: schema.courseRevision.number });
			if (rev.images.length)
				await tx.insert(schema.revisionImage).values(rev.images.map((i) => ({ ...i, revisionId: row.id, size: i.bytes.length })));
			await audit(
				{
					action: state === 'published' ? 'content.files.published' : 'content.files.review',
					targetType: 'course',
					targetId: course.id,
					after: { revision: row.number, version: course.version },
					actor: null
				},
				tx
			);
			(state === 'published' ? published : review).push(course.id);
			if (state === 'published') changed = true;
		}
		if (changed) await bumpLibrary(tx);
	});
	return { published, review };
}
