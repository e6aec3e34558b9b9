// The course library as the server sees it: files bundled at build time, parsed once.
import type { Component } from 'svelte';
import { render } from 'svelte/server';
import rehypeStringify from 'rehype-stringify';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import { loadLibrary, LOCALES, type CourseDef, type Library, type Locale } from './library';

export { LOCALES, type CourseDef, type Library, type Locale } from './library';

const raw = import.meta.glob(['/content/**/*.md', '/content/**/*.yaml', '/content/courses/*/images/*.svg'], {
	query: '?raw',
	import: 'default',
	eager: true
}) as Record<string, string>;

const lessonModules = import.meta.glob(['/content/courses/*/*.md', '!/content/courses/*/course.*.md', '!/content/courses/*/quiz.*.md']) as Record<
	string,
	() => Promise<{ default: Component }>
>;

let cached: Library | undefined;

/** Replaces the library (tests use a fixture library). */
export function useLibrary(next: Library): void {
	cached = next;
}

/** The parsed library (errors included; the start refuses published courses with errors). */
export function library(): Library {
	if (!cached) {
		const files = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k.replace(/^\//, ''), v]));
		cached = loadLibrary(files);
	}
	return cached;
}

/** A course by URL slug or id. */
export function findCourse(slugOrId: string): CourseDef | undefined {
	return library().courses.find((c) => c.slug === slugOrId || c.id === slugOrId);
}

/** A course's SVG image, if it has one by that name. */
export function courseImage(course: CourseDef, name: string): string | undefined {
	if (!/^[A-Za-z0-9._-]+\.svg$/.test(name)) return undefined;
	return raw[`/${course.dir}/images/${name}`];
}

const htmlCache = new Map<string, string>();

/**
 * A lesson rendered to HTML on the server (mdsvex compiled it at build time), in the locale asked for
 * or, if that translation is missing, the other one (`fallback` says so).
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
		const load = lessonModules[`/${file}`];
		if (!load) return undefined;
		const { default: Lesson } = await load();
		html = render(Lesson, { props: {} }).body.replace(/<!--[\s\S]*?-->/g, '');
		htmlCache.set(key, html);
	}
	return { html, locale: chosen, fallback: chosen !== locale };
}

const markdown = unified().use(remarkParse).use(remarkGfm).use(remarkRehype).use(rehypeStringify);
const mdCache = new Map<string, string>();

/** Markdown (stems, options, explanations, overviews) to HTML; raw HTML in the source is dropped. */
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
