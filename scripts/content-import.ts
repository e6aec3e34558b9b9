// `npm run content:import -- DIR`: imports a course folder (DIR holds course.zh-CN.md …) or a library of
// them (DIR/NN-slug/…) as new revisions. A course that passes the check waits for review in the studio;
// one with errors becomes a draft to fix there. Nothing is published by this command.
// Uses DATABASE_URL, or the embedded database in DATA_DIR (default .data/; stop the app first).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { connect, migrate, useConnection } from '../src/lib/server/db';
import { readContentFiles } from '../src/lib/server/content/files';
import { importShippedLibrary } from '../src/lib/server/authoring/shipped';
import { importCourseFolder, type CourseFiles } from '../src/lib/server/authoring/files';

const dir = process.argv.slice(2).find((a) => !a.startsWith('--'));
if (!dir || !existsSync(dir) || !statSync(dir).isDirectory()) {
	console.error('Usage: npm run content:import -- DIR   (a course folder NN-slug/ or a folder of them)');
	process.exit(2);
}

function readCourse(folder: string): CourseFiles {
	const files: Record<string, string> = {};
	const images: CourseFiles['images'] = [];
	for (const name of readdirSync(folder)) {
		const full = path.join(folder, name);
		if (name === 'images' && statSync(full).isDirectory()) {
			for (const image of readdirSync(full))
				images.push({ name: image, contentType: '', bytes: new Uint8Array(readFileSync(path.join(full, image))) });
		} else if (name.endsWith('.md')) files[name] = readFileSync(full, 'utf8');
	}
	return { dir: path.basename(path.resolve(folder)), files, images };
}

const root = path.resolve(dir);
const folders =
	existsSync(path.join(root, 'course.zh-CN.md')) || existsSync(path.join(root, 'course.en.md'))
		? [root]
		: readdirSync(root)
				.map((n) => path.join(root, n))
				.filter((p) => statSync(p).isDirectory())
				.sort();

const conn = await connect({ url: process.env.DATABASE_URL || undefined });
try {
	useConnection(conn);
	await migrate(conn);
	await importShippedLibrary(conn.db, readContentFiles(process.cwd(), process.env.CONTENT_DIR ?? 'content'));
	if (!folders.length) throw new Error(`${dir}: no course folders`);
	for (const folder of folders) {
		const result = await conn.db.transaction((tx) => importCourseFolder(tx, readCourse(folder)));
		console.log(
			`${result.courseId}: revision ${result.number} ${result.state === 'in_review' ? 'waits for review' : 'is a draft with errors'}`
		);
		for (const e of result.errors) console.log(`  ${e}`);
	}
} catch (e) {
	console.error((e as Error).message);
	process.exitCode = 1;
} finally {
	await conn.close();
}
