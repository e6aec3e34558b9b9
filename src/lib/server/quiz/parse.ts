import type { Blockquote, List, ListItem, Root, RootContent } from 'mdast';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import { toString } from 'mdast-util-to-string';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import type { ContentError } from '../content/frontmatter';

export const QUESTION_TYPES = ['single', 'multiple', 'true-false', 'short'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

export interface QuizOption {
	/** Markdown of the option text. */
	text: string;
	correct: boolean;
}

export interface QuizQuestion {
	id: string;
	type: QuestionType;
	competency: string;
	line: number;
	/** Markdown of the stem. */
	stem: string;
	/** Choice questions: options in file order. Short answer: empty. */
	options: QuizOption[];
	/** Short answer: accepted answers as a learner would type them (the text, without Markdown or escapes). */
	accepted: string[];
	/** Markdown of the explanation, shown only after submission. */
	explanation: string;
}

/** The two options of a true-false question, in this order, per language. */
const TRUE_FALSE: Record<string, [string, string]> = { 'zh-CN': ['正确', '错误'], en: ['True', 'False'] };

const parser = unified().use(remarkParse).use(remarkGfm).use(remarkFrontmatter, ['yaml']);

const HEADING = /^\s*([A-Za-z0-9][A-Za-z0-9_-]*)\s*[·|]\s*([a-z-]+)\s*[·|]\s*([A-Za-z0-9_-]+)\s*$/;

function slice(text: string, node: RootContent | RootContent[]): string {
	const nodes = Array.isArray(node) ? node : [node];
	const start = nodes[0]?.position?.start.offset ?? 0;
	const end = nodes[nodes.length - 1]?.position?.end.offset ?? start;
	return text.slice(start, end).trim();
}

/** A `[x]`/`[ ]` marker at the start of an option's text would tell the learner the key. */
const MARKER = /^\[[ xX]\](?:\s|$)/;

/**
 * The Markdown of a task item after its `[x]`/`[ ]`. The GFM parser moves the paragraph's start past the
 * marker only when plain text follows it; before bold, code, a link… the paragraph still starts at the
 * marker, so the text starts at the paragraph's first inline node instead.
 */
function itemText(text: string, item: ListItem): string {
	const [first, ...rest] = item.children as RootContent[];
	if (!first) return '';
	const head = first.type === 'paragraph' && first.children.length ? first.children[0] : first;
	const start = head.position?.start.offset ?? first.position?.start.offset ?? 0;
	const last = rest.length ? rest[rest.length - 1] : first;
	return text.slice(start, last.position?.end.offset ?? start).trim();
}

function headingText(text: string, node: RootContent): string {
	return slice(text, node).replace(/^#+\s*/, '');
}

function quoteText(text: string, node: Blockquote): string {
	return slice(text, node.children as RootContent[])
		.replace(/^>\s?/gm, '')
		.trim();
}

/**
 * Parses a quiz file: a `##` heading `id · type · competency` per question, the stem, a task list of
 * options (`- [x]` right), and a block quote explanation.
 */
export function parseQuiz(text: string, file: string): { questions: QuizQuestion[]; errors: ContentError[] } {
	const source = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
	const tree = parser.parse(source) as Root;
	const errors: ContentError[] = [];
	const questions: QuizQuestion[] = [];
	const fail = (line: number, message: string) => errors.push({ file, line, message });
	const locale = /\.(zh-CN|en)\.md$/.exec(file)?.[1];
	const trueFalseLabels = Object.entries(TRUE_FALSE)
		.filter(([l]) => !locale || l === locale)
		.map(([, labels]) => labels);

	let current: { q: QuizQuestion; stem: RootContent[]; list?: List; quote?: Blockquote } | undefined;
	const finish = () => {
		if (!current) return;
		const { q, stem, list, quote } = current;
		q.stem = stem.length ? slice(source, stem) : '';
		if (!q.stem) fail(q.line, `question ${q.id}: missing stem (the question text under the heading)`);
		if (!list) fail(q.line, `question ${q.id}: missing options (a task list: "- [x] right", "- [ ] wrong")`);
		else {
			for (const item of list.children) {
				const line = item.position?.start.line ?? q.line;
				if (item.checked === null || item.checked === undefined) {
					fail(line, `question ${q.id}: option is not a task item; write "- [x] …" or "- [ ] …"`);
					continue;
				}
				const textOf = itemText(source, item);
				if (!textOf) fail(line, `question ${q.id}: empty option`);
				else if (MARKER.test(textOf)) {
					fail(line, `question ${q.id}: option text starts with "${textOf.slice(0, 3)}"; write one marker per option`);
					continue;
				}
				if (q.type === 'short') {
					if (!item.checked) fail(line, `question ${q.id}: short-answer items are accepted answers and must all be "- [x]"`);
					// Compared with typed text, so stored as text: `R\&D` and `https\://…` as R&D and https://….
					q.accepted.push(
						toString(item.children, { includeImageAlt: false })
							.replace(/\s*\n\s*/g, ' ')
							.trim()
					);
				} else q.options.push({ text: textOf, correct: item.checked });
			}
			const right = q.options.filter((o) => o.correct).length;
			if (q.type === 'short' && q.accepted.length === 0) fail(q.line, `question ${q.id}: no accepted answer`);
			if (q.type !== 'short' && q.options.length < 2) fail(q.line, `question ${q.id}: needs at least two options`);
			if (q.type === 'single' && right !== 1)
				fail(q.line, `question ${q.id}: a single-choice question needs exactly one "- [x]" (found ${right})`);
			if (q.type === 'multiple' && right < 1) fail(q.line, `question ${q.id}: no right answer marked "- [x]"`);
			if (q.type === 'true-false' && (q.options.length !== 2 || right !== 1))
				fail(q.line, `question ${q.id}: a true-false question has exactly two options (true first) and one "- [x]"`);
			else if (q.type === 'true-false' && !trueFalseLabels.some(([t, f]) => q.options[0].text === t && q.options[1].text === f))
				fail(
					q.line,
					`question ${q.id}: true-false options read ${trueFalseLabels.map(([t, f]) => `"${t}" / "${f}"`).join(' or ')}, true first`
				);
		}
		if (!quote) fail(q.line, `question ${q.id}: missing explanation (a "> …" block quote after the options)`);
		else q.explanation = quoteText(source, quote);
		questions.push(q);
		current = undefined;
	};

	// After a heading that is not a valid question, its body is skipped: one error, not one per line.
	let skipping = false;
	for (const node of tree.children) {
		const line = node.position?.start.line ?? 1;
		if (node.type === 'yaml') continue;
		if (node.type === 'heading') {
			finish();
			skipping = true;
			if (node.depth !== 2) {
				fail(line, `unexpected heading level ${node.depth}: questions are "## id · type · competency" headings`);
				continue;
			}
			const m = HEADING.exec(headingText(source, node));
			if (!m) {
				fail(line, 'question heading must read "## id · type · competency" (for example "## q01 · single · online-service")');
				continue;
			}
			const [, id, type, competency] = m;
			if (!(QUESTION_TYPES as readonly string[]).includes(type)) {
				fail(line, `question ${id}: unknown type "${type}" (use ${QUESTION_TYPES.join(', ')})`);
				continue;
			}
			skipping = false;
			current = {
				q: { id, type: type as QuestionType, competency, line, stem: '', options: [], accepted: [], explanation: '' },
				stem: []
			};
			continue;
		}
		if (!current) {
			if (node.type !== 'html' && !skipping) fail(line, 'text before the first question heading');
			continue;
		}
		if (node.type === 'list' && !current.list && !current.quote) current.list = node;
		else if (node.type === 'blockquote' && !current.quote) current.quote = node;
		else if (node.type === 'blockquote') fail(line, `question ${current.q.id}: more than one explanation block quote`);
		else if (!current.list && !current.quote && node.type !== 'list') current.stem.push(node);
		else fail(line, `question ${current.q.id}: unexpected ${node.type} (order: stem, options, explanation)`);
	}
	finish();
	if (questions.length === 0 && errors.length === 0) fail(1, 'quiz has no questions');

	const seen = new Map<string, number>();
	for (const q of questions) {
		if (seen.has(q.id)) fail(q.line, `duplicate question id ${q.id} (first at line ${seen.get(q.id)})`);
		else seen.set(q.id, q.line);
	}
	return { questions, errors };
}
