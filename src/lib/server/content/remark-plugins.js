// Remark plugins for mdsvex (which runs its own, older remark): plain tree walks, no dependencies,
// because svelte.config.js loads this file with Node directly.

const CALLOUT = /^\[!(NOTE|TIP|WARNING|IMPORTANT|CAUTION)\]\s*/i;

/** @param {any} node @param {(node: any) => void} fn */
function walk(node, fn) {
	fn(node);
	if (Array.isArray(node.children)) for (const child of node.children) walk(child, fn);
}

/** `> [!TIP]` block quotes become `<aside class="callout callout-tip">`; the label comes from CSS per language. */
export function calloutsPlugin() {
	/** @param {any} tree */
	return (tree) => {
		walk(tree, (node) => {
			if (node.type !== 'blockquote') return;
			const para = node.children?.[0];
			const text = para?.type === 'paragraph' ? para.children?.[0] : undefined;
			if (!text || text.type !== 'text') return;
			const match = CALLOUT.exec(text.value);
			if (!match) return;
			const kind = match[1].toLowerCase();
			text.value = text.value.slice(match[0].length);
			if (!text.value) para.children.shift();
			if (para.children[0]?.type === 'break') para.children.shift();
			if (para.children.length === 0) node.children.shift();
			node.data = { hName: 'aside', hProperties: { className: ['callout', `callout-${kind}`], role: 'note' } };
		});
	};
}

/** Relative image paths (`images/flow.svg`) point at the course's asset route. */
export function contentImagesPlugin() {
	/** @param {any} tree @param {any} file */
	return (tree, file) => {
		const filename = String(file?.filename ?? file?.path ?? '');
		const course = /content[/\\]courses[/\\]\d+-([^/\\]+)[/\\]/.exec(filename)?.[1];
		if (!course) return;
		walk(tree, (node) => {
			if (node.type !== 'image' || typeof node.url !== 'string') return;
			if (/^(?:[a-z]+:|\/)/i.test(node.url)) return;
			node.url = `/courses/${course}/images/${node.url.replace(/^\.\//, '').replace(/^images\//, '')}`;
		});
	};
}
