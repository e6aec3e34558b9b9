// The one rule for links and images in rendered Markdown, whatever wrote it (lessons compiled by mdsvex,
// stems and explanations rendered by markdownHtml, GIFT conversions, studio previews): links are
// http(s), mailto or relative; images come from a course's own images/ folder. Plain tree walks with no
// dependencies: svelte.config.js loads this file with Node directly, and mdsvex's remark is older.

const LINK_SCHEMES = new Set(['http', 'https', 'mailto']);
const COURSE_IMAGE = [
	/^(?:\.\/)*(?:\.\.\/[A-Za-z0-9_-]+\/)?images\/[A-Za-z0-9._-]+$/,
	/^\/(?:studio\/)?courses\/[A-Za-z0-9_-]+\/images\/[A-Za-z0-9._-]+$/
];
const NAMED = { colon: ':', tab: '\t', newline: '\n', nbsp: ' ', sol: '/', quest: '?', num: '#', period: '.', amp: '&', quot: '"', apos: "'", lt: '<', gt: '>' };

/** Character references in an HTML attribute value (`&#106;`, `&#x6A`, `&colon;`), decoded. */
function decodeEntities(/** @type {string} */ value) {
	return value
		.replace(/&#x([0-9a-f]+);?/gi, (_, hex) => String.fromCodePoint(Math.min(Number.parseInt(hex, 16), 0x10ffff)))
		.replace(/&#(\d+);?/g, (_, dec) => String.fromCodePoint(Math.min(Number.parseInt(dec, 10), 0x10ffff)))
		.replace(/&([a-z]+);/gi, (whole, name) => NAMED[/** @type {keyof typeof NAMED} */ (name.toLowerCase())] ?? whole);
}

/**
 * Whether a URL may be a link (`link`) or an image source (`image`). Browsers drop tabs and newlines
 * anywhere in a URL and control characters and spaces around it, and read the scheme in any case, so
 * `JaVa&#x09;Script:` is a script: every such character goes before the scheme is read.
 * @param {unknown} url
 * @param {'link' | 'image'} [kind]
 */
export function safeUrl(url, kind = 'link') {
	if (typeof url !== 'string') return false;
	// eslint-disable-next-line no-control-regex
	const clean = url.replace(/[\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200f\u2028-\u202f\u205f\u3000\ufeff]/g, '');
	const scheme = /^([^/?#]*?):/.exec(clean)?.[1];
	// An entity left undecoded before the path (`&Colon;`) could still spell a scheme.
	if (/^[^/?#]*&/.test(clean)) return false;
	if (kind === 'link') return scheme === undefined || LINK_SCHEMES.has(scheme.toLowerCase());
	if (scheme !== undefined || /^[/\\]{2}|^\/\\/.test(clean)) return false;
	const path = clean.replace(/[?#].*$/, '');
	return COURSE_IMAGE.some((re) => re.test(path)) && !path.split('/').slice(1).includes('..');
}

const LINK_ATTRIBUTES = new Set(['href', 'xlink:href', 'action', 'formaction', 'cite', 'ping']);
const SOURCE_ATTRIBUTES = new Set(['src', 'srcset', 'poster', 'data', 'background', 'lowsrc', 'dynsrc']);
const ATTRIBUTE = /(\s)([a-z][a-z0-9:-]*)(\s*=\s*)("[^"]*"|'[^']*'|[^\s"'=<>`]+)/gi;

/** Raw HTML with every URL attribute that breaks the rule removed (lessons keep raw HTML). */
export function safeHtml(/** @type {string} */ html) {
	return html.replace(ATTRIBUTE, (whole, space, name, equals, quoted) => {
		const attribute = name.toLowerCase();
		const kind = LINK_ATTRIBUTES.has(attribute) ? 'link' : SOURCE_ATTRIBUTES.has(attribute) ? 'image' : undefined;
		if (!kind) return whole;
		const value = decodeEntities(/^["']/.test(quoted) ? quoted.slice(1, -1) : quoted);
		const urls = attribute === 'srcset' ? value.split(',').map((part) => part.trim().split(/\s+/)[0]) : [value];
		return urls.every((u) => safeUrl(u, kind)) ? whole : '';
	});
}

/**
 * Makes a Markdown tree (mdast) keep the rule: a link that breaks it becomes its text, an image its alt
 * text, raw HTML loses the attribute. Definitions count for the references that use them.
 * @param {any} tree
 */
export function safeLinks(tree) {
	/** @type {Map<string, any>} */
	const definitions = new Map();
	/** @param {any} node */
	const index = (node) => {
		if (node.type === 'definition') definitions.set(node.identifier, node);
		if (Array.isArray(node.children)) node.children.forEach(index);
	};
	index(tree);
	/** @param {string} identifier @param {'link' | 'image'} kind */
	const defined = (identifier, kind) => {
		const definition = definitions.get(identifier);
		return !definition || safeUrl(definition.url, kind);
	};
	/** @param {any} node @returns {any[]} */
	const clean = (node) => {
		if (node.type === 'html' && typeof node.value === 'string') return [{ ...node, value: safeHtml(node.value) }];
		if (node.type === 'definition' && !safeUrl(node.url, 'link')) return [];
		if ((node.type === 'image' && !safeUrl(node.url, 'image')) || (node.type === 'imageReference' && !defined(node.identifier, 'image')))
			return node.alt ? [{ type: 'text', value: node.alt }] : [];
		if (Array.isArray(node.children)) node.children = node.children.flatMap(clean);
		if ((node.type === 'link' && !safeUrl(node.url, 'link')) || (node.type === 'linkReference' && !defined(node.identifier, 'link'))) return node.children;
		return [node];
	};
	if (Array.isArray(tree.children)) tree.children = tree.children.flatMap(clean);
	return tree;
}

/**
 * The rule as a remark plugin (mdsvex's and ours).
 * @returns {(tree: any) => void}
 */
export function safeLinksPlugin() {
	return (tree) => {
		safeLinks(tree);
	};
}
