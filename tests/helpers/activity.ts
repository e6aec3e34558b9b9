import { db, schema } from '../../src/lib/server/db';
import type { Random } from '../../seeds/random';

/**
 * A submitted quiz attempt with one to four answers worth 0, 1 or 2 of 2 points, each on a random
 * competency: the activity the rollup tests generate before comparing the rollups with a recomputation.
 * `answerGapMs` spaces the answers' times (0: all at the attempt's time).
 */
export async function insertRandomAttempt(
	r: Pick<Random, 'int' | 'pick'>,
	o: { userId: number; courseId: string; attemptNo: number; at: Date; competencies: readonly string[]; answerGapMs?: number }
): Promise<void> {
	const [attempt] = await db
		.insert(schema.quizAttempt)
		.values({
			userId: o.userId,
			courseId: o.courseId,
			attemptNo: o.attemptNo,
			year: o.at.getUTCFullYear(),
			contentVersion: 'v1',
			locale: 'en',
			slots: [],
			startedAt: o.at,
			submittedAt: o.at
		})
		.returning();
	await db.insert(schema.attemptAnswer).values(
		Array.from({ length: r.int(1, 4) }, (_, i) => {
			const earned = r.int(0, 2);
			return {
				attemptId: attempt.id,
				questionId: `q${i}`,
				courseId: o.courseId,
				userId: o.userId,
				competencyId: r.pick(o.competencies),
				attemptNo: o.attemptNo,
				contentVersion: 'v1',
				keyHash: 'k',
				locale: 'en',
				pointsPossible: 2,
				pointsEarned: earned,
				correct: earned === 2,
				response: [1],
				answeredAt: new Date(o.at.getTime() + i * (o.answerGapMs ?? 0))
			};
		})
	);
}
