import { LineCounter, parseDocument } from 'yaml';

export interface ContentError {
	file: string;
	line: number;
	message: string;
}

export function formatError(e: ContentError): string {
	return `${e.file}:${e.line}: ${e.message}`;
}

/**
 * Splits `---\nyaml\n---\nbody`. Line numbers in errors are file lines; `bodyLine` is the file line
 * where the body starts.
 */
export function splitFrontmatter(
	text: string,
	file: string
): { data: Record<string, unknown>; body: string; bodyLine: number; keyLines: Record<string, number>; errors: ContentError[] } {
	const normalized = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
	const match = /^---\n([\s\S]*?)\n---(?:\n|$)/.exec(normalized);
	if (!match) {
		return { data: {}, body: normalized, bodyLine: 1, keyLines: {}, errors: [{ file, line: 1, message: 'missing frontmatter (the file must start with a --- block)' }] };
	}
	const counter = new LineCounter();
	const doc = parseDocument(match[1], { lineCounter: counter });
	const errors: ContentError[] = doc.errors.map((e) => ({
		file,
		line: 1 + (e.linePos?.[0]?.line ?? 1),
		// yaml appends "at line N, column M" counted inside the block; the reported line is the file's.
		message: `frontmatter: ${e.message.split('\n')[0].replace(/\s*at line \d+, column \d+:?\s*$/, '')}`
	}));
	const keyLines: Record<string, number> = {};
	const contents = doc.contents as { items?: { key?: { value?: unknown; range?: [number, number, number] } }[] } | null;
	for (const item of contents?.items ?? []) {
		const key = item.key?.value;
		if (typeof key === 'string' && item.key?.range) keyLines[key] = 1 + counter.linePos(item.key.range[0]).line;
	}
	let data: unknown = {};
	try {
		if (!errors.length) data = doc.toJS() ?? {};
	} catch (e) {
		// Parses but cannot be read as data (an alias without its anchor, such as "***"): report, never throw.
		const aliasLine = match[1].split('\n').findIndex((l) => /(^|[\s[{,:-])\*/.test(l));
		errors.push({ file, line: 2 + Math.max(0, aliasLine), message: `frontmatter: ${(e as Error).message.split('\n')[0]}` });
	}
	const bodyLine = match[0].split('\n').length - (match[0].endsWith('\n') ? 1 : 0) + 1;
	return { data: typeof data === 'object' && data ? (data as Record<string, unknown>) : {}, body: normalized.slice(match[0].length), bodyLine, keyLines, errors };
}
