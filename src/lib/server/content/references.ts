// The content check's link and image rule: every link and image of a course's Markdown must resolve
// to something the app serves (a lesson, the quiz, an SVG in the course's images/ folder).
import type { Definition, Html, Image, ImageReference, Link, Parent } from 'mdast';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import type { Node } from 'unist';
import type { ContentError } from './frontmatter';

/** What the rule reads of a course (a CourseDef of the library). */
interface CourseRef {
	id: string;
	slug: string;
	dir: string;
	files: string[];
	lessons: { slug: string }[];
}

const markdownParser = unified().use(remarkParse).use(remarkGfm).use(remarkFrontmatter, ['yaml']);

interface Reference {
	kind: 'link' | 'image';
	url: string;
	line: number;
}

/** Every link and image of a Markdown file (inline, reference-style and raw HTML), with its line. */
function references(text: string): Reference[] {
	const found: Reference[] = [];
	const imageIds = new Set<string>();
	const visit = (node: Node) => {
		const line = node.position?.start.line ?? 1;
		if (node.type === 'link') found.push({ kind: 'link', url: (node as Link).url, line });
		else if (node.type === 'image') found.push({ kind: 'image', url: (node as Image).url, line });
		else if (node.type === 'imageReference') imageIds.add((node as ImageReference).identifier);
		else if (node.type === 'html')
			for (const m of (node as Html).value.matchAll(/<(img|a)\b[^>]*?\s(src|href)\s*=\s*["']([^"']+)["']/gi))
				found.push({ kind: m[1].toLowerCase() === 'img' ? 'image' : 'link', url: m[3], line: line + (node as Html).value.slice(0, m.index).split('\n').length - 1 });
		for (const child of (node as Parent).children ?? []) visit(child);
	};
	const tree = markdownParser.parse(text);
	visit(tree);
	const definitions: Reference[] = [];
	const collect = (node: Node) => {
		if (node.type === 'definition') {
			const d = node as Definition;
			definitions.push({ kind: imageIds.has(d.identifier) ? 'image' : 'link', url: d.url, line: d.position?.start.line ?? 1 });
		}
		for (const child of (node as Parent).children ?? []) collect(child);
	};
	collect(tree);
	return [...found, ...definitions].sort((a, b) => a.line - b.line);
}

const LESSON_FILE_NAME = /^\d+-([a-z0-9][a-z0-9-]*)\.(?:zh-CN|en)\.md$/;

/**
 * Links and images must resolve to something the app serves. Lessons render at
 * /courses/<course>/<lesson> and the quiz at /courses/<course>/quiz, so a relative target there resolves
 * against /courses/<course>/: a lesson slug, `quiz`, `images/<name>.svg`, or `../<other-course>/…`.
 * The course overview renders at /courses/<course>, where relative targets would go astray.
 */
export function referenceErrors(course: CourseRef, courses: CourseRef[], files: Record<string, string>): ContentError[] {
	const errors: ContentError[] = [];
	// Slugs win over ids: the URL names the folder.
	const bySlug = new Map([...courses.map((c) => [c.id, c] as const), ...courses.map((c) => [c.slug, c] as const)]);
	const resolve = (path: string, kind: Reference['kind']): string | undefined => {
		const parts = path.replace(/[?#].*$/, '').split('/').filter(Boolean);
		if (parts[0] !== 'courses') return undefined;
		if (parts.length === 1) return undefined;
		const target = bySlug.get(parts[1]);
		if (!target) return `no course "${parts[1]}"`;
		if (parts.length === 2) return kind === 'image' ? 'not an image' : undefined;
		if (parts[2] === 'images' && parts.length === 4) {
			// Uploaded photos (PNG, JPEG, WebP) count once the studio stored them; anything else must be an SVG.
			const uploaded = /^[A-Za-z0-9._-]+\.(png|jpe?g|webp)$/.test(parts[3]) && files[`${target.dir}/images/${parts[3]}`] !== undefined;
			if (!uploaded && !/^[A-Za-z0-9._-]+\.svg$/.test(parts[3])) return 'images must be SVG files in the course\'s images/ folder';
			return files[`${target.dir}/images/${parts[3]}`] === undefined ? 'no such file' : undefined;
		}
		if (kind === 'image') return 'images must be SVG files in the course\'s images/ folder';
		if (parts.length === 3 && (parts[2] === 'quiz' || target.lessons.some((l) => l.slug === parts[2]))) return undefined;
		const lessonFile = LESSON_FILE_NAME.exec(parts[parts.length - 1]);
		if (lessonFile) return `link to a lesson by its slug (${lessonFile[1]}), not its file name`;
		return `no lesson "${parts.slice(2).join('/')}" in course ${target.slug}`;
	};
	const mdFiles = course.files.filter((f) => f.endsWith('.md'));
	for (const file of mdFiles) {
		const name = file.slice(course.dir.length + 1);
		const overview = name.startsWith('course.');
		for (const ref of references(files[file])) {
			const url = ref.url.trim();
			if (url === '' || url.startsWith('#')) continue;
			let problem: string | undefined;
			let what = ref.kind === 'image' ? 'image not found' : 'link target not found';
			if (/^(?:[a-z][a-z0-9+.-]*:|\/\/)/i.test(url)) {
				if (ref.kind === 'image' && !/^data:/i.test(url)) {
					what = 'image not allowed';
					problem = 'the content security policy blocks images from other sites; save the SVG in images/';
				}
			} else if (url.startsWith('/')) problem = resolve(url, ref.kind);
			else if (overview) problem = 'relative links do not work in the course overview; write /courses/<course>/<target>';
			else {
				const relative = url.replace(/^(\.\/)+/, '');
				problem = resolve(relative.startsWith('../') ? `/courses/${relative.slice(3)}` : `/courses/${course.slug}/${relative}`, ref.kind);
			}
			if (problem) errors.push({ file, line: ref.line, message: `${what}: ${url} (${problem})` });
		}
	}
	return errors;
}
