// The course library as the server sees it. At runtime it is built from the published revisions in the
// database (runtime.ts keeps it current on every request); without a database (unit tests, command-line
// tools) it is read from content/ on disk. Nothing of the library is compiled into the build.
import rehypeSanitize, { defaultSchema, type Options as SanitizeSchema } from 'rehype-sanitize';
import rehypeStringify from 'rehype-stringify';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import { splitFrontmatter } from './frontmatter';
import { loadLibrary, LOCALES, type CourseDef, type Library, type Locale } from './library';
import { readContentFiles } from './files';
import { calloutsPlugin, contentImagesPlugin, svgTextSize } from './remark-plugins.js';
import { safeLinksPlugin } from './safe-links.js';

export { LOCALES, type CourseDef, type Library, type Locale } from './library';

let cached: Library | undefined;

/** Replaces the library (the runtime library after a publish; tests use a fixture library). */
export function useLibrary(next: Library): void {
	cached = next;
}

/** The current library (errors included; the start refuses published courses with errors). */
export function library(): Library {
	cached ??= loadLibrary(readContentFiles(process.cwd(), process.env.CONTENT_DIR ?? 'content'));
	return cached;
}

/** A course by URL slug or id. */
export function findCourse(slugOrId: string): CourseDef | undefined {
	return library().courses.find((c) => c.slug === slugOrId || c.id === slugOrId);
}

export interface CourseImage {
	contentType: string;
	body: string | Uint8Array;
}

const IMAGE_NAME = /^[A-Za-z0-9._-]+\.(svg|png|jpe?g|webp)$/;

/** A course's image, if it has one by that name (SVG text or the bytes of a photo). */
export function courseImage(course: CourseDef, name: string): CourseImage | undefined {
	if (!IMAGE_NAME.test(name)) return undefined;
	if (name.endsWith('.svg')) {
		const svg = course.sources?.[`${course.dir}/images/${name}`];
		return svg === undefined ? undefined : { contentType: 'image/svg+xml; charset=utf-8', body: svg };
	}
	const image = course.images?.[name];
	return image ? { contentType: image.contentType, body: image.bytes } : undefined;
}

/**
 * GitHub's schema (rehype-sanitize's default), with links only to http(s), mailto and relative targets,
 * call-outs (`aside` with its class and role) and the size attributes of figures. safeLinksPlugin has
 * already applied the stricter rule (images only from the course's files) on the Markdown; the sanitiser
 * is the net for whatever the Markdown → HTML step produces. Raw HTML in the source is dropped.
 */
const schema: SanitizeSchema = {
	...defaultSchema,
	tagNames: [...(defaultSchema.tagNames ?? []), 'aside'],
	attributes: {
		...defaultSchema.attributes,
		aside: [
			['className', 'callout', 'callout-note', 'callout-tip', 'callout-warning', 'callout-important', 'callout-caution'],
			['role', 'note']
		],
		img: [...(defaultSchema.attributes?.img ?? []), 'width', 'height', ['loading', 'lazy'], ['decoding', 'async']]
	},
	protocols: { ...defaultSchema.protocols, href: ['http', 'https', 'mailto'], src: ['http', 'https'] }
};
const markdown = unified().use(remarkParse).use(remarkGfm).use(safeLinksPlugin).use(remarkRehype).use(rehypeSanitize, schema).use(rehypeStringify);

/** The one pipeline for lessons, from the files or the studio: call-outs, the course's images, sanitised. */
export function renderLesson(source: string, course: Pick<CourseDef, 'slug' | 'dir' | 'sources'>): string {
	const body = splitFrontmatter(source, 'lesson').body;
	const size = (name: string) => {
		const svg = course.sources?.[`${course.dir}/images/${name}`];
		return svg ? svgTextSize(svg) : undefined;
	};
	const pipeline = unified()
		.use(remarkParse)
		.use(remarkGfm)
		// safeLinksPlugin first: the course-image rule reads image paths as the author wrote them.
		.use(safeLinksPlugin)
		.use(calloutsPlugin)
		.use(contentImagesPlugin, { course: course.slug, size })
		.use(remarkRehype)
		.use(rehypeSanitize, schema)
		.use(rehypeStringify);
	return String(pipeline.processSync(body));
}

const htmlCache = new Map<string, string>();

/**
 * A lesson rendered to HTML, in the locale asked for or, if that translation is missing, the other one
 * (`fallback` says so). Cached per course version: a revision never changes, a new one has a new version.
 */
export async function lessonHtml(course: CourseDef, slug: string, locale: Locale): Promise<{ html: string; locale: Locale; fallback: boolean } | undefined> {
	const lesson = course.lessons.find((l) => l.slug === slug);
	if (!lesson) return undefined;
	const chosen = lesson.files[locale] ? locale : LOCALES.find((l) => lesson.files[l]);
	if (!chosen) return undefined;
	const file = lesson.files[chosen]!;
	const key = `${course.version}:${file}`;
	let html = htmlCache.get(key);
	if (html === undefined) {
		const source = course.sources?.[file];
		if (source === undefined) return undefined;
		html = renderLesson(source, course);
		if (htmlCache.size > 2000) htmlCache.clear();
		htmlCache.set(key, html);
	}
	return { html, locale: chosen, fallback: chosen !== locale };
}

const mdCache = new Map<string, string>();

/**
 * Markdown (stems, options, explanations, overviews) to HTML; raw HTML in the source is dropped, links
 * and images keep the rule of safe-links.js.
 */
export function markdownHtml(source: string): string {
	let html = mdCache.get(source);
	if (html === undefined) {
		html = String(markdown.processSync(source));
		if (mdCache.size > 5000) mdCache.clear();
		mdCache.set(source, html);
	}
	return html;
}

/** Markdown that is a single paragraph, rendered without the <p>. */
export function inlineHtml(source: string): string {
	return markdownHtml(source).trim().replace(/^<p>([\s\S]*)<\/p>$/, '$1');
}
