// The quiz: question types and parsing, an attempt's slots (question order, option draws), grading,
// attempts and item analysis. Routes import this module as `quiz`; GIFT import lives in ./gift.
export { parseQuiz, QUESTION_TYPES, type QuestionType, type QuizOption, type QuizQuestion } from './parse';
export { grade, normalizeAnswer, scorePercent, type GradableQuestion, type Response } from './grade';
export {
	attemptHistory,
	quizView,
	attemptQuestions,
	attemptResult,
	openAttempt,
	startAttempt,
	submitAttempt,
	type ShownQuestion,
	type ResultQuestion,
	type StartResult,
	type SubmitResult,
	type SubmittedValues
} from './attempts';
export {
	itemAnalysis,
	flagsOf,
	POPULATIONS,
	MIN_FLAG_ATTEMPTS,
	LANGUAGE_MIN,
	LANGUAGE_GAP,
	HIGH_FACILITY,
	LOW_FACILITY,
	GROUP_SHARE,
	type ItemStats,
	type Flag,
	type Population,
	type PopulationStats
} from './analysis';
