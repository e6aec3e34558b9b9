import { describe, expect, it } from 'vitest';
import type { QuizQuestion } from './parse';
import { buildSlots, gradable, parseResponse, toFileIndices, toShownIndices } from './slots';

const q = (id: string, type: QuizQuestion['type'], marks: boolean[], accepted: string[] = []): QuizQuestion => ({
	id,
	type,
	competency: 'c',
	line: 1,
	stem: 'stem',
	options: marks.map((correct, i) => ({ text: `option ${i}`, correct })),
	accepted,
	explanation: 'why'
});

/** A repeatable sequence of numbers in [0, 1). */
function sequence(seed: number) {
	let s = seed;
	return () => {
		s = (s * 9301 + 49297) % 233280;
		return s / 233280;
	};
}

describe('attempt slots', () => {
	const questions = [
		q('a', 'single', [false, true, false, false]),
		q('b', 'multiple', [true, false, true]),
		q('c', 'true-false', [true, false]),
		q('d', 'short', [], ['x'])
	];

	it('keeps the file order when the course does not shuffle', () => {
		expect(buildSlots(questions, false)).toEqual([
			{ id: 'a', options: [0, 1, 2, 3] },
			{ id: 'b', options: [0, 1, 2] },
			{ id: 'c', options: [0, 1] },
			{ id: 'd', options: [] }
		]);
	});

	it('shuffles questions and choice options into permutations, keeping true/false in order', () => {
		const seen = new Set<string>();
		for (let seed = 1; seed < 40; seed++) {
			const slots = buildSlots(questions, true, sequence(seed));
			expect(slots.map((s) => s.id).sort()).toEqual(['a', 'b', 'c', 'd']);
			const a = slots.find((s) => s.id === 'a')!;
			expect([...a.options].sort()).toEqual([0, 1, 2, 3]);
			expect(slots.find((s) => s.id === 'c')!.options).toEqual([0, 1]);
			seen.add(a.options.join());
		}
		expect(seen.size).toBeGreaterThan(5);
	});

	it('maps shown positions to file order and back', () => {
		const slot = { id: 'a', options: [2, 0, 3, 1] };
		expect(toFileIndices(slot, [0, 3])).toEqual([1, 2]);
		expect(toShownIndices(slot, [1, 2])).toEqual([3, 0]);
		expect(toFileIndices(slot, [4])).toBeUndefined();
		expect(toFileIndices(slot, [-1])).toBeUndefined();
		expect(toFileIndices(slot, [1, 1])).toEqual([0]);
	});

	it('parses form values per question type and rejects tampering', () => {
		const slot = { id: 'a', options: [2, 0, 3, 1] };
		expect(parseResponse({ type: 'single' }, slot, ['1'])).toEqual([0]);
		expect(parseResponse({ type: 'single' }, slot, ['1', '2'])).toBeUndefined();
		expect(parseResponse({ type: 'multiple' }, slot, ['1', '2'])).toEqual([0, 3]);
		expect(parseResponse({ type: 'multiple' }, slot, ['x'])).toBeUndefined();
		expect(parseResponse({ type: 'single' }, slot, [])).toEqual([]);
		expect(parseResponse({ type: 'short' }, { id: 'd', options: [] }, ['  ABC  '])).toBe('ABC');
		expect(parseResponse({ type: 'short' }, { id: 'd', options: [] }, [])).toBe('');
	});

	it('builds a gradable key with the accepted answers of every language', () => {
		const zh = q('d', 'short', [], ['五']);
		const en = q('d', 'short', [], ['five']);
		expect(gradable([zh, en], 1)).toEqual({ type: 'short', correct: [], accepted: ['五', 'five'], optionCount: 0, points: 1 });
		expect(gradable([undefined, questions[1]], 2)).toMatchObject({ correct: [0, 2], optionCount: 3, points: 2 });
		expect(gradable([undefined, undefined], 1)).toBeUndefined();
	});
});
