// Property-based tests of quiz grading (fast-check): whatever a form posts, grading never throws, the
// score stays within bounds and multiple choice is all-or-nothing. FUZZ_RUNS scales the case count.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { grade, normalizeAnswer, scorePercent, type GradableQuestion } from '../../src/lib/server/quiz/grade';
import { buildSlots, gradable, parseResponse, toFileIndices, toShownIndices } from '../../src/lib/server/quiz/slots';
import type { QuizQuestion } from '../../src/lib/server/quiz/parse';
import { fuzzRuns } from './fuzz-runs';

const runs = fuzzRuns(1000);

/** A question as the content parser can produce it. */
const choiceQuestion = fc
	.record({
		type: fc.constantFrom('single' as const, 'multiple' as const, 'true-false' as const),
		optionCount: fc.integer({ min: 2, max: 8 }),
		points: fc.integer({ min: 1, max: 10 })
	})
	.chain(({ type, optionCount, points }) =>
		(type === 'multiple'
			? fc.uniqueArray(fc.integer({ min: 0, max: optionCount - 1 }), { minLength: 1, maxLength: optionCount })
			: fc.integer({ min: 0, max: optionCount - 1 }).map((i) => [i])
		).map((correct): GradableQuestion => ({ type, optionCount, points, correct: [...correct].sort((a, b) => a - b), accepted: [] }))
	);

const shortQuestion = fc
	.record({
		accepted: fc.array(fc.string({ minLength: 1, maxLength: 20 }), { minLength: 1, maxLength: 4 }),
		points: fc.integer({ min: 1, max: 10 })
	})
	.map(({ accepted, points }): GradableQuestion => ({ type: 'short', accepted, points, correct: [], optionCount: 0 }));

const anyQuestion = fc.oneof(choiceQuestion, shortQuestion);

/** Anything a tampered form or a bug upstream could hand to grade(). */
const anyResponse = fc.oneof(
	fc.array(fc.integer({ min: -3, max: 12 }), { maxLength: 12 }),
	fc.array(fc.oneof(fc.double(), fc.integer(), fc.constant(Number.NaN), fc.constant(Infinity)), { maxLength: 6 }),
	fc.string({ maxLength: 200 }),
	fc.string({ unit: 'binary', maxLength: 50 }),
	fc.constant(undefined),
	fc.anything() as fc.Arbitrary<never>
);

describe('grading (property-based)', () => {
	it('never throws and earns either nothing or the full points', () => {
		fc.assert(
			fc.property(anyQuestion, anyResponse, (question, response) => {
				const result = grade(question, response);
				expect([0, question.points]).toContain(result.pointsEarned);
				expect(result.correct).toBe(result.pointsEarned === question.points);
			}),
			{ numRuns: runs }
		);
	});

	it('marks a choice question right exactly when the set of valid chosen options equals the key', () => {
		fc.assert(
			fc.property(choiceQuestion, fc.array(fc.integer({ min: 0, max: 7 }), { maxLength: 10 }), (question, chosen) => {
				const valid = [...new Set(chosen.filter((i) => i < question.optionCount))].sort((a, b) => a - b);
				const expected = valid.join() === question.correct.join() && (question.type === 'multiple' || valid.length === 1);
				expect(grade(question, chosen).correct).toBe(expected);
			}),
			{ numRuns: runs }
		);
	});

	it('is all-or-nothing: ticking every option earns nothing unless every option is right', () => {
		fc.assert(
			fc.property(choiceQuestion, (question) => {
				const all = Array.from({ length: question.optionCount }, (_, i) => i);
				const result = grade(question, all);
				expect(result.correct).toBe(question.type === 'multiple' && question.correct.length === question.optionCount);
				// A strict subset of a multiple-choice key earns nothing either.
				if (question.correct.length > 1) expect(grade(question, question.correct.slice(1)).pointsEarned).toBe(0);
			}),
			{ numRuns: runs }
		);
	});

	it('accepts a short answer whatever its case, width and spacing', () => {
		const word = fc.stringMatching(/^[A-Za-z0-9\u4e00-\u4e20]{1,12}$/);
		fc.assert(
			fc.property(word, fc.array(fc.boolean(), { maxLength: 12 }), (answer, flips) => {
				const question: GradableQuestion = { type: 'short', accepted: [answer], points: 1, correct: [], optionCount: 0 };
				const typed = [...answer]
					.map((ch, i) => {
						const flipped = flips[i] ? (ch === ch.toUpperCase() ? ch.toLowerCase() : ch.toUpperCase()) : ch;
						// Full-width form of ASCII letters and digits, as Chinese input methods type them.
						const wide = flips[i + 1] && /[A-Za-z0-9]/.test(flipped) ? String.fromCharCode(flipped.charCodeAt(0) + 0xfee0) : flipped;
						return flips[i + 2] ? `${wide} ` : wide;
					})
					.join('');
				expect(grade(question, `  ${typed}\u3000`).correct).toBe(true);
				expect(normalizeAnswer(typed)).toBe(normalizeAnswer(answer));
			}),
			{ numRuns: runs }
		);
	});

	it('never accepts an empty short answer, even when an accepted answer normalises to nothing', () => {
		fc.assert(
			fc.property(shortQuestion, fc.stringMatching(/^[\s\u3000.。,，!?]*$/), (question, blank) => {
				expect(grade(question, blank).correct).toBe(false);
			}),
			{ numRuns: runs }
		);
	});

	it('keeps the score between 0 and 100 and never rounds a fail up to a pass', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 0, max: 10_000 }),
				fc.integer({ min: 0, max: 10_000 }),
				fc.integer({ min: 1, max: 100 }),
				(a, b, pass) => {
					const [earned, possible] = a <= b ? [a, b] : [b, a];
					const score = scorePercent(earned, possible);
					expect(Number.isInteger(score)).toBe(true);
					expect(score).toBeGreaterThanOrEqual(0);
					expect(score).toBeLessThanOrEqual(100);
					if (score >= pass) expect(earned * 100).toBeGreaterThanOrEqual(pass * possible);
					if (possible > 0 && earned === possible) expect(score).toBe(100);
				}
			),
			{ numRuns: runs }
		);
	});
});

/** A parsed quiz question with its options, as QuizQuestion. */
const quizQuestion = fc
	.record({
		id: fc.stringMatching(/^q[0-9]{1,3}$/),
		type: fc.constantFrom('single' as const, 'multiple' as const, 'true-false' as const, 'short' as const),
		options: fc.array(fc.boolean(), { minLength: 2, maxLength: 6 })
	})
	.map(({ id, type, options }): QuizQuestion => {
		const marks =
			type === 'short' ? [] : type === 'true-false' ? [true, false] : type === 'single' ? options.map((_, i) => i === 0) : options;
		return {
			id,
			type,
			competency: 'c',
			line: 1,
			stem: 'stem',
			options: marks.map((correct, i) => ({ text: `o${i}`, correct })),
			accepted: type === 'short' ? ['answer'] : [],
			explanation: ''
		};
	});

describe('form values to grading (property-based)', () => {
	it('turns any posted form values into a valid response or a refusal, and grades it without throwing', () => {
		const formValue = fc.oneof(
			fc.string({ maxLength: 8 }),
			fc.integer({ min: -5, max: 2000 }).map(String),
			fc.constantFrom('0', '1', '2', '007', '1e2', ' 1', '-0', '١')
		);
		fc.assert(
			fc.property(
				fc.uniqueArray(quizQuestion, { selector: (q) => q.id, minLength: 1, maxLength: 6 }),
				fc.boolean(),
				fc.array(fc.array(formValue, { maxLength: 5 }), { maxLength: 8 }),
				fc.infiniteStream(fc.double({ min: 0, max: 0.999999, noNaN: true })),
				(questions, shuffle, posted, stream) => {
					const slots = buildSlots(questions, shuffle, () => stream.next().value);
					for (const [position, slot] of slots.entries()) {
						const q = questions.find((x) => x.id === slot.id)!;
						expect([...slot.options].sort((a, b) => a - b)).toEqual(q.options.map((_, i) => i));
						const key = gradable([q], 1)!;
						const response = parseResponse(q, slot, posted[position] ?? []);
						if (response === undefined) continue;
						if (Array.isArray(response)) for (const i of response) expect(i >= 0 && i < q.options.length).toBe(true);
						const result = grade(key, response);
						expect([0, 1]).toContain(result.pointsEarned);
					}
				}
			),
			{ numRuns: runs }
		);
	});

	it('maps shown positions to file order and back without loss', () => {
		fc.assert(
			fc.property(
				quizQuestion,
				fc.infiniteStream(fc.double({ min: 0, max: 0.999999, noNaN: true })),
				fc.array(fc.nat(10), { maxLength: 6 }),
				(q, stream, shown) => {
					const [slot] = buildSlots([q], true, () => stream.next().value);
					const files = toFileIndices(slot, shown);
					if (shown.some((i) => i >= slot.options.length)) expect(files).toBeUndefined();
					else expect(toShownIndices(slot, files!).sort((a, b) => a - b)).toEqual([...new Set(shown)].sort((a, b) => a - b));
				}
			),
			{ numRuns: runs }
		);
	});
});
