// Item analysis pools a question's answers by its stable id across revisions. When its text changed
// between the revisions learners answered, the trainer is told so (and in which revisions), because the
// figures then mix answers to different wordings. Compared as written in the quiz file (one block per
// question heading), so the comparison does not depend on how the parser reads each question type.
import { and, eq, inArray } from 'drizzle-orm';
import { db, schema, sql, type Executor } from '../db';

/** Each question's block of `quiz.<locale>.md`: its heading line, then everything until the next `## `. */
export function questionBlocks(quizFile: string): Map<string, string> {
	const blocks = new Map<string, string>();
	for (const block of quizFile.split(/^(?=## )/m)) {
		const id = /^## +([^\s·]+)/.exec(block)?.[1];
		// Whitespace and the heading's spacing are not a change a learner would notice.
		if (id)
			blocks.set(
				id,
				block
					.replace(/^## [^\n]*\n?/, '')
					.replace(/\s+/g, ' ')
					.trim()
			);
	}
	return blocks;
}

/**
 * For each question of `currentQuiz` whose text differs in a revision that learners answered, the
 * numbers of those revisions (ascending). Questions never changed are absent. Two queries.
 */
export async function questionTextChanges(
	courseId: string,
	locale: string,
	currentQuiz: string,
	executor: Executor = db
): Promise<Map<string, number[]>> {
	const answered = await executor
		.selectDistinct({ version: schema.attemptAnswer.contentVersion })
		.from(schema.attemptAnswer)
		.where(and(eq(schema.attemptAnswer.courseId, courseId), eq(schema.attemptAnswer.locale, locale)));
	const changes = new Map<string, number[]>();
	if (!answered.length) return changes;
	const revisions = await executor
		.select({ number: schema.courseRevision.number, quiz: sql<string | null>`${schema.courseRevision.files} ->> ${`quiz.${locale}.md`}` })
		.from(schema.courseRevision)
		.where(
			and(
				eq(schema.courseRevision.courseId, courseId),
				inArray(
					schema.courseRevision.version,
					answered.map((a) => a.version)
				)
			)
		)
		.orderBy(schema.courseRevision.number);
	const current = questionBlocks(currentQuiz);
	for (const revision of revisions) {
		if (!revision.quiz) continue;
		for (const [id, text] of questionBlocks(revision.quiz)) {
			const now = current.get(id);
			if (now === undefined || now === text) continue;
			const list = changes.get(id) ?? [];
			if (!list.includes(revision.number)) list.push(revision.number);
			changes.set(id, list);
		}
	}
	return changes;
}
