// Property-based tests of the GIFT import (fast-check): any text is converted or refused with a
// GiftParseError; every question is accounted for (converted or reported); what is converted is a
// valid quiz file; and banks of the kinds GovLearn holds come through with their keys intact.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeAnswer } from '../../src/lib/server/quiz/grade';
import { parseQuiz } from '../../src/lib/server/quiz/parse';
import { convertGift, decodeGift, formatReport, GiftParseError, type GiftConversion } from '../../src/lib/server/quiz/gift';
import { fuzzRuns } from './fuzz-runs';

const runs = fuzzRuns(200);

function tryConvert(text: string, options = {}): GiftConversion | GiftParseError {
	try {
		return convertGift(text, options);
	} catch (e) {
		if (e instanceof GiftParseError) return e;
		throw e;
	}
}

/** Every converted question in the file once, in order, reading back with its key and no errors. */
function expectWellFormed(result: GiftConversion): void {
	expect(result.converted.length + result.skipped.length).toBe(result.total);
	const numbers = [...result.converted, ...result.skipped].map((q) => q.number).sort((a, b) => a - b);
	expect(numbers).toEqual(Array.from({ length: result.total }, (_, i) => i + 1));
	if (!result.converted.length) return expect(result.markdown).toBe('');
	const quiz = parseQuiz(result.markdown, `quiz.${result.locale}.md`);
	expect(quiz.errors).toEqual([]);
	expect(quiz.questions.map((q) => q.id)).toEqual(result.converted.map((q) => q.id));
	for (const [i, q] of quiz.questions.entries()) {
		const c = result.converted[i];
		expect(q.type).toBe(c.type);
		if (c.type === 'short') expect(q.accepted.length).toBe(c.accepted.length);
		else expect(q.options.map((o) => o.correct)).toEqual(c.options.map((o) => o.correct));
	}
	expect(formatReport(result)).toContain(String(result.total));
}

const giftChars = fc.constantFrom(
	'{',
	'}',
	'=',
	'~',
	'#',
	':',
	'::',
	'\\',
	'\\{',
	'\\=',
	'\\~',
	'\\#',
	'\\:',
	'%',
	'[html]',
	'[markdown]',
	'[moodle]',
	'//',
	'\n',
	'\n\n',
	' ',
	'TRUE',
	'F',
	'->',
	'$CATEGORY: x',
	'[tag:x]',
	'[id:y]',
	'<b>',
	'</b>',
	'- ',
	'> ',
	'# ',
	'|a|b|',
	'---'
);
const giftish = fc
	.array(fc.oneof(giftChars, fc.string({ maxLength: 10 }), fc.constantFrom('问题', '正确', '答案')), { maxLength: 80 })
	.map((parts) => parts.join(''));

describe('GIFT import (property-based)', () => {
	it('converts or refuses with a line number any text, and accounts for every question', () => {
		fc.assert(
			fc.property(fc.oneof(giftish, fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 200 })), (text) => {
				const result = tryConvert(text);
				if (result instanceof GiftParseError) expect(result.line).toBeGreaterThanOrEqual(0);
				else expectWellFormed(result);
			}),
			{ numRuns: runs }
		);
	});

	it('decodes any bytes to text or refuses them with a message', () => {
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
				try {
					expect(typeof decodeGift(bytes)).toBe('string');
				} catch (e) {
					expect(e).toBeInstanceOf(GiftParseError);
					expect((e as GiftParseError).message.length).toBeGreaterThan(0);
				}
			}),
			{ numRuns: runs }
		);
	});

	const word = fc.stringMatching(/^[A-Za-z\u4e00-\u9fa5][A-Za-z0-9 \u4e00-\u9fa5]{0,14}[A-Za-z0-9\u4e00-\u9fa5]$/);
	const bankQuestion = fc.oneof(
		fc.record({
			kind: fc.constant('single' as const),
			stem: word,
			options: fc.uniqueArray(word, { minLength: 2, maxLength: 5 }),
			right: fc.nat(4)
		}),
		fc
			.record({
				kind: fc.constant('multiple' as const),
				stem: word,
				options: fc.uniqueArray(word, { minLength: 2, maxLength: 5 }),
				marks: fc.array(fc.boolean(), { minLength: 5, maxLength: 5 })
			})
			.map((q) => {
				const marks = q.options.map((_, j) => q.marks[j]);
				if (!marks.includes(true)) marks[0] = true;
				return { ...q, marks };
			}),
		fc.record({ kind: fc.constant('true-false' as const), stem: word, value: fc.boolean() }),
		fc.record({ kind: fc.constant('short' as const), stem: word, answers: fc.uniqueArray(word, { minLength: 1, maxLength: 3 }) }),
		fc.record({ kind: fc.constant('essay' as const), stem: word })
	);

	it('brings a bank of the supported kinds through with every key intact, and reports the rest', () => {
		fc.assert(
			fc.property(fc.array(bankQuestion, { minLength: 1, maxLength: 10 }), fc.constantFrom('', 'fuzz-'), (bank, prefix) => {
				const text = bank
					.map((q, i) => {
						const title = `::Q${i + 1}::`;
						if (q.kind === 'single')
							return `${title}${q.stem}?{${q.options.map((o, j) => `${j === q.right % q.options.length ? '=' : '~'}${o}`).join(' ')}}`;
						if (q.kind === 'multiple') {
							const right = q.marks.filter(Boolean).length;
							return `${title}${q.stem}?{${q.options.map((o, j) => (q.marks[j] ? `~%${(100 / right).toFixed(5)}%${o}` : `~%-100%${o}`)).join(' ')}}`;
						}
						if (q.kind === 'true-false') return `${title}${q.stem}{${q.value ? 'TRUE' : 'FALSE'}}`;
						if (q.kind === 'short') return `${title}${q.stem}?{${q.answers.map((a) => `=${a}`).join(' ')}}`;
						return `${title}${q.stem}{}`;
					})
					.join('\n\n');
				const result = tryConvert(text, { idPrefix: prefix, defaultCompetency: 'fuzz-competency' });
				expect(result).not.toBeInstanceOf(GiftParseError);
				if (result instanceof GiftParseError) return;
				expectWellFormed(result);
				expect(result.total).toBe(bank.length);
				for (const [i, q] of bank.entries()) {
					const c = result.converted.find((x) => x.number === i + 1);
					if (q.kind === 'essay') {
						expect(c).toBeUndefined();
						continue;
					}
					expect(
						c,
						`question ${i + 1} (${q.kind}) was not converted: ${result.skipped.find((s) => s.number === i + 1)?.reason}`
					).toBeDefined();
					if (!c) continue;
					expect(c.id.startsWith(prefix)).toBe(true);
					if (q.kind === 'single')
						expect(c.options.map((o) => o.correct)).toEqual(q.options.map((_, j) => j === q.right % q.options.length));
					if (q.kind === 'true-false') expect(c.options.map((o) => o.correct)).toEqual([q.value, !q.value]);
					// Spacing may be tidied; grading ignores it anyway.
					if (q.kind === 'short') expect(c.accepted.map(normalizeAnswer)).toEqual(q.answers.map(normalizeAnswer));
					// Weighted options with one right answer are a single-choice question.
					if (q.kind === 'multiple') {
						expect(c.type).toBe(q.marks.filter(Boolean).length === 1 ? 'single' : 'multiple');
						expect(c.options.map((o) => o.correct)).toEqual(q.marks);
					}
				}
			}),
			{ numRuns: runs }
		);
	});
});
