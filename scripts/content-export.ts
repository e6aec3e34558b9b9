// `npm run content:export -- COURSE_ID DIR [--revision N]`: writes a course's published revision (or
// revision N) as the documented files into DIR/<NN-slug>/ (course, lessons, quiz, images/).
// Uses DATABASE_URL, or the embedded database in DATA_DIR (default .data/; stop the app first).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { connect, migrate, schema, useConnection } from '../src/lib/server/db';
import { readContentFiles } from '../src/lib/server/content/files';
import { importShippedLibrary } from '../src/lib/server/authoring/shipped';
import { folderEntries, revisionFiles } from '../src/lib/server/authoring/files';

const args = process.argv.slice(2);
const at = args.indexOf('--revision');
const revisionNo = at >= 0 ? Number(args[at + 1]) : undefined;
const [courseId, dir] = args.filter((a, i) => !a.startsWith('--') && (at < 0 || i !== at + 1));
if (!courseId || !dir || (revisionNo !== undefined && !Number.isInteger(revisionNo))) {
	console.error('Usage: npm run content:export -- COURSE_ID DIR [--revision N]');
	process.exit(2);
}

const conn = await connect({ url: process.env.DATABASE_URL || undefined });
try {
	useConnection(conn);
	await migrate(conn);
	// A database that has not started the app yet still holds the shipped library.
	await importShippedLibrary(conn.db, readContentFiles(process.cwd(), process.env.CONTENT_DIR ?? 'content'));
	let revisionId: number | undefined;
	if (revisionNo !== undefined) {
		const [row] = await conn.db
			.select({ id: schema.courseRevision.id })
			.from(schema.courseRevision)
			.where(and(eq(schema.courseRevision.courseId, courseId), eq(schema.courseRevision.number, revisionNo)));
		if (!row) throw new Error(`course ${courseId} has no revision ${revisionNo}`);
		revisionId = row.id;
	}
	const course = await revisionFiles(conn.db, courseId, revisionId);
	for (const entry of folderEntries(course)) {
		const file = path.join(dir, entry.path);
		mkdirSync(path.dirname(file), { recursive: true });
		writeFileSync(file, entry.bytes);
	}
	console.log(`Wrote revision ${course.number} of ${courseId} to ${path.join(dir, course.dir)}`);
} catch (e) {
	console.error((e as Error).message);
	process.exitCode = 1;
} finally {
	await conn.close();
}
