// A read GIFT bank → GovLearn quiz Markdown (docs/content-format.md): we map what our four question
// types can hold and report everything else by number, title and reason, so no question disappears
// without a word. What is written is read back with the quiz parser. Relative imports only.
// Longer than 400 lines on purpose: one mapping per GIFT question type, kept side by side so what
// converts (and what is reported) reads in one place; reading and the report live in read.ts, report.ts.
import type { GIFTQuestion, TextChoice, TextFormat } from 'gift-pegjs';
import type { BlockContent, Blockquote, Heading, List, ListItem, Paragraph, PhrasingContent, Root, RootContent } from 'mdast';
import { toString } from 'mdast-util-to-string';
import rehypeParse from 'rehype-parse';
import rehypeRemark from 'rehype-remark';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkStringify from 'remark-stringify';
import { unified } from 'unified';
import { safeLinks } from '../../content/safe-links.js';
import { normalizeAnswer } from '../grade';
import { parseQuiz, type QuestionType } from '../parse';
import { parseBank, type GiftNote } from './read';

export type GiftLocale = 'zh-CN' | 'en';

export interface GiftOptions {
	/** Language of the bank; detected from the text when not given (CJK → zh-CN). */
	locale?: GiftLocale;
	/** Competency for questions without a `[tag:…]`. */
	defaultCompetency?: string;
	/** Known competency ids (content/competencies.yaml): tags outside it are reported. */
	competencies?: string[];
	/** Prepended to every question id (`citizen-` → `citizen-q1`). */
	idPrefix?: string;
}

export interface ConvertedQuestion {
	/** 1-based position among the questions of the bank. */
	number: number;
	title: string | null;
	id: string;
	type: QuestionType;
	competency: string;
	/** Quiz Markdown of this question (heading to explanation). */
	markdown: string;
	/** Plain text of the stem, options and accepted answers, for previews and tests. */
	stem: string;
	options: { text: string; correct: boolean }[];
	accepted: string[];
}

export interface SkippedQuestion {
	number: number;
	title: string | null;
	giftType: string;
	/** Start of the stem, to find the question in the bank. */
	excerpt: string;
	reason: string;
}

export interface GiftConversion {
	locale: GiftLocale;
	/** Questions in the bank (categories are not questions). */
	total: number;
	converted: ConvertedQuestion[];
	skipped: SkippedQuestion[];
	warnings: GiftNote[];
	/** The quiz file: frontmatter and every converted question; empty when nothing converted. */
	markdown: string;
}

const LABELS: Record<GiftLocale, { true: string; false: string; title: string; placeholder: string }> = {
	en: {
		true: 'True',
		false: 'False',
		title: 'Course quiz',
		placeholder: 'Explanation to be written: why the right answer is right and the others are wrong.'
	},
	'zh-CN': { true: '正确', false: '错误', title: '课程测验', placeholder: '（待补充解析：说明正确答案为什么对、其他选项为什么错。）' }
};

const ID = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

const htmlToMdast = unified().use(rehypeParse, { fragment: true }).use(rehypeRemark);
const markdownParser = unified().use(remarkParse).use(remarkGfm);
const stringifier = unified()
	.use(remarkGfm)
	.use(remarkStringify, { bullet: '-', listItemIndent: 'one', emphasis: '*', strong: '*', fences: true, rule: '-' });

function stringify(nodes: RootContent[]): string {
	return stringifier.stringify({ type: 'root', children: nodes } as Root).trim();
}

interface Converted {
	nodes: RootContent[];
	notes: string[];
}

/** GIFT text (moodle/plain/html/markdown format) → Markdown block nodes; raw HTML and images dropped with a note. */
function toBlocks(text: TextFormat | null | undefined): Converted {
	const notes: string[] = [];
	if (!text || !text.text.trim()) return { nodes: [], notes };
	let root: Root;
	const value = text.text.trim();
	const looksHtml = /<\/?[a-z][a-z0-9]*(\s[^<>]*)?\/?>/i.test(value);
	if (text.format === 'html' || (text.format === 'moodle' && looksHtml)) root = htmlToMdast.runSync(htmlToMdast.parse(value)) as Root;
	else if (text.format === 'markdown') root = markdownParser.parse(value) as Root;
	else {
		// moodle/plain: literal text, one paragraph per blank-line-separated block; Markdown-escaped on output
		root = {
			type: 'root',
			children: value
				.split(/\n\s*\n/)
				.map((p) => ({ type: 'paragraph', children: [{ type: 'text', value: p.replace(/\s*\n\s*/g, ' ') }] }) as Paragraph)
		};
	}
	// Links only to http(s), mailto or relative targets, as everywhere Markdown is shown (safe-links.js).
	const links = (tree: Root | RootContent): number =>
		(tree.type === 'link' ? 1 : 0) + ('children' in tree ? (tree.children as RootContent[]).reduce((n, c) => n + links(c), 0) : 0);
	const before = links(root);
	safeLinks(root);
	if (links(root) < before) notes.push('link removed: only http(s), mailto and relative links are kept');
	const clean = (nodes: RootContent[]): RootContent[] =>
		nodes.flatMap((node) => {
			if (node.type === 'html') {
				notes.push('raw HTML removed');
				return [];
			}
			if (node.type === 'image' || node.type === 'imageReference') {
				notes.push(`image removed (${'url' in node ? node.url : 'reference'}): add it to the course's images/ folder by hand`);
				return [];
			}
			if ('children' in node && Array.isArray(node.children)) {
				(node as { children: RootContent[] }).children = clean(node.children as RootContent[]);
				if ((node.type === 'paragraph' || node.type === 'link') && node.children.length === 0) return [];
			}
			return [node];
		});
	const nodes = clean(root.children).filter((n) => !(n.type === 'paragraph' && !toString(n).trim()));
	return { nodes, notes };
}

/** Inline content for an option or a feedback line: paragraphs joined by a space. */
function toInline(text: TextFormat | null | undefined): { inline: PhrasingContent[]; notes: string[] } {
	const { nodes, notes } = toBlocks(text);
	const inline: PhrasingContent[] = [];
	for (const node of nodes) {
		if (inline.length) inline.push({ type: 'text', value: ' ' });
		if (node.type === 'paragraph' || node.type === 'heading') inline.push(...node.children);
		else inline.push({ type: 'text', value: toString(node) });
	}
	return { inline, notes };
}

/** Plain text of blocks (joined by a space) or of inline content (line breaks become spaces). */
function plain(nodes: (RootContent | PhrasingContent)[]): string {
	const text = (n: RootContent | PhrasingContent): string =>
		n.type === 'break'
			? ' '
			: 'children' in n && Array.isArray(n.children)
				? (n.children as PhrasingContent[]).map(text).join('')
				: toString(n);
	const inline = nodes.every((n) => n.type !== 'paragraph' && n.type !== 'code' && n.type !== 'list' && n.type !== 'table');
	return nodes
		.map(text)
		.join(inline ? '' : ' ')
		.replace(/\s+/g, ' ')
		.trim();
}

function slug(text: string): string {
	return text
		.toLowerCase()
		.normalize('NFKD')
		.replace(/\p{M}+/gu, '')
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '')
		.slice(0, 48)
		.replace(/-+$/, '');
}

function detectLocale(questions: GIFTQuestion[]): GiftLocale {
	const text = questions.map((q) => ('stem' in q ? q.stem.text : (q.title ?? ''))).join(' ');
	const cjk = (text.match(/[\u3400-\u9fff]/g) ?? []).length;
	const latin = (text.match(/[A-Za-z]+/g) ?? []).length;
	return cjk > 0 && cjk >= latin ? 'zh-CN' : 'en';
}

const NOT_CONVERTIBLE: Record<string, string> = {
	Essay: 'essay questions need a person to grade them; GovLearn grades every question automatically',
	Matching: 'matching questions have no GovLearn equivalent; rewrite each pair as a single-choice question',
	Numerical: 'numerical answers with ranges or tolerances have no GovLearn equivalent; rewrite as single choice or short answer',
	Description: 'a description is text, not a question; put it in a lesson'
};

interface Draft {
	type: QuestionType;
	stem: RootContent[];
	options: { inline: PhrasingContent[]; correct: boolean; feedback: PhrasingContent[] }[];
	accepted: string[];
	explanation: RootContent[];
	notes: string[];
}

/** Maps one parsed GIFT question to our types, or says why it cannot be. */
function mapQuestion(q: Exclude<GIFTQuestion, { type: 'Category' }>, labels: (typeof LABELS)[GiftLocale]): Draft | { reason: string } {
	if (q.type in NOT_CONVERTIBLE) return { reason: NOT_CONVERTIBLE[q.type] };
	if (q.hasEmbeddedAnswers)
		return {
			reason:
				'missing-word (cloze) question: the answers sit inside the sentence; rewrite it as a stem ending in a question, with the options after it'
		};
	const stem = toBlocks(q.stem);
	const notes = [...stem.notes];
	const bad = stem.nodes.find(
		(n) => n.type === 'list' || n.type === 'blockquote' || n.type === 'heading' || n.type === 'thematicBreak' || n.type === 'table'
	);
	if (bad)
		return {
			reason: `the stem holds a ${bad.type === 'thematicBreak' ? 'horizontal rule' : bad.type}, which the quiz format reads as options, explanation or a new question`
		};
	if (!stem.nodes.length) return { reason: 'the question has no text' };
	const globalFeedback = toBlocks('globalFeedback' in q ? q.globalFeedback : null);
	notes.push(...globalFeedback.notes);
	const draft: Draft = { type: 'single', stem: stem.nodes, options: [], accepted: [], explanation: [...globalFeedback.nodes], notes };
	const option = (text: TextFormat | null, correct: boolean, feedback: TextFormat | null) => {
		const t = toInline(text);
		const f = toInline(feedback);
		notes.push(...t.notes, ...f.notes);
		draft.options.push({ inline: t.inline, correct, feedback: f.inline });
	};

	if (q.type === 'TF') {
		draft.type = 'true-false';
		// Moodle writes the feedback for a wrong answer first, then for a right one ({T#wrong#right});
		// gift-pegjs calls them trueFeedback and falseFeedback whatever the answer is.
		const [wrong, right] = [q.trueFeedback, q.falseFeedback];
		option({ format: 'plain', text: labels.true }, q.isTrue, q.isTrue ? right : wrong);
		option({ format: 'plain', text: labels.false }, !q.isTrue, q.isTrue ? wrong : right);
	} else if (q.type === 'Short') {
		draft.type = 'short';
		const full = q.choices.filter((c) => c.isCorrect && (c.weight === null || c.weight >= 100));
		const partial = q.choices.filter((c) => !full.includes(c));
		for (const c of full) {
			const t = toInline(c.text);
			notes.push(...t.notes);
			const answer = plain(t.inline);
			if (answer) draft.accepted.push(answer);
			const f = toInline(c.feedback);
			if (f.inline.length) draft.options.push({ inline: [{ type: 'text', value: answer }], correct: true, feedback: f.inline });
		}
		if (partial.length)
			notes.push(
				`partial-credit answers left out (GovLearn grades all or nothing): ${partial.map((c) => `"${plain(toInline(c.text).inline)}" (${c.weight ?? 0}%)`).join(', ')}`
			);
		if (!draft.accepted.length) return { reason: 'no fully right answer (every accepted answer earns partial credit)' };
	} else if (q.type === 'MC') {
		// MC. Moodle's rule: with an "=" answer it is single-answer (other weights are partial credit);
		// without one it is multiple-answer, and every option with a positive weight is part of the key.
		const full = q.choices.filter((c) => c.isCorrect);
		let right: Set<TextChoice>;
		if (full.length > 1)
			return {
				reason: `${full.length} options are marked "=" (each fully right on its own); a GovLearn single-choice question has exactly one right option`
			};
		if (full.length === 1) {
			right = new Set(full);
			const partial = q.choices.filter((c) => !c.isCorrect && (c.weight ?? 0) > 0);
			if (partial.length)
				notes.push(
					`partial credit dropped, these now count as wrong: ${partial.map((c) => `"${plain(toInline(c.text).inline)}" (${c.weight}%)`).join(', ')}`
				);
		} else {
			right = new Set(q.choices.filter((c) => (c.weight ?? 0) > 0));
			if (right.size === 0) return { reason: 'no right option (no "=" and no positive weight)' };
			if (right.size > 1) {
				draft.type = 'multiple';
				notes.push(
					'weighted options became a multiple-choice question graded all or nothing: the learner must pick exactly the options with positive weight'
				);
			}
		}
		for (const c of q.choices) option(c.text, right.has(c), c.feedback);
		if (draft.options.length < 2) return { reason: 'fewer than two options' };
		if (draft.options.some((o) => !plain(o.inline))) return { reason: 'an option has no text' };
	} else return { reason: `question type ${q.type} is not supported` };

	const feedbackItems: ListItem[] = draft.options
		.filter((o) => o.feedback.length)
		.map((o) => ({
			type: 'listItem',
			spread: false,
			children: [
				{
					type: 'paragraph',
					children: [
						{ type: 'strong', children: o.inline.length ? o.inline : [{ type: 'text', value: '' }] },
						{ type: 'text', value: ': ' },
						...o.feedback
					]
				}
			]
		}));
	if (draft.type === 'short') draft.options = [];
	if (feedbackItems.length) draft.explanation.push({ type: 'list', ordered: false, spread: false, children: feedbackItems } as List);
	if (!draft.explanation.length) {
		draft.explanation.push({ type: 'paragraph', children: [{ type: 'text', value: labels.placeholder }] });
		notes.push('no feedback in the bank: write the explanation');
	}
	return draft;
}

function questionMarkdown(id: string, competency: string, d: Draft): string {
	const heading: Heading = { type: 'heading', depth: 2, children: [{ type: 'text', value: 'HEADING' }] };
	const items: ListItem[] =
		d.type === 'short'
			? d.accepted.map((a) => ({
					type: 'listItem',
					checked: true,
					spread: false,
					children: [{ type: 'paragraph', children: [{ type: 'text', value: a }] }]
				}))
			: d.options.map((o) => ({
					type: 'listItem',
					checked: o.correct,
					spread: false,
					children: [{ type: 'paragraph', children: o.inline }]
				}));
	const list: List = { type: 'list', ordered: false, spread: false, children: items };
	const quote: Blockquote = { type: 'blockquote', children: d.explanation as BlockContent[] };
	// The heading is written by hand: ids and competencies are plain tokens and must not be escaped.
	return stringify([heading, ...d.stem, list, quote]).replace(/^## HEADING$/m, `## ${id} · ${d.type} · ${competency}`);
}

/**
 * Converts a GIFT bank to quiz Markdown. Throws GiftParseError (with line and column) when the GIFT
 * grammar cannot read a single question; otherwise every question ends up in `converted` or `skipped`
 * (one it cannot read among them, with where the grammar stopped).
 */
export function convertGift(text: string, options: GiftOptions = {}): GiftConversion {
	const warnings: GiftNote[] = [];
	const parsed = parseBank(text, warnings);
	const locale = options.locale ?? detectLocale(parsed.filter((q): q is GIFTQuestion => q.type !== 'Unreadable'));
	const labels = LABELS[locale];
	const known = options.competencies ? new Set(options.competencies) : undefined;
	const converted: ConvertedQuestion[] = [];
	const skipped: SkippedQuestion[] = [];
	const usedIds = new Set<string>();
	let number = 0;

	for (const q of parsed) {
		if (q.type === 'Unreadable') {
			number++;
			const where = q.at.line === q.line ? `column ${q.at.column}` : `line ${q.at.line}, column ${q.at.column}`;
			skipped.push({
				number,
				title: null,
				giftType: 'unreadable',
				excerpt: q.excerpt,
				reason: `the GIFT text of this question (line ${q.line}) cannot be read: ${where}: ${q.detail}`
			});
			continue;
		}
		if (q.type === 'Category') {
			warnings.push({ message: `category "${q.title}" ignored: a GovLearn quiz belongs to one course` });
			continue;
		}
		number++;
		const title = q.title?.trim() || null;
		const excerpt = plain(toBlocks(q.stem).nodes).slice(0, 80);
		const mapped = mapQuestion(q, labels);
		if ('reason' in mapped) {
			skipped.push({ number, title, giftType: q.type, excerpt, reason: mapped.reason });
			continue;
		}
		const local: GiftNote[] = [];
		const note = (message: string) => local.push({ number, title, message });

		// Id: [id:…], else the title, else the position; unique within the file.
		const prefix = options.idPrefix ?? '';
		let base = q.id && ID.test(q.id) ? q.id : slug(q.id ?? '') || (title ? slug(title) : '') || `q${String(number).padStart(2, '0')}`;
		if (q.id && !ID.test(q.id)) note(`id "${q.id}" has characters a question id may not hold; used "${base}"`);
		base = prefix + base;
		if (!ID.test(base)) base = `q${String(number).padStart(2, '0')}`;
		let id = base;
		for (let n = 2; usedIds.has(id); n++) id = `${base}-${n}`;
		if (id !== base) note(`id "${base}" is used twice; this one became "${id}"`);
		usedIds.add(id);

		// Competency: the first tag that is a known competency, else the first well-formed tag.
		const tags = (q.tags ?? []).map((t) => t.trim()).filter(Boolean);
		let competency = tags.find((t) => known?.has(t)) ?? tags.find((t) => ID.test(t)) ?? options.defaultCompetency ?? 'unassigned';
		if (!ID.test(competency)) competency = 'unassigned';
		if (!tags.length && !options.defaultCompetency)
			note('no [tag:…]: competency "unassigned"; replace it with an id from content/competencies.yaml');
		else if (known && !known.has(competency)) note(`competency "${competency}" is not in content/competencies.yaml`);
		if (tags.length > 1) note(`several tags (${tags.join(', ')}); the competency is "${competency}"`);
		for (const n of new Set(mapped.notes)) note(n);

		const markdown = questionMarkdown(id, competency, mapped);
		// Safety net: what we wrote must read back as exactly this question, else it is reported.
		const check = parseQuiz(markdown, 'import');
		const back = check.questions[0];
		const sameKey =
			back &&
			check.questions.length === 1 &&
			(mapped.type === 'short'
				? back.accepted.length === mapped.accepted.length &&
					back.accepted.every((a, i) => normalizeAnswer(a) === normalizeAnswer(mapped.accepted[i]))
				: back.options.length === mapped.options.length && back.options.every((o, i) => o.correct === mapped.options[i].correct));
		if (check.errors.length || !sameKey) {
			skipped.push({
				number,
				title,
				giftType: q.type,
				excerpt,
				reason: `cannot be written as quiz Markdown (${check.errors[0]?.message ?? 'options do not read back'})`
			});
			continue;
		}
		warnings.push(...local);
		converted.push({
			number,
			title,
			id,
			type: mapped.type,
			competency,
			markdown,
			stem: plain(mapped.stem),
			options: mapped.type === 'short' ? [] : mapped.options.map((o) => ({ text: plain(o.inline), correct: o.correct })),
			accepted: mapped.accepted
		});
	}
	const markdown = converted.length ? `---\ntitle: ${labels.title}\n---\n\n${converted.map((c) => c.markdown).join('\n\n')}\n` : '';
	return { locale, total: number, converted, skipped, warnings, markdown };
}
