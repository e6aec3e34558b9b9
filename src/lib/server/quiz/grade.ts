import type { QuestionType } from './parse';

/** Case-, space- and width-insensitive form of a short answer (full-width ＡＢＣ１２ matches ABC12). */
export function normalizeAnswer(text: string): string {
	return text
		.normalize('NFKC')
		.toLowerCase()
		.replace(/[\s\u3000]+/g, '')
		.replace(/^[.。,，;；:：!！?？'"“”‘’`]+|[.。,，;；:：!！?？'"“”‘’`]+$/g, '');
}

export interface GradableQuestion {
	type: QuestionType;
	/** Indices (file order) of the right options. */
	correct: number[];
	/** Short answer: accepted answers of every language. */
	accepted: string[];
	optionCount: number;
	points: number;
}

export type Response = number[] | string;

/**
 * Grades one answer. Multiple choice is all-or-nothing: full points only for exactly the right set,
 * so guessing every option earns nothing.
 */
export function grade(question: GradableQuestion, response: Response | undefined): { correct: boolean; pointsEarned: number } {
	let correct = false;
	if (question.type === 'short') {
		const given = typeof response === 'string' ? normalizeAnswer(response) : '';
		correct = given.length > 0 && question.accepted.some((a) => normalizeAnswer(a) === given);
	} else if (Array.isArray(response)) {
		const chosen = new Set(response.filter((i) => Number.isInteger(i) && i >= 0 && i < question.optionCount));
		const single = question.type !== 'multiple';
		correct = (!single || chosen.size === 1) && chosen.size === question.correct.length && question.correct.every((i) => chosen.has(i));
	}
	return { correct, pointsEarned: correct ? question.points : 0 };
}

/** Percentage, rounded down so 69.9% never shows as a pass at 70. */
export function scorePercent(earned: number, possible: number): number {
	return possible > 0 ? Math.floor((earned * 100) / possible) : 0;
}
