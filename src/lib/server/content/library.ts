// The course library read from its files: the framework, course, lesson and quiz files with their schemas
// and checks (file and line for every error). Over 400 lines because each file kind keeps its schema next
// to its reader; links and images are checked in ./references.ts.
import { createHash } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { splitFrontmatter, type ContentError } from './frontmatter';
import { parseQuiz, type QuizQuestion } from '../quiz/parse';
import { referenceErrors } from './references';

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export type Localized<T = string> = Record<Locale, T>;

export interface CompetencyDef {
	id: string;
	name: Localized;
	description: Localized;
	levels: { basic: Localized<string[]>; advanced: Localized<string[]> };
}

export interface LessonDef {
	slug: string;
	position: number;
	title: Localized;
	minutes: number | null;
	draft: boolean;
	/** Path of each language's file; a missing language falls back to the other. */
	files: Partial<Localized>;
}

export interface CourseDef {
	id: string;
	slug: string;
	dir: string;
	position: number;
	version: string;
	title: Localized;
	summary: Localized;
	overview: Localized;
	hours: number;
	competencies: string[];
	level: 'basic' | 'intermediate' | 'advanced';
	passScore: number;
	attemptLimit: number;
	shuffle: boolean;
	draft: boolean;
	lessons: LessonDef[];
	quiz: Partial<Localized<QuizQuestion[]>>;
	files: string[];
	/** The text of each of the course's files (lessons render from it at runtime). */
	sources: ContentFiles;
	/** Images that are not text (PNG, JPEG, WebP), by name; SVGs are in `sources`. */
	images?: Record<string, { contentType: string; bytes: Uint8Array }>;
	errors: ContentError[];
}

export interface Library {
	version: string;
	competencies: CompetencyDef[];
	courses: CourseDef[];
	errors: ContentError[];
}

/** Content files keyed by path relative to the project root (`content/courses/01-x/course.en.md`). */
export type ContentFiles = Record<string, string>;

const ID = /^[a-z0-9][a-z0-9-]*$/;

/** zod error text: says whether the field is missing or has the wrong kind of value. */
const expect = (what: string) => (issue: { input?: unknown }) => (issue.input === undefined ? `missing (${what})` : `must be ${what}`);
const text = () => z.string({ error: expect('text') }).trim().min(1, 'must not be empty');
const flag = () => z.boolean({ error: expect('true or false') });

// Strict: a misspelt key (passscore) is an error, not a silently ignored line.
const courseSchema = z.strictObject({
	id: z.string({ error: expect('a lowercase-kebab id') }).regex(ID, 'use lowercase letters, digits and dashes (smart-government-basics)'),
	title: text(),
	summary: text(),
	hours: z
		.number({ error: expect('a number of credit hours') })
		.positive('must be more than 0')
		.max(100, 'must be at most 100')
		.multipleOf(0.5, 'must be in 0.5 steps (1, 1.5, 2 …)'),
	competencies: z
		.array(z.string({ error: expect('a competency id') }).regex(ID, 'must be a competency id'), { error: expect('a list of competency ids, e.g. [online-service]') })
		.min(1, 'name at least one competency'),
	level: z.enum(['basic', 'intermediate', 'advanced'], { error: expect('basic, intermediate or advanced') }),
	passScore: z.number({ error: expect('a whole percentage') }).int('must be a whole number').min(1, 'must be 1–100').max(100, 'must be 1–100'),
	attemptLimit: z.number({ error: expect('a whole number of attempts') }).int('must be a whole number').min(1, 'must be at least 1').max(100, 'must be at most 100'),
	shuffle: flag(),
	draft: flag().optional()
});
const SHARED_KEYS = ['id', 'hours', 'competencies', 'level', 'passScore', 'attemptLimit', 'shuffle', 'draft'] as const;

const lessonSchema = z.strictObject({
	title: text(),
	minutes: z.number({ error: expect('a whole number of minutes') }).int('must be a whole number').positive('must be more than 0').max(600, 'must be at most 600').optional(),
	draft: flag().optional()
});

const quizSchema = z.strictObject({ title: text() });

const localizedText = z.object({ 'zh-CN': z.string().min(1), en: z.string().min(1) });
const localizedList = z.object({ 'zh-CN': z.array(z.string().min(1)).min(1), en: z.array(z.string().min(1)).min(1) });
const competenciesSchema = z.object({
	competencies: z
		.array(
			z.object({
				id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
				name: localizedText,
				description: localizedText,
				levels: z.object({ basic: localizedList, advanced: localizedList })
			})
		)
		.min(1)
});

const FILE = /^content\/courses\/(\d+)-([a-z0-9][a-z0-9-]*)\/(.+)$/;
const LESSON_FILE = /^(\d+)-([a-z0-9][a-z0-9-]*)\.(zh-CN|en)\.md$/;

function issues(file: string, line: number, error: z.ZodError, keyLines: Record<string, number> = {}): ContentError[] {
	return error.issues.flatMap((i) => {
		if (i.code === 'unrecognized_keys')
			return i.keys.map((key) => ({ file, line: keyLines[key] ?? line, message: `unknown frontmatter field "${key}"` }));
		const key = String(i.path[0] ?? '');
		return [{ file, line: keyLines[key] ?? line, message: `${i.path.join('.') || 'frontmatter'}: ${i.message}` }];
	});
}

function hash(parts: string[]): string {
	const h = createHash('sha256');
	for (const p of parts) h.update(p).update('\0');
	return h.digest('hex').slice(0, 16);
}

/** Lines of a lesson body that hold `{` or `}` outside code: mdsvex would read them as Svelte. */
function braceErrors(body: string, file: string, firstLine: number): ContentError[] {
	const errors: ContentError[] = [];
	let fenced = false;
	body.split('\n').forEach((raw, i) => {
		if (/^\s*(```|~~~)/.test(raw)) fenced = !fenced;
		if (fenced) return;
		const line = raw.replace(/`[^`]*`/g, '');
		if (/[{}]/.test(line)) errors.push({ file, line: firstLine + i, message: 'curly braces are Svelte syntax in lessons; write &#123; and &#125;' });
	});
	return errors;
}

function parseCompetencies(files: ContentFiles, errors: ContentError[]): CompetencyDef[] {
	const file = 'content/competencies.yaml';
	const text = files[file];
	if (text === undefined) {
		errors.push({ file, line: 1, message: 'missing competency framework' });
		return [];
	}
	let data: unknown;
	try {
		data = parseYaml(text);
	} catch (e) {
		const line = (e as { linePos?: { line: number }[] }).linePos?.[0]?.line ?? 1;
		errors.push({ file, line, message: `invalid YAML: ${(e as Error).message.split('\n')[0]}` });
		return [];
	}
	const parsed = competenciesSchema.safeParse(data);
	if (!parsed.success) {
		for (const i of parsed.error.issues) {
			const index = typeof i.path[1] === 'number' ? i.path[1] : -1;
			const idLines = [...text.matchAll(/^\s*-?\s*id\s*:/gm)].map((m) => text.slice(0, m.index).split('\n').length);
			errors.push({ file, line: idLines[index] ?? 1, message: `${i.path.join('.')}: ${i.message}` });
		}
		return [];
	}
	const seen = new Set<string>();
	for (const c of parsed.data.competencies) {
		if (seen.has(c.id)) errors.push({ file, line: lineOf(text, `id: ${c.id}`), message: `duplicate competency id ${c.id}` });
		seen.add(c.id);
	}
	return parsed.data.competencies;
}

function lineOf(text: string, needle: string): number {
	const at = text.indexOf(needle);
	return at < 0 ? 1 : text.slice(0, at).split('\n').length;
}

function lineOfPattern(text: string, pattern: RegExp): number {
	const m = pattern.exec(text);
	return m ? text.slice(0, m.index).split('\n').length : 1;
}

/** Reads and validates the whole library; never throws on bad content, it reports. */
export interface LoadOptions {
	/**
	 * Courses already read, by their files: a course whose files (and the framework) are unchanged is
	 * taken from here instead of parsed again. The runtime library passes one, so a publish re-reads only
	 * the course it changed.
	 */
	courseCache?: Map<string, CourseDef>;
	/**
	 * Links and images checked against the other courses (the content check): every course (default), only
	 * the course in this folder (checking one revision), or none (serving learners).
	 */
	references?: boolean | string;
}

export function loadLibrary(files: ContentFiles, options: LoadOptions = {}): Library {
	const errors: ContentError[] = [];
	const competencies = parseCompetencies(files, errors);
	const competencyIds = new Set(competencies.map((c) => c.id));

	const byDir = new Map<string, { position: number; slug: string; files: string[] }>();
	for (const path of Object.keys(files).sort()) {
		const m = FILE.exec(path);
		if (!m) continue;
		const dir = `content/courses/${m[1]}-${m[2]}`;
		const entry = byDir.get(dir) ?? { position: Number(m[1]), slug: m[2], files: [] };
		entry.files.push(path);
		byDir.set(dir, entry);
	}

	const courses: CourseDef[] = [];
	const framework = hash([files['content/competencies.yaml'] ?? '']);
	const cache = options.courseCache;
	for (const [dir, entry] of byDir) {
		const key = cache ? hash([framework, ...entry.files.flatMap((f) => [f, files[f]])]) : '';
		let course = cache?.get(key);
		if (!course) {
			course = loadCourse(dir, entry, files, competencyIds);
			cache?.set(key, { ...course, errors: [...course.errors] });
		} else course = { ...course, errors: [...course.errors] };
		courses.push(course);
	}
	if (cache && cache.size > 4 * byDir.size + 50) cache.clear();
	courses.sort((a, b) => a.position - b.position || a.slug.localeCompare(b.slug));

	const ids = new Map<string, string>();
	const slugs = new Map<string, string>();
	for (const c of courses) {
		const file = LOCALES.map((l) => `${c.dir}/course.${l}.md`).find((f) => files[f] !== undefined) ?? `${c.dir}/course.zh-CN.md`;
		const idLine = files[file] ? lineOfPattern(files[file], /^id\s*:/m) : 1;
		if (ids.has(c.id)) c.errors.push({ file, line: idLine, message: `duplicate course id ${c.id} (also used by ${ids.get(c.id)})` });
		if (slugs.has(c.slug)) c.errors.push({ file, line: 1, message: `folder slug ${c.slug} is also used by ${slugs.get(c.slug)}` });
		const folder = c.dir.slice(c.dir.lastIndexOf('/') + 1);
		ids.set(c.id, folder);
		slugs.set(c.slug, folder);
	}
	for (const c of courses)
		if (options.references === undefined || options.references === true || options.references === c.dir)
			c.errors.push(...referenceErrors(c, courses, files));

	const version = hash([
		...Object.keys(files)
			.filter((p) => p === 'content/competencies.yaml')
			.map((p) => files[p]),
		...courses.map((c) => c.version)
	]);
	return { version, competencies, courses, errors: [...errors, ...courses.flatMap((c) => c.errors)] };
}

function loadCourse(
	dir: string,
	entry: { position: number; slug: string; files: string[] },
	files: ContentFiles,
	competencyIds: Set<string>
): CourseDef {
	const errors: ContentError[] = [];
	const meta: Partial<Localized<z.infer<typeof courseSchema>>> = {};
	const overview: Partial<Localized> = {};
	const lines: Partial<Localized<Record<string, number>>> = {};
	for (const locale of LOCALES) {
		const file = `${dir}/course.${locale}.md`;
		if (files[file] === undefined) {
			errors.push({ file, line: 1, message: `missing ${locale} course file` });
			continue;
		}
		const fm = splitFrontmatter(files[file], file);
		errors.push(...fm.errors);
		if (fm.errors.length) continue;
		const parsed = courseSchema.safeParse(fm.data);
		if (!parsed.success) errors.push(...issues(file, 1, parsed.error, fm.keyLines));
		else {
			meta[locale] = parsed.data;
			lines[locale] = fm.keyLines;
			for (const c of parsed.data.competencies)
				if (!competencyIds.has(c)) errors.push({ file, line: fm.keyLines.competencies ?? 1, message: `unknown competency "${c}" (not in content/competencies.yaml)` });
		}
		overview[locale] = fm.body.trim();
	}
	const zh = meta['zh-CN'];
	const en = meta.en;
	if (zh && en) {
		for (const key of SHARED_KEYS) {
			if (JSON.stringify(zh[key] ?? null) !== JSON.stringify(en[key] ?? null))
				errors.push({ file: `${dir}/course.en.md`, line: lines.en?.[key] ?? 1, message: `${key} differs between zh-CN and en (${JSON.stringify(zh[key])} vs ${JSON.stringify(en[key])})` });
		}
	}
	const base = zh ?? en;

	// Lessons
	const lessons = new Map<string, LessonDef>();
	const lessonTitles: Partial<Record<string, Partial<Localized>>> = {};
	for (const path of entry.files) {
		const name = path.slice(dir.length + 1);
		if (name.includes('/')) continue;
		if (/^course\.|^quiz\./.test(name)) {
			if (!/^(course|quiz)\.(zh-CN|en)\.md$/.test(name)) errors.push({ file: path, line: 1, message: 'unknown language suffix (use .zh-CN.md or .en.md)' });
			continue;
		}
		if (!name.endsWith('.md')) continue;
		const m = LESSON_FILE.exec(name);
		if (!m) {
			errors.push({ file: path, line: 1, message: 'lesson file names read NN-slug.zh-CN.md or NN-slug.en.md' });
			continue;
		}
		const [, pos, slug, locale] = m as unknown as [string, string, string, Locale];
		if (/course|quiz|index/.test(slug)) errors.push({ file: path, line: 1, message: 'a lesson slug may not contain "course", "quiz" or "index"' });
		const fm = splitFrontmatter(files[path], path);
		errors.push(...fm.errors);
		const parsed = lessonSchema.safeParse(fm.data);
		if (!fm.errors.length && !parsed.success) errors.push(...issues(path, 1, parsed.error, fm.keyLines));
		errors.push(...braceErrors(fm.body, path, fm.bodyLine));
		const lesson = lessons.get(slug) ?? { slug, position: Number(pos), title: { 'zh-CN': '', en: '' }, minutes: null, draft: false, files: {} };
		lesson.files[locale] = path;
		if (parsed.success) {
			lesson.title[locale] = parsed.data.title;
			lesson.minutes ??= parsed.data.minutes ?? null;
			lesson.draft ||= parsed.data.draft ?? false;
		}
		lessonTitles[slug] = { ...lessonTitles[slug], [locale]: parsed.success ? parsed.data.title : '' };
		lessons.set(slug, lesson);
	}
	for (const lesson of lessons.values()) {
		for (const locale of LOCALES) {
			if (!lesson.files[locale]) {
				const other = LOCALES.find((l) => l !== locale)!;
				errors.push({ file: lesson.files[other]!, line: 1, message: `missing ${locale} translation of lesson ${lesson.slug}` });
				lesson.title[locale] = lesson.title[other];
			}
		}
	}
	const lessonList = [...lessons.values()].sort((a, b) => a.position - b.position || a.slug.localeCompare(b.slug));
	if (lessonList.length === 0) errors.push({ file: `${dir}/course.zh-CN.md`, line: 1, message: 'course has no lessons' });

	// Quiz
	const quiz: Partial<Localized<QuizQuestion[]>> = {};
	for (const locale of LOCALES) {
		const file = `${dir}/quiz.${locale}.md`;
		if (files[file] === undefined) {
			errors.push({ file, line: 1, message: `missing ${locale} quiz` });
			continue;
		}
		const fm = splitFrontmatter(files[file], file);
		errors.push(...fm.errors);
		const parsedFm = quizSchema.safeParse(fm.data);
		if (!fm.errors.length && !parsedFm.success) errors.push(...issues(file, 1, parsedFm.error, fm.keyLines));
		const result = parseQuiz(files[file], file);
		errors.push(...result.errors);
		for (const q of result.questions)
			if (!competencyIds.has(q.competency)) errors.push({ file, line: q.line, message: `question ${q.id}: unknown competency "${q.competency}"` });
		quiz[locale] = result.questions;
	}
	if (quiz['zh-CN'] && quiz.en) errors.push(...compareQuizzes(dir, quiz['zh-CN'], quiz.en));

	const courseFiles = entry.files.filter((f) => files[f] !== undefined);
	return {
		id: base?.id ?? entry.slug,
		slug: entry.slug,
		dir,
		position: entry.position,
		version: hash(courseFiles.flatMap((f) => [f, files[f]])),
		title: { 'zh-CN': zh?.title ?? en?.title ?? entry.slug, en: en?.title ?? zh?.title ?? entry.slug },
		summary: { 'zh-CN': zh?.summary ?? '', en: en?.summary ?? '' },
		overview: { 'zh-CN': overview['zh-CN'] ?? overview.en ?? '', en: overview.en ?? overview['zh-CN'] ?? '' },
		hours: base?.hours ?? 0,
		competencies: base?.competencies ?? [],
		level: base?.level ?? 'basic',
		passScore: base?.passScore ?? 100,
		attemptLimit: base?.attemptLimit ?? 1,
		shuffle: base?.shuffle ?? false,
		draft: base?.draft ?? false,
		lessons: lessonList,
		quiz,
		files: courseFiles,
		sources: Object.fromEntries(courseFiles.map((f) => [f, files[f]])),
		errors
	};
}

/** Same ids, types, competencies and keys in both languages, so results pool. */
function compareQuizzes(dir: string, zh: QuizQuestion[], en: QuizQuestion[]): ContentError[] {
	const errors: ContentError[] = [];
	const enFile = `${dir}/quiz.en.md`;
	const zhFile = `${dir}/quiz.zh-CN.md`;
	const enById = new Map(en.map((q) => [q.id, q]));
	const zhIds = new Set(zh.map((q) => q.id));
	for (const q of zh) {
		const other = enById.get(q.id);
		if (!other) {
			errors.push({ file: zhFile, line: q.line, message: `question ${q.id} is missing from the en quiz` });
			continue;
		}
		if (other.type !== q.type) errors.push({ file: enFile, line: other.line, message: `question ${q.id}: type ${other.type} differs from zh-CN (${q.type})` });
		if (other.competency !== q.competency)
			errors.push({ file: enFile, line: other.line, message: `question ${q.id}: competency ${other.competency} differs from zh-CN (${q.competency})` });
		const key = (x: QuizQuestion) => x.options.map((o) => (o.correct ? 'x' : ' ')).join('');
		if (q.type !== 'short' && key(q) !== key(other))
			errors.push({ file: enFile, line: other.line, message: `question ${q.id}: answer key [${key(other)}] differs from zh-CN [${key(q)}]` });
	}
	for (const q of en) if (!zhIds.has(q.id)) errors.push({ file: enFile, line: q.line, message: `question ${q.id} is missing from the zh-CN quiz` });
	if (zh.map((q) => q.id).join() !== en.map((q) => q.id).join() && errors.length === 0)
		errors.push({ file: enFile, line: 1, message: 'questions are in a different order than in zh-CN' });
	return errors;
}

/** Hash of a question's answer key: when it changes, item statistics start fresh. */
export function keyHash(q: QuizQuestion): string {
	return hash([q.type, String(q.options.length), q.options.map((o) => (o.correct ? 1 : 0)).join('')]);
}
