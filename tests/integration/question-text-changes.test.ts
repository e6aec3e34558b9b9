// Item analysis pools answers by question id across revisions, and says when a question's text changed
// between the revisions learners answered (so a trainer knows the figures mix two wordings).
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as authoring from '../../src/lib/server/authoring';
import { importShippedLibrary } from '../../src/lib/server/authoring/shipped';
import { library } from '../../src/lib/server/content';
import { readContentFiles } from '../../src/lib/server/content/files';
import { refreshLibrary } from '../../src/lib/server/content/runtime';
import { syncContent } from '../../src/lib/server/content/sync';
import { db, schema } from '../../src/lib/server/db';
import { questionBlocks, questionTextChanges } from '../../src/lib/server/quiz/text-changes';
import { resetDatabase, testDatabase } from '../helpers/db';
import { createDepartment, createUser } from '../helpers/factories';

const files = () => readContentFiles(process.cwd(), 'tests/fixtures/content');
const actor = (u: { id: number; username: string }, roles: string[]) => ({ id: u.id, username: u.username, roles });

beforeAll(async () => {
	await testDatabase();
});
beforeEach(async () => {
	await resetDatabase();
	await importShippedLibrary(db, files());
	await syncContent(db, await refreshLibrary(db, true));
});

/** One submitted answer to `questionId` of fixture-basics, given under `version` in `locale`. */
async function answered(userId: number, questionId: string, version: string, locale: 'zh-CN' | 'en') {
	const [attempt] = await db
		.insert(schema.quizAttempt)
		.values({
			userId,
			courseId: 'fixture-basics',
			attemptNo: 1,
			year: 2026,
			contentVersion: version,
			locale,
			slots: [{ id: questionId, options: [0, 1] }],
			submittedAt: new Date()
		})
		.returning();
	await db.insert(schema.attemptAnswer).values({
		attemptId: attempt.id,
		questionId,
		courseId: 'fixture-basics',
		userId,
		competencyId: 'fx-alpha',
		attemptNo: 1,
		contentVersion: version,
		keyHash: 'k',
		locale,
		pointsPossible: 1,
		pointsEarned: 1,
		correct: true,
		response: [1]
	});
}

describe('question text changes across revisions', () => {
	it('names the questions whose text changed since the revision learners answered, per language', async () => {
		const dept = await createDepartment();
		const trainer = actor(await createUser({ department: dept, roles: ['trainer', 'learner'] }), ['trainer', 'learner']);
		const reviewer = actor(await createUser({ department: dept, roles: ['trainer', 'reviewer', 'learner'] }), [
			'trainer',
			'reviewer',
			'learner'
		]);
		const learner = await createUser({ department: dept, roles: ['learner'] });
		const first = library().courses.find((c) => c.id === 'fixture-basics')!;
		await answered(learner.id, 'fx-q1', first.version, 'en');

		const draft = await authoring.startDraft(trainer, 'fixture-basics');
		const quiz = draft.files['quiz.en.md'];
		const edited = quiz
			.replace('What is the first principle of alpha?', 'Which principle of alpha comes first?')
			// Spacing only: not a change a learner would notice.
			.replace(/^(## fx-q2.*)$/m, '$1   ');
		expect(await authoring.saveFile(trainer, draft.id, 'quiz.en.md', edited)).toEqual([]);
		await authoring.submit(trainer, draft.id);
		await authoring.review(reviewer, draft.id, 'approve', '');

		expect([...(await questionTextChanges('fixture-basics', 'en', edited))]).toEqual([['fx-q1', [1]]]);
		// Nobody answered in Chinese, and the Chinese text did not change.
		expect([...(await questionTextChanges('fixture-basics', 'zh-CN', draft.files['quiz.zh-CN.md']))]).toEqual([]);
		// Before any edit, the answered revision is the current text: nothing to say.
		expect([...(await questionTextChanges('fixture-basics', 'en', quiz))]).toEqual([]);
	});

	it('reads each question block of a quiz file by its heading id, ignoring spacing', () => {
		const blocks = questionBlocks('---\ntitle: T\n---\n\n## a1 · single · x\n\nStem\n\n- [x] A\n\n## b2 · single · x\nOther   text\n');
		expect([...blocks.keys()]).toEqual(['a1', 'b2']);
		expect(blocks.get('a1')).toBe('Stem - [x] A');
		expect(blocks.get('b2')).toBe('Other text');
	});
});
