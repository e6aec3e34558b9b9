// Files both ways: a revision as the documented files (a zip for the browser, a folder for the command
// line), and a folder of files imported as a new revision that waits for review (never published unseen).
import { deflateRawSync } from 'node:zlib';
import * as zlib from 'node:zlib';
import { and, desc, eq } from 'drizzle-orm';
import { audit } from '../audit';
import { schema, type Executor } from '../db';
import { loadLibrary, type ContentFiles } from '../content/library';
import { frameworkYaml } from '../content/runtime';
import { DomainError } from '../errors';
import { nextNumber } from './shipped';
import { cleanSvg, imageType } from './images';

export interface CourseFiles {
	dir: string;
	files: Record<string, string>;
	images: { name: string; contentType: string; bytes: Uint8Array; alt?: string }[];
}

/** A revision's files and images (by id, or the course's published revision). */
export async function revisionFiles(db: Executor, courseId: string, revisionId?: number): Promise<CourseFiles & { number: number }> {
	const [rev] = await db
		.select()
		.from(schema.courseRevision)
		.where(
			revisionId === undefined
				? and(eq(schema.courseRevision.courseId, courseId), eq(schema.courseRevision.state, 'published'))
				: and(eq(schema.courseRevision.courseId, courseId), eq(schema.courseRevision.id, revisionId))
		)
		.orderBy(desc(schema.courseRevision.number))
		.limit(1);
	if (!rev)
		throw new DomainError(
			'not-found',
			'author_not_found',
			`no ${revisionId === undefined ? 'published revision' : `revision ${revisionId}`} of course ${courseId}`
		);
	const images = await db.select().from(schema.revisionImage).where(eq(schema.revisionImage.revisionId, rev.id));
	return {
		dir: rev.dir,
		number: rev.number,
		files: rev.files,
		images: images.map((i) => ({ name: i.name, contentType: i.contentType, bytes: new Uint8Array(i.bytes), alt: i.alt }))
	};
}

/** The entries of a course folder: `<dir>/course.zh-CN.md`, `<dir>/images/flow.svg` … */
export function folderEntries(course: CourseFiles): { path: string; bytes: Uint8Array }[] {
	const enc = new TextEncoder();
	return [
		...Object.entries(course.files)
			.sort(([a], [b]) => a.localeCompare(b))
			.map(([name, text]) => ({ path: `${course.dir}/${name}`, bytes: enc.encode(text) })),
		...course.images.map((i) => ({ path: `${course.dir}/images/${i.name}`, bytes: i.bytes }))
	];
}

const crc32 = (bytes: Uint8Array) => (zlib as unknown as { crc32(data: Uint8Array): number }).crc32(bytes) >>> 0;

/** A zip (deflate) of the entries; enough of the format for every unzip tool. */
export function zip(entries: { path: string; bytes: Uint8Array }[]): Uint8Array {
	const locals: Buffer[] = [];
	const centrals: Buffer[] = [];
	let offset = 0;
	for (const e of entries) {
		const name = Buffer.from(e.path, 'utf8');
		const data = deflateRawSync(e.bytes);
		const crc = crc32(e.bytes);
		const local = Buffer.alloc(30);
		local.writeUInt32LE(0x04034b50, 0);
		local.writeUInt16LE(20, 4);
		local.writeUInt16LE(0x0800, 6); // UTF-8 names
		local.writeUInt16LE(8, 8); // deflate
		local.writeUInt32LE(0, 10);
		local.writeUInt32LE(crc, 14);
		local.writeUInt32LE(data.length, 18);
		local.writeUInt32LE(e.bytes.length, 22);
		local.writeUInt16LE(name.length, 26);
		local.writeUInt16LE(0, 28);
		const central = Buffer.alloc(46);
		central.writeUInt32LE(0x02014b50, 0);
		central.writeUInt16LE(20, 4);
		central.writeUInt16LE(20, 6);
		central.writeUInt16LE(0x0800, 8);
		central.writeUInt16LE(8, 10);
		central.writeUInt32LE(0, 12);
		central.writeUInt32LE(crc, 16);
		central.writeUInt32LE(data.length, 20);
		central.writeUInt32LE(e.bytes.length, 24);
		central.writeUInt16LE(name.length, 28);
		central.writeUInt32LE(offset, 42);
		locals.push(local, name, data);
		centrals.push(central, name);
		offset += local.length + name.length + data.length;
	}
	const directory = Buffer.concat(centrals);
	const end = Buffer.alloc(22);
	end.writeUInt32LE(0x06054b50, 0);
	end.writeUInt16LE(entries.length, 8);
	end.writeUInt16LE(entries.length, 10);
	end.writeUInt32LE(directory.length, 12);
	end.writeUInt32LE(offset, 16);
	return new Uint8Array(Buffer.concat([...locals, directory, end]));
}

const DIR = /^\d+-[a-z0-9][a-z0-9-]*$/;

/**
 * Imports one course folder as a new revision: in review when the check passes, else a draft to fix in
 * the studio. Nothing is published here.
 */
export async function importCourseFolder(
	db: Executor,
	course: CourseFiles
): Promise<{ courseId: string; number: number; state: 'draft' | 'in_review'; errors: string[] }> {
	if (!DIR.test(course.dir)) throw new DomainError('invalid', 'author_bad_folder', `folder ${course.dir}: name it NN-course-slug`);
	const images = course.images.map((i) => {
		const type = imageType(i.name, i.bytes);
		if (!type) throw new DomainError('invalid', 'author_bad_image', `${i.name}: not a PNG, JPEG, WebP or SVG image`);
		const bytes = type === 'image/svg+xml' ? new TextEncoder().encode(cleanSvg(new TextDecoder().decode(i.bytes))) : i.bytes;
		return { name: i.name, contentType: type, bytes, alt: i.alt ?? '' };
	});
	const yaml = await frameworkYaml(db);
	const files: ContentFiles = yaml === undefined ? {} : { 'content/competencies.yaml': yaml };
	for (const [name, text] of Object.entries(course.files)) files[`content/courses/${course.dir}/${name}`] = text;
	for (const i of images) files[`content/courses/${course.dir}/images/${i.name}`] = new TextDecoder().decode(i.bytes);
	const lib = loadLibrary(files);
	const def = lib.courses[0];
	if (!def) throw new DomainError('invalid', 'author_bad_folder', `${course.dir}: no course files`);
	const errors = def.errors.map((e) => `${e.file.replace(`content/courses/${course.dir}/`, '')}:${e.line}: ${e.message}`);
	const state = errors.length ? ('draft' as const) : ('in_review' as const);
	const number = await nextNumber(db, def.id);
	const [row] = await db
		.insert(schema.courseRevision)
		.values({
			courseId: def.id,
			number,
			dir: course.dir,
			state,
			source: 'import',
			files: course.files,
			version: errors.length ? 'draft' : def.version,
			submittedAt: state === 'in_review' ? new Date() : null
		})
		.returning({ id: schema.courseRevision.id });
	if (images.length) await db.insert(schema.revisionImage).values(images.map((i) => ({ ...i, revisionId: row.id, size: i.bytes.length })));
	await audit(
		{ action: 'content.import', targetType: 'course', targetId: def.id, after: { revision: number, state, errors: errors.length } },
		db
	);
	return { courseId: def.id, number, state, errors };
}
