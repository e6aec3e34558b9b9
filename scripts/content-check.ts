// `npm run content:check [DIR] [--stats]`: validates the course library and prints `file:line: message`
// per error (exit code 1 on any). Besides the rules of loadLibrary (frontmatter, competencies, parity
// between languages, quiz structure, links and images) it compiles every lesson the way the build does
// (mdsvex, then Svelte), so a lesson that would break the build is caught here with its file and line.
// --stats prints the figures trainers ask for: lessons, text length, questions per competency and type.
import path from 'node:path';
import type { Root, RootContent } from 'mdast';
import { compile as compileMarkdown } from 'mdsvex';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { compile as compileSvelte } from 'svelte/compiler';
import { unified } from 'unified';
import { readContentFiles } from '../src/lib/server/content/files';
import { formatError, splitFrontmatter, type ContentError } from '../src/lib/server/content/frontmatter';
import { loadLibrary, LOCALES, type ContentFiles, type Library } from '../src/lib/server/content/library';
// The same remark plugins svelte.config.js gives mdsvex.
import { calloutsPlugin, contentImagesPlugin } from '../src/lib/server/content/remark-plugins.js';

const args = process.argv.slice(2);
const stats = args.includes('--stats');
const dirArg = args.find((a) => !a.startsWith('--')) ?? 'content';
const dir = path.relative(process.cwd(), path.resolve(dirArg)).replace(/\\/g, '/') || '.';

/** Files are keyed `content/...` whatever folder they came from; errors name the real file. */
const realPath = (file: string) => file.replace(/^content(?=\/|$)/, dir);

async function compileToSvelte(source: string, filename: string): Promise<void> {
	const out = await compileMarkdown(source, {
		remarkPlugins: [calloutsPlugin, contentImagesPlugin],
		smartypants: false,
		extensions: ['.md'],
		filename
	});
	if (!out) throw new Error('mdsvex produced no output');
	compileSvelte(out.code, { filename, generate: 'server' });
}

const firstLine = (e: unknown) => String((e as Error)?.message ?? e).split('\n')[0];

/**
 * Compiles a lesson; on failure finds the top-level Markdown block that fails on its own, so the error
 * points at the paragraph, list or table to fix rather than at a line of generated code.
 */
async function compileErrors(file: string, source: string): Promise<ContentError[]> {
	const filename = path.resolve(realPath(file));
	try {
		await compileToSvelte(source, filename);
		return [];
	} catch (error) {
		const message = `lesson does not compile (mdsvex/Svelte): ${firstLine(error)}`;
		const { body, bodyLine } = splitFrontmatter(source, file);
		const tree = unified().use(remarkParse).use(remarkGfm).use(remarkFrontmatter, ['yaml']).parse(body) as Root;
		for (const node of tree.children as RootContent[]) {
			const start = node.position?.start.offset;
			const end = node.position?.end.offset;
			if (start === undefined || end === undefined) continue;
			try {
				await compileToSvelte(body.slice(start, end) + '\n', filename);
			} catch (blockError) {
				const startLine = bodyLine + (node.position!.start.line - 1);
				const endLine = bodyLine + (node.position!.end.line - 1);
				// mdsvex puts one empty line before the block's markup.
				const inner = ((blockError as { start?: { line?: number } }).start?.line ?? 2) - 1;
				const line = Math.max(startLine, Math.min(endLine, startLine + inner - 1));
				return [{ file, line, message: `lesson does not compile (mdsvex/Svelte): ${firstLine(blockError)}` }];
			}
		}
		// Only the whole fails (say, a tag opened in one block and closed in another): the compiler's line.
		const line = (error as { start?: { line?: number } }).start?.line ?? 1;
		return [{ file, line: Math.min(line, source.split('\n').length), message }];
	}
}

function printStats(library: Library, files: ContentFiles) {
	const strip = (md: string) =>
		md
			.replace(/```[\s\S]*?```/g, '')
			.replace(/!\[[^\]]*\]\([^)]*\)/g, '')
			.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');
	const hanChars = (text: string) => (text.match(/\p{Script=Han}/gu) ?? []).length;
	const enWords = (text: string) => (text.match(/[A-Za-z0-9][A-Za-z0-9'’-]*/g) ?? []).length;
	const perCompetency = new Map<string, number>(library.competencies.map((c) => [c.id, 0]));
	const perType = new Map<string, number>();
	let totalZh = 0;
	let totalEn = 0;
	console.log('course | lessons | questions | zh-CN characters (Han) | en words | shortest lesson zh / en');
	for (const course of library.courses) {
		let zh = 0;
		let en = 0;
		let minZh = Infinity;
		let minEn = Infinity;
		for (const lesson of course.lessons) {
			const zhText = lesson.files['zh-CN'] ? strip(splitFrontmatter(files[lesson.files['zh-CN']], '').body) : '';
			const enText = lesson.files.en ? strip(splitFrontmatter(files[lesson.files.en], '').body) : '';
			zh += hanChars(zhText);
			en += enWords(enText);
			minZh = Math.min(minZh, hanChars(zhText));
			minEn = Math.min(minEn, enWords(enText));
		}
		const questions = course.quiz['zh-CN'] ?? course.quiz.en ?? [];
		console.log(
			`${course.slug}${course.draft ? ' (draft, not in totals)' : ''} | ${course.lessons.length} | ${questions.length} | ${zh} | ${en} | ${minZh} / ${minEn}`
		);
		// Totals describe what learners get: drafts are listed but not counted.
		if (course.draft) continue;
		for (const q of questions) {
			perCompetency.set(q.competency, (perCompetency.get(q.competency) ?? 0) + 1);
			perType.set(q.type, (perType.get(q.type) ?? 0) + 1);
		}
		totalZh += zh;
		totalEn += en;
	}
	const published = library.courses.filter((c) => !c.draft);
	console.log(
		`total (${published.length} published) | ${published.reduce((n, c) => n + c.lessons.length, 0)} | ${[...perType.values()].reduce((a, b) => a + b, 0)} | ${totalZh} | ${totalEn} |`
	);
	console.log('\nquestions per competency (published courses):');
	for (const [id, n] of perCompetency) console.log(`  ${id}: ${n}`);
	console.log('questions per type:');
	for (const [type, n] of perType) console.log(`  ${type}: ${n}`);

	// Learners notice when the right option is always the longest one; this counts how often it is.
	const optionLength = (text: string, locale: string) =>
		locale === 'zh-CN' ? [...text.replace(/\s/g, '')].length : text.split(/\s+/).length;
	for (const locale of LOCALES) {
		let longest = 0;
		let singles = 0;
		for (const course of library.courses.filter((c) => !c.draft))
			for (const q of course.quiz[locale] ?? []) {
				if (q.type !== 'single') continue;
				const lengths = q.options.map((o) => optionLength(o.text, locale));
				const right = lengths[q.options.findIndex((o) => o.correct)];
				singles++;
				if (lengths.every((l, i) => q.options[i].correct || l < right)) longest++;
			}
		console.log(`single-choice questions whose right option is the longest (${locale}): ${longest} of ${singles}`);
	}
}

async function main() {
	let files: ContentFiles;
	try {
		files = readContentFiles(process.cwd(), dir);
	} catch (e) {
		console.error(`${dir}: cannot read content folder (${(e as Error).message})`);
		process.exit(1);
	}
	const library = loadLibrary(files);
	const errors = [...library.errors];
	if (library.courses.length === 0)
		errors.push({ file: 'content/courses', line: 1, message: 'no courses found (expected content/courses/NN-slug/ folders)' });
	for (const course of library.courses)
		for (const lesson of course.lessons)
			for (const locale of LOCALES) {
				const file = lesson.files[locale];
				if (file) errors.push(...(await compileErrors(file, files[file])));
			}

	for (const error of errors) console.error(formatError({ ...error, file: realPath(error.file) }));
	const questions = library.courses.reduce((n, c) => n + (c.quiz['zh-CN']?.length ?? 0), 0);
	const lessons = library.courses.reduce((n, c) => n + c.lessons.length, 0);
	const summary = `${library.courses.length} courses, ${lessons} lessons, ${questions} questions, ${library.competencies.length} competencies`;
	if (stats) printStats(library, files);
	if (errors.length) {
		console.error(`\ncontent:check: ${errors.length} error(s) in ${dir}/ (${summary})`);
		process.exit(1);
	}
	console.log(`content:check: ${dir}/ is valid (${summary})`);
}

await main();
