// How long a lesson takes to read, from its text: the basis of the minimum time a lesson must be open
// before it counts as read, and of the content check's comparison of declared credit hours with the work.

/** Minutes of study in one credit hour (学时), as Chinese civil-service training counts it. */
export const MINUTES_PER_CREDIT_HOUR = 45;

/** Reading speeds for instructional text: Chinese characters and English words per minute. */
export const HAN_PER_MINUTE = 300;
export const WORDS_PER_MINUTE = 200;

/** Share of the estimated reading time a lesson must be open before it can be marked done. */
export const MINIMUM_SHARE = 0.5;

/**
 * The text a reader reads in a lesson's Markdown: no frontmatter, code fences, HTML comments, image
 * targets, link targets or Markdown punctuation.
 */
function readableText(markdown: string): string {
	return markdown
		.replace(/^\uFEFF/, '')
		.replace(/^---\n[\s\S]*?\n---\n?/, '')
		.replace(/<!--[\s\S]*?-->/g, ' ')
		.replace(/```[\s\S]*?```/g, ' ')
		.replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
		.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
		.replace(/\[![A-Z]+\]/g, ' ')
		.replace(/[#>*_`|~-]+/g, ' ');
}

/** Estimated minutes to read a lesson's Markdown (Chinese by characters, other text by words); at least 1. */
export function readingMinutes(markdown: string): number {
	const text = readableText(markdown);
	const han = (text.match(/\p{Script=Han}/gu) ?? []).length;
	const words = (text.replace(/\p{Script=Han}/gu, ' ').match(/[\p{L}\p{N}][\p{L}\p{N}'’.-]*/gu) ?? []).length;
	return Math.max(1, Math.round(han / HAN_PER_MINUTE + words / WORDS_PER_MINUTE));
}

/** Whole minutes a lesson must be open before it counts as read: half its reading time, at least 1. */
export function minimumOpenMinutes(markdown: string): number {
	return Math.max(1, Math.ceil(readingMinutes(markdown) * MINIMUM_SHARE));
}
