import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Root } from 'mdast';
import { toString } from 'mdast-util-to-string';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { describe, expect, it } from 'vitest';
import { grade } from '../../src/lib/server/quiz/grade';
import { parseQuiz } from '../../src/lib/server/quiz/parse';
import { convertGift, decodeGift, formatReport, GIFT_MAX_BYTES, GiftParseError } from '../../src/lib/server/quiz/gift';

const md = unified().use(remarkParse).use(remarkGfm);
/** Text of a Markdown fragment as a reader sees it (formatting and escapes gone). */
const textOf = (markdown: string) => squash(toString(breaksAsSpaces(md.parse(markdown) as Root)));
function breaksAsSpaces<T>(node: T): T {
	const n = node as { type: string; children?: unknown[] };
	if (n.type === 'break') return { type: 'text', value: ' ' } as T;
	if (n.children) n.children = n.children.map(breaksAsSpaces);
	return node;
}
const squash = (s: string) =>
	s
		.replace(/\u00a0/g, ' ')
		.replace(/\s+/g, ' ')
		.trim();
const entities: Record<string, string> = { '&nbsp;': ' ', '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };
/** Expected text of a parsed GIFT text field, independently of the converter. */
function expectedText(t: { format: string; text: string }): string {
	if (t.format === 'markdown') return textOf(t.text);
	const html = t.format === 'html' || /<\/?[a-z][a-z0-9]*(\s[^<>]*)?\/?>/i.test(t.text);
	if (!html) return squash(t.text);
	return squash(
		t.text
			.replace(/<!--[\s\S]*?-->/g, '')
			.replace(/<[^>]+>/g, ' ')
			.replace(/&[a-z#0-9]+;/gi, (e) => entities[e] ?? e)
	);
}

const fixture = (name: string) => readFileSync(path.join('tests/fixtures/gift', name), 'utf8');

describe('GIFT conversion of our own bank', () => {
	const result = convertGift(fixture('civic-bank.gift'), { competencies: ['citizen-responsiveness', 'info-security', 'data-sharing'] });
	const byTitle = (title: string) => result.converted.find((q) => q.title === title)!;

	it('converts single, weighted multiple, true/false and short answer, and reports the rest by title and reason', () => {
		expect(result.total).toBe(10);
		expect(result.converted.map((q) => [q.id, q.type, q.competency])).toEqual([
			['hotline-first-step', 'single', 'citizen-responsiveness'],
			['personal-data', 'multiple', 'info-security'],
			['machine-readable', 'true-false', 'data-sharing'],
			['hotline-number', 'short', 'citizen-responsiveness'],
			['password-rule', 'single', 'info-security']
		]);
		expect(result.skipped.map((s) => [s.number, s.title, s.giftType])).toEqual([
			[5, 'Reflection', 'Essay'],
			[6, 'Pairs', 'Matching'],
			[7, 'Deadline days', 'Numerical'],
			[8, 'Missing word', 'MC'],
			[9, 'Note', 'Description']
		]);
		expect(result.skipped.find((s) => s.giftType === 'Essay')?.reason).toMatch(/essay/);
		expect(result.skipped.find((s) => s.title === 'Missing word')?.reason).toMatch(/missing-word/);
		expect(result.warnings.some((w) => w.message.includes('category'))).toBe(true);
	});

	it('keeps keys: positive weights are right, the partial-credit short answer is left out and said so', () => {
		expect(byTitle('Personal data').options.map((o) => o.correct)).toEqual([true, true, false]);
		expect(byTitle('Machine-readable').options).toEqual([
			{ text: 'True', correct: true },
			{ text: 'False', correct: false }
		]);
		expect(byTitle('Hotline number').accepted).toEqual(['12345']);
		expect(result.warnings.find((w) => w.title === 'Hotline number' && w.message.includes('12315'))).toBeTruthy();
	});

	it('writes a quiz file the content parser reads back without errors, with feedback as the explanation', () => {
		const back = parseQuiz(result.markdown, 'quiz.en.md');
		expect(back.errors).toEqual([]);
		expect(back.questions.map((q) => q.id)).toEqual(result.converted.map((q) => q.id));
		const first = back.questions[0];
		expect(first.options.map((o) => o.correct)).toEqual([true, false, false]);
		expect(first.explanation).toContain('Timeliness includes telling people where their request stands.');
		expect(first.explanation).toContain('Keeps the citizen informed.');
		// Literal * and _ of plain GIFT text are escaped, so they do not turn into emphasis.
		const password = back.questions.find((q) => q.id === 'password-rule')!;
		expect(textOf(password.stem)).toBe('Which password is *strongest* (not a_b_c)?');
		expect(password.options.map((o) => textOf(o.text))).toContain('2*3*4');
	});

	it('detects a Chinese bank, labels true/false in Chinese and numbers questions without titles it can use', () => {
		const zh = convertGift(fixture('zh-bank.gift'));
		expect(zh.locale).toBe('zh-CN');
		expect(zh.converted.map((q) => q.id)).toEqual(['q01', 'q02', 'q03']);
		expect(zh.converted[1].options.map((o) => o.text)).toEqual(['正确', '错误']);
		expect(zh.converted[2].accepted).toEqual(['12345', '12345热线']);
		expect(zh.markdown).toContain('title: 课程测验');
	});

	it('applies the default competency and id prefix, and reports unknown competencies', () => {
		const r = convertGift(fixture('zh-bank.gift'), {
			defaultCompetency: 'data-sharing',
			idPrefix: 'open-',
			competencies: ['data-sharing']
		});
		expect(r.converted.map((q) => `${q.id}/${q.competency}`)).toEqual([
			'open-q01/citizen-responsiveness',
			'open-q02/data-sharing',
			'open-q03/data-sharing'
		]);
		expect(r.warnings.some((w) => w.number === 1 && w.message.includes('not in content/competencies.yaml'))).toBe(true);
	});

	it('reads questions that lack the blank line between them (and says so)', () => {
		const r = convertGift('// [tag:citizen-responsiveness]\n::q1:: First? {\n=yes\n~no\n}\n::q2:: Second. {T}\n::q3:: Third? {=a ~b}\n');
		expect(r.converted.map((q) => q.id)).toEqual(['q1', 'q2', 'q3']);
		expect(r.converted[0].competency).toBe('citizen-responsiveness');
		expect(r.warnings.filter((w) => w.message.includes('blank line')).map((w) => w.message.slice(0, 7))).toEqual(['line 6:', 'line 7:']);
	});

	it('makes duplicate ids unique', () => {
		const r = convertGift('::Same::One? {=a ~b}\n\n::Same::Two? {=a ~b}\n');
		expect(r.converted.map((q) => q.id)).toEqual(['same', 'same-2']);
	});

	it('says where the GIFT grammar stopped on a broken file', () => {
		expect(() => convertGift(fixture('broken.gift'))).toThrow(GiftParseError);
		try {
			convertGift(fixture('broken.gift'));
		} catch (e) {
			expect((e as GiftParseError).line).toBe(4);
			expect((e as Error).message).toMatch(/^line 4, column 1: Expected "}"/);
		}
	});

	it('refuses empty, oversized and binary uploads with a clear message', () => {
		expect(() => decodeGift(new Uint8Array())).toThrow(/empty/);
		expect(() => decodeGift(new Uint8Array(GIFT_MAX_BYTES + 1).fill(65))).toThrow(/limit is 512 KB/);
		expect(() => decodeGift(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]))).toThrow(/UTF-8|binary/);
		expect(() => decodeGift(new TextEncoder().encode('abc\u0000def'))).toThrow(/binary/);
		expect(decodeGift(new TextEncoder().encode('\uFEFF::a::b{T}'))).toContain('::a::b{T}');
	});

	it('never passes raw HTML through to the Markdown', () => {
		const r = convertGift('[html]<p>Pick <script>alert(1)</script><b>one</b><img src\\="x" onerror\\="alert(2)"></p>{=<i>a</i> ~b}\n');
		expect(r.markdown).not.toMatch(/<script|onerror|<img/);
		expect(r.converted[0].stem).toBe('Pick one');
	});

	it('prints a report that names every question not converted', () => {
		const report = formatReport(result);
		expect(report).toMatch(/10 question\(s\): 5 converted, 5 not converted/);
		for (const title of ['Reflection', 'Pairs', 'Deadline days', 'Missing word', 'Note']) expect(report).toContain(`"${title}"`);
	});
});

const moodle = (name: string) => fixture(path.join('moodle', name));

/** The explanation's feedback line for an option (`**True**: …`), as text. */
const feedbackFor = (explanation: string, option: string) =>
	textOf(explanation.split('\n').find((l) => /^[-*] \*\*/.test(l) && l.slice(4).startsWith(`${option}**`)) ?? '').replace(
		`${option}: `,
		''
	);

describe('GIFT: what Moodle reads, GovLearn reads', () => {
	it("reads Moodle's test fixture whole (a numerical answer with feedback on a wrong answer included) and reports what it cannot convert", () => {
		const r = convertGift(moodle('questions.gift.txt'), { defaultCompetency: 'x' });
		expect(r.total).toBe(9);
		expect(r.skipped.map((s) => [s.number, s.giftType])).toEqual([
			[1, 'Essay'],
			[2, 'Matching'],
			[5, 'Numerical'],
			[7, 'TF']
		]);
		expect(r.converted.map((q) => [q.title, q.type])).toEqual([
			['Q2', 'single'],
			['colours', 'multiple'],
			['Shortanswer', 'short'],
			['2-08 TSL', 'true-false'],
			['2-08 TSL', 'true-false']
		]);
		expect(parseQuiz(r.markdown, 'quiz.en.md').errors).toEqual([]);
	});

	it("reads every question of Moodle's examples file, none refused by the grammar", () => {
		const r = convertGift(moodle('examples.txt'), { defaultCompetency: 'x' });
		expect(r.total).toBe(43);
		expect(r.skipped.filter((s) => s.giftType === 'unreadable')).toEqual([]);
		expect(r.converted.length).toBe(23);
		// `\=`, `\~`, `\#`, `\{`, `\}` and `\\` are text.
		const control = r.converted.find((q) => q.title === 'GIFT Control Characters')!;
		expect(control.options.map((o) => o.text)).toEqual(['~', '=', '#', '{', '}', '\\']);
		expect(control.options.map((o) => o.correct)).toEqual([false, false, false, false, false, true]);
	});

	it("reads the GIFT of Moodle's own import and export tests", () => {
		const r = convertGift(moodle('giftformat_test.gift'), { defaultCompetency: 'x' });
		expect(r.total).toBe(7);
		expect(r.skipped.map((s) => [s.number, s.giftType])).toEqual([
			[1, 'Numerical'],
			[2, 'Numerical']
		]);
		expect(r.converted.find((q) => q.title === 'colours')!.options.map((o) => o.correct)).toEqual([true, false, false]);
		expect(r.converted.find((q) => q.title === 'Shortanswer')!.accepted).toEqual(['Frog']);
		expect(r.converted.find((q) => q.title === 'True/false question')).toMatchObject({ id: 'myid', competency: 'tag1' });
	});

	it('gives true/false feedback to the right answer the way Moodle does: the wrong answer first, then the right one', () => {
		const r = convertGift(moodle('giftformat_test.gift'), { defaultCompetency: 'x' });
		const back = parseQuiz(r.markdown, 'quiz.en.md').questions;
		const [falseQ, trueQ, tagged] = back.filter((q) => q.type === 'true-false');
		// {FALSE#42 is the Ultimate Answer.#You gave the right answer.}: choosing True is wrong.
		expect(falseQ.options.map((o) => o.correct)).toEqual([false, true]);
		expect(feedbackFor(falseQ.explanation, 'True')).toBe('42 is the Ultimate Answer.');
		expect(feedbackFor(falseQ.explanation, 'False')).toBe('You gave the right answer.');
		// {TRUE#…Ultimate Answer.#You gave the right answer.}: choosing True is right.
		expect(trueQ.options.map((o) => o.correct)).toEqual([true, false]);
		expect(feedbackFor(trueQ.explanation, 'True')).toBe('You gave the right answer.');
		expect(feedbackFor(trueQ.explanation, 'False')).toBe('42 is the Ultimate Answer.');
		expect(feedbackFor(tagged.explanation, 'True')).toBe('This is the right answer.');
		expect(feedbackFor(tagged.explanation, 'False')).toBe('This is the wrong answer.');
		expect(textOf(tagged.explanation)).toContain('You should have selected true.');
	});

	it('drops comment lines between answers, as Moodle does, instead of gluing them to the text', () => {
		const r = convertGift(
			'::Q:: Which comes first?\n// a note for authors\n{\n\t=Reply # good\n\t// why the next one is wrong\n\t~Wait # bad\n}\n',
			{ defaultCompetency: 'x' }
		);
		expect(r.skipped).toEqual([]);
		expect(r.converted[0].stem).toBe('Which comes first?');
		expect(r.converted[0].options.map((o) => o.text)).toEqual(['Reply', 'Wait']);
		expect(r.markdown).not.toContain('//');
	});

	it('reads single colons in titles, stems, answers and feedback as text (Moodle needs \\: only for titles and numbers)', () => {
		const r = convertGift(
			[
				'::Time: morning:: The office opens at 8:30. Where is the form? {=https://example.gov/form # note: printable ~At the desk}',
				'::Ratio:: Staff to residents: which ratio? {=1:50 =one to fifty}',
				'::Range:: A number from 1 to 5? {#3:2 # close: within 2}'
			].join('\n\n'),
			{ defaultCompetency: 'x' }
		);
		expect(r.converted.map((q) => q.title)).toEqual(['Time: morning', 'Ratio']);
		expect(r.converted[0].stem).toBe('The office opens at 8:30. Where is the form?');
		expect(r.converted[0].options.map((o) => o.text)).toEqual(['https://example.gov/form', 'At the desk']);
		expect(r.markdown).toContain('note: printable');
		expect(r.converted[1].accepted).toEqual(['1:50', 'one to fifty']);
		expect(r.skipped.map((s) => s.giftType)).toEqual(['Numerical']);
	});

	it('reports a question the grammar cannot read, with its line, and converts the others', () => {
		const r = convertGift('::One:: First? {=a ~b}\n\n::Two:: Broken {=a ~b\n\n::Three:: Third? {T}\n', { defaultCompetency: 'x' });
		expect(r.total).toBe(3);
		expect(r.converted.map((q) => q.title)).toEqual(['One', 'Three']);
		expect(r.skipped).toHaveLength(1);
		expect(r.skipped[0]).toMatchObject({ number: 2, giftType: 'unreadable', excerpt: '::Two:: Broken {=a ~b' });
		expect(r.skipped[0].reason).toMatch(/line 3\b/);
		expect(formatReport(r)).toMatch(/3 question\(s\): 2 converted, 1 not converted/);
	});

	it('keeps accepted short answers as typed text, so a right answer with Markdown characters is graded right', () => {
		const r = convertGift('::Links:: Where do residents apply? {=https://example.gov/apply?x\\=1&y\\=2 =R&D office =a_b*c* =desk [2]}\n', {
			defaultCompetency: 'x'
		});
		expect(r.skipped).toEqual([]);
		const written = parseQuiz(r.markdown, 'quiz.en.md').questions[0];
		expect(written.accepted).toEqual(['https://example.gov/apply?x=1&y=2', 'R&D office', 'a_b*c*', 'desk [2]']);
		const key = { type: 'short' as const, correct: [], accepted: written.accepted, optionCount: 0, points: 1 };
		for (const typed of ['https://example.gov/apply?x=1&y=2', 'R&D office', 'r&d  office', 'a_b*c*', 'desk [2]'])
			expect(grade(key, typed).correct, typed).toBe(true);
		expect(grade(key, 'R\\&D office').correct).toBe(false);
	});
});

// tests/fixtures/gift/samples: MIT-licensed GIFT samples with their expected parse as JSON (see its
// README and LICENSE; copied from the project's shared fixtures so the suite runs from any clone).
const SHARED = path.resolve('tests', 'fixtures', 'gift', 'samples');
const sharedFiles = readdirSync(SHARED).filter((f) => f.endsWith('.gift'));

type Expected = {
	type: string;
	title: string | null;
	stem?: { format: string; text: string };
	hasEmbeddedAnswers?: boolean;
	choices?: { isCorrect: boolean; weight: number | null; text: { format: string; text: string } }[];
	isTrue?: boolean;
};

/** Questions the conversion must report rather than convert, per docs (types and shapes we cannot hold). */
function mustSkip(q: Expected): boolean {
	if (['Essay', 'Matching', 'Numerical', 'Description'].includes(q.type) || q.hasEmbeddedAnswers) return true;
	if (q.type === 'MC') {
		const full = q.choices!.filter((c) => c.isCorrect).length;
		return full > 1 || (full === 0 && !q.choices!.some((c) => (c.weight ?? 0) > 0));
	}
	if (q.type === 'Short') return !q.choices!.some((c) => c.isCorrect && (c.weight === null || c.weight >= 100));
	return false;
}

/** The key GovLearn gives an MC question: the "=" option, else every option with a positive weight. */
function expectedKey(q: Expected): boolean[] {
	const full = q.choices!.some((c) => c.isCorrect);
	return q.choices!.map((c) => (full ? c.isCorrect : (c.weight ?? 0) > 0));
}

describe('GIFT conversion of the shared samples', () => {
	it('has samples to check', () => {
		expect(sharedFiles.length).toBeGreaterThanOrEqual(50);
	});

	for (const file of sharedFiles) {
		it(`${file}: every question converts or is reported; stems and keys match the expected parse`, () => {
			const expected = (JSON.parse(readFileSync(path.join(SHARED, file.replace(/\.gift$/, '.json')), 'utf8')) as Expected[]).filter(
				(q) => q.type !== 'Category'
			);
			const result = convertGift(readFileSync(path.join(SHARED, file), 'utf8'), { locale: 'en' });
			expect(result.total).toBe(expected.length);
			expect(result.converted.length + result.skipped.length).toBe(expected.length);
			const back = parseQuiz(result.markdown || 'x', file);
			if (result.converted.length) expect(back.errors).toEqual([]);

			expected.forEach((q, i) => {
				const number = i + 1;
				const skipped = result.skipped.find((s) => s.number === number);
				if (mustSkip(q)) {
					expect(skipped, `question ${number} (${q.type}) must be reported`).toBeTruthy();
					expect(skipped!.reason.length).toBeGreaterThan(10);
					expect(skipped!.title).toBe(q.title?.trim() || null);
					return;
				}
				expect(skipped, `question ${number} (${q.type}) was not converted: ${skipped?.reason}`).toBeUndefined();
				const converted = result.converted.find((c) => c.number === number)!;
				const written = back.questions.find((x) => x.id === converted.id)!;
				expect(textOf(written.stem)).toBe(expectedText(q.stem!));
				if (q.type === 'TF') {
					expect(written.type).toBe('true-false');
					expect(written.options.map((o) => o.correct)).toEqual([q.isTrue, !q.isTrue]);
				} else if (q.type === 'Short') {
					expect(written.type).toBe('short');
					expect(written.accepted.map(textOf)).toEqual(
						q.choices!.filter((c) => c.isCorrect && (c.weight === null || c.weight >= 100)).map((c) => expectedText(c.text))
					);
				} else {
					const key = expectedKey(q);
					expect(written.type).toBe(key.filter(Boolean).length > 1 ? 'multiple' : 'single');
					expect(written.options.map((o) => o.correct)).toEqual(key);
					expect(written.options.map((o) => textOf(o.text))).toEqual(q.choices!.map((c) => expectedText(c.text)));
				}
			});
		});
	}
});
