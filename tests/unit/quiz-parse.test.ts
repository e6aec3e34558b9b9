// The quiz parser's options and accepted answers: the `[x]`/`[ ]` key marker never stays in the text a
// learner sees, whatever inline markup the option starts with (the GFM parser moves the text past the
// marker only when plain text follows it).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inlineHtml } from '../../src/lib/server/content/index';
import { convertGift } from '../../src/lib/server/quiz/gift';
import { parseQuiz } from '../../src/lib/server/quiz/parse';
import { fuzzRuns } from './fuzz-runs';

const runs = fuzzRuns(150);
const MARKER = /\[[ xX]\]/;

/** Inline markup an option can start with, and how it must read back. */
const STARTS: [string, string][] = [
	['bold', '**Call** the hotline'],
	['bold (underscores)', '__Call__ the hotline'],
	['italic', '*Call* the hotline'],
	['italic (underscore)', '_Call_ the hotline'],
	['bold italic', '***Call*** the hotline'],
	['strikethrough', '~~Write~~ call the hotline'],
	['code', '`12345` is the hotline'],
	['link', '[The hotline](https://example.gov/hotline) first'],
	['autolink', '<https://example.gov> first'],
	['literal address', 'https://example.gov first'],
	['email autolink', '<help@example.gov> first'],
	['image', '![phone](images/phone.svg) call'],
	['raw HTML', '<b>Call</b> the hotline'],
	['entity', '&amp; then call'],
	['escape', '\\*not bold\\* call']
];

function quizFile(kind: 'single' | 'multiple', options: { text: string; correct: boolean }[]): string {
	const items = options.map((o) => `- [${o.correct ? 'x' : ' '}] ${o.text}`).join('\n');
	return `---\ntitle: Quiz\n---\n\n## q1 · ${kind} · citizen-responsiveness\n\nWhat first?\n\n${items}\n\n> Because.\n`;
}

describe('quiz options starting with inline markup', () => {
	for (const file of ['quiz.en.md', 'quiz.zh-CN.md'])
		for (const [name, text] of STARTS)
			it(`${file}: ${name} at the start of a right and a wrong option keeps the marker out of the text`, () => {
				const { questions, errors } = parseQuiz(
					quizFile('multiple', [
						{ text, correct: true },
						{ text: `${text} (2)`, correct: false },
						{ text: 'Plain', correct: false }
					]),
					file
				);
				expect(errors).toEqual([]);
				expect(questions[0].options).toEqual([
					{ text, correct: true },
					{ text: `${text} (2)`, correct: false },
					{ text: 'Plain', correct: false }
				]);
				for (const o of questions[0].options) expect(inlineHtml(o.text)).not.toMatch(MARKER);
			});

	it('short-answer accepted answers starting with markup keep no marker, and are stored as the text a learner types', () => {
		const md = '## q1 · short · x\n\nThe hotline?\n\n- [x] `12345`\n- [x] **12345**\n\n> Because.\n';
		const { questions, errors } = parseQuiz(md, 'quiz.en.md');
		expect(errors).toEqual([]);
		expect(questions[0].accepted).toEqual(['12345', '12345']);
	});

	it('an option whose text itself starts with a marker is refused, not shown', () => {
		const { errors } = parseQuiz('## q1 · single · x\n\nWhat?\n\n- [ ] [x] right\n- [x] wrong\n\n> Because.\n', 'quiz.en.md');
		expect(errors.map((e) => [e.line, e.message])).toContainEqual([
			5,
			'question q1: option text starts with "[x]"; write one marker per option'
		]);
	});

	it('GIFT options starting with Markdown or HTML markup are converted without a marker', () => {
		const gift = [
			'::md:: [markdown]Which first? {=**Call** the hotline ~*Write* a letter ~`wait` ~[the site](https\\://example.gov)}',
			'::html:: [html]Which first? {=<b>Call</b> the hotline ~<i>Write</i> a letter ~<code>wait</code> ~<a href\\="https\\://example.gov">site</a>}'
		].join('\n\n');
		const result = convertGift(gift, { defaultCompetency: 'x' });
		expect(result.skipped).toEqual([]);
		const { questions, errors } = parseQuiz(result.markdown, 'quiz.en.md');
		expect(errors).toEqual([]);
		for (const q of questions) {
			expect(q.options.map((o) => o.correct)).toEqual([true, false, false, false]);
			for (const o of q.options) {
				expect(o.text).not.toMatch(/^\[[ xX]\]/);
				expect(inlineHtml(o.text)).not.toMatch(MARKER);
			}
		}
	});
});

const piece = fc.oneof(
	fc.constantFrom(
		'**b**',
		'__b__',
		'*i*',
		'_i_',
		'`c`',
		'~~s~~',
		'[l](https://example.gov)',
		'<https://example.gov>',
		'https://example.gov',
		'![a](images/a.svg)',
		'<em>h</em>',
		'&amp;',
		'\\*',
		'办理',
		'word'
	),
	fc.stringMatching(/^[A-Za-z\u4e00-\u4e2f]{1,8}$/)
);
const optionText = fc.array(piece, { minLength: 1, maxLength: 5 }).map((parts) => parts.join(' '));

describe('quiz options (property-based)', () => {
	it('every option reads back as written, and no rendered option carries a marker', () => {
		fc.assert(
			fc.property(
				fc.array(optionText, { minLength: 2, maxLength: 5 }),
				fc.nat(),
				fc.constantFrom('quiz.en.md', 'quiz.zh-CN.md'),
				(texts, right, file) => {
					const options = texts.map((text, i) => ({ text, correct: i === right % texts.length }));
					const { questions, errors } = parseQuiz(quizFile('single', options), file);
					expect(errors).toEqual([]);
					expect(questions[0].options).toEqual(options);
					for (const o of questions[0].options) expect(inlineHtml(o.text)).not.toMatch(/^\s*\[[ xX]\]/);
				}
			),
			{ numRuns: runs }
		);
	});
});
