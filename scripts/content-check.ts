// `npm run content:check [DIR]`: validates the course library and prints `file:line: message` per error.
import { readContentFiles } from '../src/lib/server/content/files';
import { formatError } from '../src/lib/server/content/frontmatter';
import { loadLibrary } from '../src/lib/server/content/library';

const dir = process.argv[2] ?? 'content';
let files;
try {
	files = readContentFiles(process.cwd(), dir);
} catch (e) {
	console.error(`${dir}: cannot read content folder (${(e as Error).message})`);
	process.exit(1);
}
const library = loadLibrary(files);
for (const error of library.errors) console.error(formatError(error));
const questions = library.courses.reduce((n, c) => n + (c.quiz['zh-CN']?.length ?? 0), 0);
const lessons = library.courses.reduce((n, c) => n + c.lessons.length, 0);
const summary = `${library.courses.length} courses, ${lessons} lessons, ${questions} questions, ${library.competencies.length} competencies`;
if (library.errors.length) {
	console.error(`\ncontent:check: ${library.errors.length} error(s) in ${dir}/ (${summary})`);
	process.exit(1);
}
console.log(`content:check: ${dir}/ is valid (${summary})`);
