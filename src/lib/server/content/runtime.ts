// The library at runtime: built from the published course revisions and the competency framework in the
// database. Every request compares one integer (library_state.counter, bumped by each publish) with the
// library this process holds, so a publish on any app server is seen by all of them on their next request.
import { createHash } from 'node:crypto';
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { schema, type Executor } from '../db';
import type { RevisionFiles } from '../db/schema';
import { library, useLibrary } from './index';
import { loadLibrary, type ContentFiles, type CourseDef, type Library } from './library';

export interface RevisionContent {
	dir: string;
	files: RevisionFiles;
	images: { name: string; contentType: string; bytes: Uint8Array }[];
}

const sha = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex').slice(0, 16);

/** A revision's files keyed as the library reads them (`content/courses/<dir>/…`), images included. */
export function contentFilesOf(rev: RevisionContent): ContentFiles {
	const out: ContentFiles = {};
	for (const [name, text] of Object.entries(rev.files)) out[`content/courses/${rev.dir}/${name}`] = text;
	for (const image of rev.images)
		out[`content/courses/${rev.dir}/images/${image.name}`] = image.name.endsWith('.svg') ? new TextDecoder().decode(image.bytes) : `binary:${sha(image.bytes)}`;
	return out;
}

function attachImages(course: CourseDef, images: RevisionContent['images']): void {
	const photos = images.filter((i) => !i.name.endsWith('.svg'));
	if (photos.length) course.images = Object.fromEntries(photos.map((i) => [i.name, { contentType: i.contentType, bytes: i.bytes }]));
}

/** The newest competency framework, as content/competencies.yaml text. */
export async function frameworkYaml(db: Executor): Promise<string | undefined> {
	const [row] = await db
		.select({ yaml: schema.competencyFramework.yaml })
		.from(schema.competencyFramework)
		.orderBy(desc(schema.competencyFramework.id))
		.limit(1);
	return row?.yaml;
}

async function imagesOf(db: Executor, revisionIds: number[]): Promise<Map<number, RevisionContent['images']>> {
	const out = new Map<number, RevisionContent['images']>();
	if (!revisionIds.length) return out;
	const rows = await db.select().from(schema.revisionImage).where(inArray(schema.revisionImage.revisionId, revisionIds));
	for (const r of rows) {
		const list = out.get(r.revisionId) ?? [];
		list.push({ name: r.name, contentType: r.contentType, bytes: new Uint8Array(r.bytes) });
		out.set(r.revisionId, list);
	}
	return out;
}

/** Published courses already read by this process, by their files (see LoadOptions.courseCache). */
const served = new Map<string, CourseDef>();

/**
 * The library of every course's published revision, as learners are served it: each course was checked
 * when it was published, so links are not checked again here, and an unchanged course is not re-read.
 */
export async function buildLibrary(db: Executor): Promise<Library> {
	const yaml = await frameworkYaml(db);
	const published = await db
		.select()
		.from(schema.courseRevision)
		.where(eq(schema.courseRevision.state, 'published'))
		.orderBy(asc(schema.courseRevision.dir));
	const images = await imagesOf(
		db,
		published.map((r) => r.id)
	);
	const files: ContentFiles = yaml === undefined ? {} : { 'content/competencies.yaml': yaml };
	for (const r of published) Object.assign(files, contentFilesOf({ dir: r.dir, files: r.files, images: images.get(r.id) ?? [] }));
	const lib = loadLibrary(files, { courseCache: served, references: false });
	for (const course of lib.courses) {
		const rev = published.find((r) => `content/courses/${r.dir}` === course.dir);
		if (rev) attachImages(course, images.get(rev.id) ?? []);
	}
	return lib;
}

/** One revision read as a course of the library (its own checks, the current competency framework). */
export async function revisionCourse(
	db: Executor,
	revisionId: number,
	files?: RevisionFiles
): Promise<{ course: CourseDef; library: Library } | undefined> {
	const [rev] = await db.select().from(schema.courseRevision).where(eq(schema.courseRevision.id, revisionId));
	if (!rev) return undefined;
	const images = (await imagesOf(db, [rev.id])).get(rev.id) ?? [];
	const yaml = await frameworkYaml(db);
	const dir = `content/courses/${rev.dir}`;
	// The other courses as published, so links between courses and duplicate ids are checked too.
	const others: ContentFiles = {};
	for (const c of library().courses) if (c.id !== rev.courseId && c.dir !== dir) Object.assign(others, c.sources ?? {});
	// The other courses are read from the cache; only this one's links are checked (against all of them).
	const lib = loadLibrary(
		{
			...(yaml === undefined ? {} : { 'content/competencies.yaml': yaml }),
			...others,
			...contentFilesOf({ dir: rev.dir, files: files ?? rev.files, images })
		},
		{ courseCache: served, references: dir }
	);
	const course = lib.courses.find((c) => c.dir === dir);
	if (!course) return undefined;
	attachImages(course, images);
	return { course, library: lib };
}

let held: number | undefined;
let loading: Promise<void> | undefined;

async function counter(db: Executor): Promise<number> {
	const [row] = await db.select({ counter: schema.libraryState.counter }).from(schema.libraryState).where(eq(schema.libraryState.id, 1));
	return row?.counter ?? 0;
}

/** Makes the library this process serves the one in the database (one small read when nothing changed). */
export async function refreshLibrary(db: Executor, force = false): Promise<Library> {
	const now = await counter(db);
	if (force || now !== held) {
		loading ??= (async () => {
			const lib = await buildLibrary(db);
			useLibrary(lib);
			held = now;
		})().finally(() => {
			loading = undefined;
		});
		await loading;
	}
	return library();
}

const pinned = new Map<string, CourseDef>();

/**
 * The course as it was at `version` (an attempt keeps the questions and keys it started with): the
 * current course when the version is current, else the revision with that version. A revision never
 * changes, so it is cached by version.
 */
export async function courseAtVersion(db: Executor, course: CourseDef, version: string): Promise<CourseDef> {
	if (course.version === version) return course;
	const key = `${course.id}:${version}`;
	const hit = pinned.get(key);
	if (hit) return hit;
	const [rev] = await db
		.select({ id: schema.courseRevision.id })
		.from(schema.courseRevision)
		.where(and(eq(schema.courseRevision.courseId, course.id), eq(schema.courseRevision.version, version)))
		.limit(1);
	const loaded = rev ? (await revisionCourse(db, rev.id))?.course : undefined;
	if (!loaded || loaded.version !== version) return course;
	// The slug and position stay the current course's (links); questions, keys and pass mark are the old ones.
	const at = { ...loaded, slug: course.slug };
	if (pinned.size > 500) pinned.clear();
	pinned.set(key, at);
	return at;
}
