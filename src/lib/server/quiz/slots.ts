// Question order and option permutation of one attempt, and the mapping between what the learner
// saw and the quiz file. Pure functions: the attempt stores the slots, grading maps back through them.
import type { QuestionSlot } from '../db/schema';
import type { GradableQuestion, Response } from './grade';
import type { QuizQuestion } from './parse';

/** A source of numbers in [0, 1); the server uses crypto, tests pass a fixed sequence. */
export type Rand = () => number;

export function cryptoRand(): number {
	return crypto.getRandomValues(new Uint32Array(1))[0] / 2 ** 32;
}

function shuffled<T>(items: T[], rand: Rand): T[] {
	const out = [...items];
	for (let i = out.length - 1; i > 0; i--) {
		const j = Math.floor(rand() * (i + 1));
		[out[i], out[j]] = [out[j], out[i]];
	}
	return out;
}

/**
 * The slots of a new attempt. With `shuffle`, questions and the options of choice questions are
 * shuffled; true/false keeps "true" first, as people expect to read it.
 */
export function buildSlots(questions: QuizQuestion[], shuffle: boolean, rand: Rand = cryptoRand): QuestionSlot[] {
	const slots = questions.map((q) => {
		const order = q.options.map((_, i) => i);
		return { id: q.id, options: shuffle && q.type !== 'true-false' ? shuffled(order, rand) : order };
	});
	return shuffle ? shuffled(slots, rand) : slots;
}

/**
 * Maps the option positions a learner ticked (as shown) back to file order, sorted.
 * Undefined when a position does not exist: the form was tampered with.
 */
export function toFileIndices(slot: QuestionSlot, shown: number[]): number[] | undefined {
	const out = new Set<number>();
	for (const position of shown) {
		if (!Number.isInteger(position) || position < 0 || position >= slot.options.length) return undefined;
		out.add(slot.options[position]);
	}
	return [...out].sort((a, b) => a - b);
}

/** File-order indices to the positions shown in this attempt. */
export function toShownIndices(slot: QuestionSlot, fileIndices: number[]): number[] {
	return fileIndices.map((i) => slot.options.indexOf(i)).filter((i) => i >= 0);
}

/**
 * What grading needs of a question: the key from one language (keys are equal in both, the
 * content check sees to it) and the accepted short answers of every language.
 */
export function gradable(versions: (QuizQuestion | undefined)[], points: number): GradableQuestion | undefined {
	const base = versions.find((v) => v);
	if (!base) return undefined;
	return {
		type: base.type,
		correct: base.options.flatMap((o, i) => (o.correct ? [i] : [])),
		accepted: versions.flatMap((v) => v?.accepted ?? []),
		optionCount: base.options.length,
		points
	};
}

/** A raw form value for one question turned into a response in file order (undefined: invalid). */
export function parseResponse(question: Pick<QuizQuestion, 'type'>, slot: QuestionSlot, values: string[]): Response | undefined {
	if (question.type === 'short') return (values[0] ?? '').trim().slice(0, 500);
	const shown: number[] = [];
	for (const v of values) {
		if (!/^\d{1,3}$/.test(v)) return undefined;
		shown.push(Number(v));
	}
	if (question.type !== 'multiple' && shown.length > 1) return undefined;
	return toFileIndices(slot, shown);
}
