import { eq } from 'drizzle-orm';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { db, schema } from '../../src/lib/server/db';
import { itemAnalysis } from '../../src/lib/server/quiz/analysis';
import { resetDatabase, testDatabase } from '../helpers/db';
import { createDepartment, createUser } from '../helpers/factories';
import { recordAttempt, syncTestLibrary } from './studio-helpers';

beforeAll(async () => {
	await testDatabase();
});
beforeEach(resetDatabase);

// Responses: q1 single (options A, B*, C), q2 multiple (A*, B*, C), q3 short ("alpha"), q4 true-false (True*, False).
const R = {
	q1: { right: { points: 1, response: [1] } },
	q2: { right: { points: 1, response: [0, 1] } },
	q4: { right: { points: 1, response: [0] }, wrong: { points: 0, response: [1] } }
};

/**
 * The hand-computed example. Eight learners, first attempts, 1 point per question:
 *
 *   learner lang  q1        q2          q3         q4       total  pooled rank
 *   L1      zh    B  1      A,B  1      alpha  1   F  0     3      1  upper
 *   L2      zh    B  1      A,B  1      Alpha  1   F  0     3      2  upper
 *   L3      zh    B  1      A,B  1      beta   0   F  0     2      3
 *   L4      zh    B  1      A    0      alpha  1   F  0     2      4
 *   L5      en    B  1      A,C  0      beta   0   T  1     2      5
 *   L6      en    A  0      A,B  1      gamma  0   T  1     2      6
 *   L7      en    C  0      C    0      beta   0   T  1     1      7  lower
 *   L8      en    A  0      (none) 0    ""     0   T  1     1      8  lower
 *
 * 27% of 8 = 2.16 → 2 learners in each group: upper {L1, L2}, lower {L7, L8} (no ties at the cuts).
 * L7 also has a second attempt, all right: it must not count. L5–L8 answered an older content version
 * with the same keys: it pools.
 */
async function seedExample() {
	const library = await syncTestLibrary();
	const dept = await createDepartment();
	const L = [];
	for (let i = 1; i <= 8; i++) L.push(await createUser({ username: `L${i}`, department: dept, password: null }));
	const q3 = (text: string, ok: boolean) => ({ points: ok ? 1 : 0, response: text });
	const rows: [number, 'zh-CN' | 'en', Record<string, { points: number; response: number[] | string }>][] = [
		[0, 'zh-CN', { q1: R.q1.right, q2: R.q2.right, q3: q3('alpha', true), q4: R.q4.wrong }],
		[1, 'zh-CN', { q1: R.q1.right, q2: R.q2.right, q3: q3('Alpha ', true), q4: R.q4.wrong }],
		[2, 'zh-CN', { q1: R.q1.right, q2: R.q2.right, q3: q3('beta', false), q4: R.q4.wrong }],
		[3, 'zh-CN', { q1: R.q1.right, q2: { points: 0, response: [0] }, q3: q3('alpha', true), q4: R.q4.wrong }],
		[4, 'en', { q1: R.q1.right, q2: { points: 0, response: [0, 2] }, q3: q3('beta', false), q4: R.q4.right }],
		[5, 'en', { q1: { points: 0, response: [0] }, q2: R.q2.right, q3: q3('gamma', false), q4: R.q4.right }],
		[6, 'en', { q1: { points: 0, response: [2] }, q2: { points: 0, response: [2] }, q3: q3('beta', false), q4: R.q4.right }],
		[7, 'en', { q1: { points: 0, response: [0] }, q2: { points: 0, response: [] }, q3: q3('', false), q4: R.q4.right }]
	];
	for (const [i, locale, answers] of rows)
		await recordAttempt(library, L[i].id, 1, locale, answers, { contentVersion: i >= 4 ? 'older-version' : undefined });
	await recordAttempt(library, L[6].id, 2, 'en', { q1: R.q1.right, q2: R.q2.right, q3: q3('alpha', true), q4: R.q4.right });
	return library.courses.find((c) => c.id === 'stats')!;
}

describe('item analysis', () => {
	it('matches the hand-computed facility, discrimination and option counts', async () => {
		const course = await seedExample();
		const items = await itemAnalysis(course, 'en');
		const [q1, q2, q3, q4] = items;
		expect(items.map((i) => i.question.id)).toEqual(['q1', 'q2', 'q3', 'q4']);
		expect(q1.question.stem).toBe('Stem one en');

		// q1: right by L1–L5 → 5/8 = 0.625. Upper {L1, L2} 2/2 = 1; lower {L7, L8} 0/2 = 0 → D = 1.
		expect(q1.stats.all).toMatchObject({ attempts: 8, earned: 5, possible: 8, facility: 0.625, discrimination: 1 });
		// Choices: A by L6, L8 = 2; B by L1–L5 = 5; C by L7 = 1 (L7's second attempt is ignored).
		expect(q1.stats.all.optionCounts).toEqual([2, 5, 1]);
		// zh-CN: L1–L4 all B → 4/4; en: L5 only → 1/4 = 0.25; en choices A 2 (L6, L8), B 1 (L5), C 1 (L7).
		expect(q1.stats['zh-CN']).toMatchObject({ attempts: 4, facility: 1 });
		expect(q1.stats.en).toMatchObject({ attempts: 4, facility: 0.25 });
		expect(q1.stats.en.optionCounts).toEqual([2, 1, 1]);
		// Per language, 27% of 4 = 1.08 → 1 per group. en totals: L5 2, L6 2, L7 1, L8 1; ties go to the
		// earlier account, so upper = L5 (q1 right), lower = L8 (q1 wrong) → D = 1 − 0 = 1.
		expect(q1.stats.en.discrimination).toBe(1);

		// q2: right by L1, L2, L3, L6 → 4/8 = 0.5; upper 2/2, lower 0/2 → D = 1.
		expect(q2.stats.all).toMatchObject({ attempts: 8, facility: 0.5, discrimination: 1 });
		// A: L1, L2, L3, L6 (right) + L4 [A] + L5 [A, C] = 6; B: L1, L2, L3, L6 = 4; C: L5 + L7 = 2. L8 chose nothing.
		expect(q2.stats.all.optionCounts).toEqual([6, 4, 2]);

		// q3 (short): right by L1, L2, L4 → 3/8 = 0.375; upper 2/2, lower 0/2 → D = 1.
		expect(q3.stats.all).toMatchObject({ attempts: 8, facility: 0.375, discrimination: 1 });
		// Typed answers, trimmed and lower-cased: alpha 3 (accepted), beta 3, "" 1, gamma 1.
		expect(q3.stats.all.typed).toEqual([
			{ text: 'alpha', count: 3, correct: true },
			{ text: 'beta', count: 3, correct: false },
			{ text: '', count: 1, correct: false },
			{ text: 'gamma', count: 1, correct: false }
		]);

		// q4: right only by L5–L8 → 4/8 = 0.5; upper {L1, L2} 0/2 = 0, lower {L7, L8} 2/2 = 1 → D = −1.
		expect(q4.stats.all).toMatchObject({ attempts: 8, facility: 0.5, discrimination: -1 });
		expect(q4.stats.all.optionCounts).toEqual([4, 4]);
		expect(q4.flags).toEqual(['negative-discrimination']);
		// q1 zh-CN 1.00 vs en 0.25 is a 75-point gap, but with 4 attempts each (< 10) it is not flagged.
		expect(q1.flags).toEqual([]);
	});

	it('starts a question afresh when its answer key changes, and keeps the others', async () => {
		const course = await seedExample();
		await db.update(schema.question).set({ keyHash: 'a-new-key' }).where(eq(schema.question.id, 'q1'));
		const [q1, q2] = await itemAnalysis(course, 'zh-CN');
		expect(q1.stats.all).toMatchObject({ attempts: 0, facility: null, discrimination: null });
		expect(q1.stats.all.optionCounts).toEqual([0, 0, 0]);
		// Ranking still uses whole first attempts, so q2 is unchanged.
		expect(q2.stats.all).toMatchObject({ attempts: 8, facility: 0.5, discrimination: 1 });
		expect(q2.question.stem).toBe('Stem two zh-CN');
	});

	it('flags too easy, too hard and a language gap', async () => {
		const library = await syncTestLibrary();
		const course = library.courses.find((c) => c.id === 'stats')!;
		const dept = await createDepartment();
		// 10 zh-CN learners get q1 right, 10 en learners get it wrong: zh 100%, en 0%, a 100-point gap.
		// Everyone gets q2 right (100% > 95%) and q3 wrong (0% < 20%).
		for (let i = 0; i < 20; i++) {
			const user = await createUser({ department: dept, password: null });
			const zh = i < 10;
			await recordAttempt(library, user.id, 1, zh ? 'zh-CN' : 'en', {
				q1: zh ? R.q1.right : { points: 0, response: [0] },
				q2: R.q2.right,
				q3: { points: 0, response: 'nope' },
				q4: i % 2 ? R.q4.right : R.q4.wrong
			});
		}
		const [q1, q2, q3] = await itemAnalysis(course, 'en');
		expect(q1.stats['zh-CN'].facility).toBe(1);
		expect(q1.stats.en.facility).toBe(0);
		expect(q1.flags).toContain('language-gap');
		expect(q2.flags).toContain('too-easy');
		expect(q3.flags).toContain('too-hard');
		expect(q2.flags).not.toContain('language-gap');
	});

	it('shows empty statistics for a course nobody has taken', async () => {
		const library = await syncTestLibrary();
		const items = await itemAnalysis(library.courses[0], 'en');
		expect(items).toHaveLength(4);
		expect(items.every((i) => i.stats.all.attempts === 0 && i.flags.length === 0)).toBe(true);
	});
});
