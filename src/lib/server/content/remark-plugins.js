// Remark plugins for mdsvex (which runs its own, older remark): plain tree walks, no dependencies,
// because svelte.config.js loads this file with Node directly.

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const CALLOUT = /^\[!(NOTE|TIP|WARNING|IMPORTANT|CAUTION)\]\s*/i;

/** @param {any} node @param {(node: any) => void} fn */
function walk(node, fn) {
	fn(node);
	if (Array.isArray(node.children)) for (const child of node.children) walk(child, fn);
}

/**
 * `> [!TIP]` block quotes become `<aside class="callout callout-tip">`; the label comes from CSS per
 * language. mdsvex's remark reads `[!TIP]` as a link reference (label `!TIP`), plain remark as text.
 */
export function calloutsPlugin() {
	/** @param {any} tree */
	return (tree) => {
		walk(tree, (node) => {
			if (node.type !== 'blockquote') return;
			const para = node.children?.[0];
			const first = para?.type === 'paragraph' ? para.children?.[0] : undefined;
			if (!first) return;
			let kind;
			if (first.type === 'linkReference' && /^!(NOTE|TIP|WARNING|IMPORTANT|CAUTION)$/i.test(String(first.label ?? ''))) {
				kind = String(first.label).slice(1).toLowerCase();
				para.children.shift();
				const next = para.children[0];
				if (next?.type === 'text') {
					next.value = next.value.replace(/^\s+/, '');
					if (!next.value) para.children.shift();
				}
			} else if (first.type === 'text') {
				const match = CALLOUT.exec(first.value);
				if (!match) return;
				kind = match[1].toLowerCase();
				first.value = first.value.slice(match[0].length);
				if (!first.value) para.children.shift();
			} else return;
			if (para.children[0]?.type === 'break') para.children.shift();
			if (para.children.length === 0) node.children.shift();
			node.data = { hName: 'aside', hProperties: { className: ['callout', `callout-${kind}`], role: 'note' } };
		});
	};
}

/**
 * The intrinsic size of an SVG file from its root element (width/height, else the viewBox).
 * @param {string} file
 * @returns {{ width: number, height: number } | undefined}
 */
function svgSize(file) {
	if (!file.endsWith('.svg') || !existsSync(file)) return undefined;
	return svgTextSize(readFileSync(file, 'utf8'));
}

/**
 * The intrinsic size of an SVG from its text (width/height, else the viewBox).
 * @param {string} text
 * @returns {{ width: number, height: number } | undefined}
 */
export function svgTextSize(text) {
	const root = /<svg\b[^>]*>/.exec(text)?.[0] ?? '';
	const attr = (/** @type {string} */ name) => /** @type {RegExpExecArray | null} */ (new RegExp(`\\s${name}="([^"]*)"`).exec(root))?.[1];
	let width = Number.parseFloat(attr('width') ?? '');
	let height = Number.parseFloat(attr('height') ?? '');
	if (!(width > 0 && height > 0)) {
		const box = (attr('viewBox') ?? '').trim().split(/[\s,]+/).map(Number);
		[width, height] = [box[2], box[3]];
	}
	return width > 0 && height > 0 ? { width: Math.round(width), height: Math.round(height) } : undefined;
}

/**
 * Relative image paths (`images/flow.svg`) point at the course's asset route, with their size.
 * Without options the course and sizes come from the file on disk (the content check); the runtime
 * renderer passes the course slug and a size lookup over the images in the database.
 * @param {{ course: string, size: (name: string) => { width: number, height: number } | undefined }} [options]
 */
export function contentImagesPlugin(options) {
	/** @param {any} tree @param {any} file */
	return (tree, file) => {
		const filename = String(file?.filename ?? file?.path ?? '');
		const course = options?.course ?? /content[/\\]courses[/\\]\d+-([^/\\]+)[/\\]/.exec(filename)?.[1];
		if (!course) return;
		walk(tree, (node) => {
			if (node.type !== 'image' || typeof node.url !== 'string') return;
			if (/^(?:[a-z]+:|\/)/i.test(node.url)) return;
			const name = node.url.replace(/^\.\//, '').replace(/^images\//, '');
			node.url = `/courses/${course}/images/${name}`;
			// Width and height reserve the image's space before it arrives (no layout shift on slow lines).
			const size = options ? options.size(name) : svgSize(path.join(path.dirname(filename), 'images', name));
			const lazy = { loading: 'lazy', decoding: 'async' };
			node.data = { ...node.data, hProperties: { ...node.data?.hProperties, ...(size ? { width: size.width, height: size.height } : {}), ...lazy } };
		});
	};
}
