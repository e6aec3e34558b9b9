// Reading a GIFT bank: the uploaded bytes as text, and the text through gift-pegjs (the reference
// grammar). Relative imports only: scripts/import-gift.ts runs this outside Vite.
import { parse as parseGiftText, type GIFTQuestion } from 'gift-pegjs';
import { DomainError } from '../../errors';

export interface GiftNote {
	number?: number;
	title?: string | null;
	message: string;
}

/** The bank could not be read at all; `line`/`column` say where the GIFT grammar stopped. */
export class GiftParseError extends DomainError<'gift'> {
	constructor(
		public detail: string,
		public line: number,
		public column: number
	) {
		super('invalid', 'gift', line ? `line ${line}, column ${column}: ${detail}` : detail, { line, column });
	}
}

export const GIFT_MAX_BYTES = 512 * 1024;

/**
 * Decodes an uploaded file: UTF-8 text (BOM allowed) under GIFT_MAX_BYTES, else a GiftParseError with a
 * message the trainer can act on.
 */
export function decodeGift(bytes: Uint8Array): string {
	if (bytes.byteLength === 0) throw new GiftParseError('the file is empty', 0, 0);
	if (bytes.byteLength > GIFT_MAX_BYTES)
		throw new GiftParseError(`the file is ${Math.ceil(bytes.byteLength / 1024)} KB; the limit is ${GIFT_MAX_BYTES / 1024} KB`, 0, 0);
	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		throw new GiftParseError('not a UTF-8 text file (save the GIFT file as UTF-8)', 0, 0);
	}
	// eslint-disable-next-line no-control-regex
	if (/[\u0000-\u0008\u000E-\u001F]/.test(text)) throw new GiftParseError('not a text file (it holds binary data)', 0, 0);
	return text;
}

/** A question the GIFT grammar could not read even after the Moodle fixes: reported, not converted. */
export interface UnreadableQuestion {
	type: 'Unreadable';
	/** Line (1-based, in the uploaded text) where the question starts. */
	line: number;
	/** Where the grammar stopped, in the uploaded text. */
	at: { line: number; column: number };
	detail: string;
	/** Start of the question's text, to find it in the bank. */
	excerpt: string;
}

export type BankEntry = GIFTQuestion | UnreadableQuestion;

interface Source {
	text: string;
	/** Line of the uploaded text for each line of `text` (1-based both). */
	lines: number[];
}

/**
 * What Moodle's importer accepts and gift-pegjs (the reference grammar) does not, rewritten before the
 * grammar reads it: comment lines inside a question are dropped (Moodle ignores every line starting
 * with `//`; the grammar would glue them to the text before), a single colon in text is literal (the
 * grammar wants `\:` everywhere; Moodle only where it would start a title or, in a numerical answer,
 * the tolerance), and a one-line numerical answer with further answers (`{#3:2~#Wrong}`) gets the
 * `=` the grammar needs to read them.
 */
export function moodleCompatible(text: string): Source {
	const input = text.split('\n');
	const out: string[] = [];
	const lines: number[] = [];
	let depth = 0;
	let numerical = false;
	/** Inside a numerical answer's value (before its `#` feedback): colons there are tolerances. */
	let numericValue = false;
	/** Text of a question seen since the last blank line or closing brace. */
	let inQuestion = false;
	for (const [index, line] of input.entries()) {
		const trimmed = line.trim();
		if (!trimmed) {
			// A blank line ends a question for Moodle, an unclosed brace included.
			inQuestion = false;
			depth = 0;
			numerical = false;
			out.push(line);
			lines.push(index + 1);
			continue;
		}
		if (trimmed.startsWith('//')) {
			if (depth > 0 || inQuestion) continue;
			out.push(line);
			lines.push(index + 1);
			continue;
		}
		if (depth === 0 && /^\$CATEGORY:/.test(trimmed)) {
			out.push(line);
			lines.push(index + 1);
			continue;
		}
		let result = '';
		let i = 0;
		if (depth === 0 && !inQuestion && trimmed.startsWith('::')) {
			// A title: `::` … `::`, single colons inside it escaped.
			const open = line.indexOf('::');
			let j = open + 2;
			let title = '';
			for (; j < line.length; j++) {
				if (line[j] === '\\') {
					title += line.slice(j, j + 2);
					j++;
				} else if (line.startsWith('::', j)) break;
				else title += line[j] === ':' ? '\\:' : line[j];
			}
			if (j < line.length) {
				result = `${line.slice(0, open)}::${title}::`;
				i = j + 2;
			}
		}
		inQuestion = true;
		for (; i < line.length; i++) {
			const c = line[i];
			if (c === '\\') {
				result += line.slice(i, i + 2);
				i++;
			} else if (c === '{' && depth === 0) {
				depth = 1;
				result += c;
				const rest = line.slice(i + 1);
				numerical = /^\s*#/.test(rest);
				if (numerical) {
					const hash = rest.indexOf('#');
					result += rest.slice(0, hash + 1);
					i += hash + 1;
					numericValue = true;
					// `{#3:2~#Wrong}`: the grammar reads further answers only after an `=` first answer.
					const body = rest.slice(hash + 1);
					const end = body.indexOf('}');
					const inside = end < 0 ? body : body.slice(0, end);
					if (!/^\s*(=|%|$)/.test(inside) && /(^|[^\\])[~#]/.test(inside)) result += '=';
				}
			} else if (c === '}' && depth > 0) {
				depth = 0;
				numerical = false;
				inQuestion = false;
				result += c;
			} else if (c === ':') {
				result += numerical && numericValue ? ':' : '\\:';
			} else {
				if (numerical && c === '#') numericValue = false;
				if (numerical && (c === '=' || c === '~')) numericValue = true;
				result += c;
			}
		}
		// Text after a closing brace on the same line (a missing-word question) keeps the question open.
		if (depth === 0 && !/\}\s*$/.test(line)) inQuestion = true;
		out.push(result);
		lines.push(index + 1);
	}
	return { text: out.join('\n'), lines };
}

type Stop = { line: number; column: number; detail: string };

/** Parses GIFT text, tolerating questions that are not separated by a blank line (Moodle needs one). */
function parseSource(source: Source, warnings: GiftNote[]): GIFTQuestion[] | Stop {
	let text = source.text;
	const lines = [...source.lines];
	const added: GiftNote[] = [];
	for (let tries = 0; ; tries++) {
		try {
			const parsed = parseGiftText(text);
			warnings.push(...added);
			return parsed;
		} catch (e) {
			const err = e as {
				name?: string;
				message: string;
				location?: { start: { line: number; column: number } };
				expected?: { description?: string }[];
			};
			if (err.name !== 'SyntaxError' || !err.location) throw e;
			const { line, column } = err.location.start;
			const original = lines[Math.min(line, lines.length) - 1] ?? line;
			const wantsSeparator = err.expected?.some((x) => x.description === '(blank lines separator)');
			if (wantsSeparator && column === 1 && tries < 1000) {
				const all = text.split('\n');
				all.splice(line - 1, 0, '');
				lines.splice(line - 1, 0, original);
				text = all.join('\n');
				added.push({
					message: `line ${original}: no blank line before this question; read it as a new question (Moodle needs a blank line between questions)`
				});
				continue;
			}
			return { line: original, column, detail: err.message };
		}
	}
}

/**
 * Reads a bank the way Moodle's importer does: question by question, so one question the grammar
 * cannot read is reported (as an UnreadableQuestion) while the rest are read. Throws GiftParseError
 * only when not a single question could be read.
 */
export function parseBank(text: string, warnings: GiftNote[]): BankEntry[] {
	const normalised = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
	if (!normalised.trim()) return [];
	const source = moodleCompatible(normalised);
	const whole = parseSource(source, warnings);
	if (Array.isArray(whole)) return whole;

	// Blocks between blank lines, each read on its own.
	const entries: BankEntry[] = [];
	const all = source.text.split('\n');
	let readable = false;
	for (let start = 0; start < all.length;) {
		while (start < all.length && !all[start].trim()) start++;
		let end = start;
		while (end < all.length && all[end].trim()) end++;
		if (start >= all.length) break;
		const block: Source = { text: all.slice(start, end).join('\n'), lines: source.lines.slice(start, end) };
		start = end;
		const read = parseSource(block, warnings);
		if (Array.isArray(read)) {
			readable ||= read.length > 0;
			entries.push(...read);
			continue;
		}
		const body = block.text.split('\n').filter((l) => !l.trim().startsWith('//'));
		if (!body.length) continue;
		entries.push({
			type: 'Unreadable',
			line: block.lines[0],
			at: { line: read.line, column: read.column },
			detail: read.detail,
			excerpt: body.join(' ').replace(/\\(.)/g, '$1').replace(/\s+/g, ' ').trim().slice(0, 80)
		});
	}
	if (!readable) throw new GiftParseError(whole.detail, whole.line, whole.column);
	return entries;
}
