// Shared by the studio integration tests: a small library written inline, and first-attempt answers.
import { db, schema } from '../../src/lib/server/db';
import { keyHash, loadLibrary, type Library, type Locale } from '../../src/lib/server/content/library';
import { syncContent } from '../../src/lib/server/content/sync';

const competencies = `competencies:
${['skill-a', 'skill-b']
	.map(
		(id) => `  - id: ${id}
    name: { zh-CN: 能力${id}, en: Skill ${id} }
    description: { zh-CN: 说明, en: Description }
    levels:
      basic: { zh-CN: [基础], en: [Basic] }
      advanced: { zh-CN: [进阶], en: [Advanced] }`
	)
	.join('\n')}
`;

function courseFile(id: string, title: string, draft: boolean) {
	return `---
id: ${id}
title: ${title}
summary: ${title} summary
hours: 1
competencies: [skill-a]
level: basic
passScore: 60
attemptLimit: 3
shuffle: false
draft: ${draft}
---

Overview of ${title}.
`;
}

const lesson = (title: string) => `---
title: ${title}
minutes: 5
---

## Section

Body of ${title}.
`;

/** Four questions: q1 single (B right), q2 multiple (A, B right), q3 short ("alpha"), q4 true-false (true). */
function quizFile(locale: Locale) {
	const [t, f] = locale === 'en' ? ['True', 'False'] : ['正确', '错误'];
	return `---
title: quiz
---

## q1 · single · skill-a

Stem one ${locale}

- [ ] Option A
- [x] Option B
- [ ] Option C

> Why one.

## q2 · multiple · skill-a

Stem two ${locale}

- [x] Option A
- [x] Option B
- [ ] Option C

> Why two.

## q3 · short · skill-b

Stem three ${locale}

- [x] alpha

> Why three.

## q4 · true-false · skill-b

Stem four ${locale}

- [x] ${t}
- [ ] ${f}

> Why four.
`;
}

/** A library with a published course "stats" and, optionally, a broken draft. */
export function testLibrary(options: { brokenDraft?: boolean } = {}): Library {
	const files: Record<string, string> = { 'content/competencies.yaml': competencies };
	const dir = 'content/courses/01-stats';
	for (const l of ['zh-CN', 'en'] as const) {
		files[`${dir}/course.${l}.md`] = courseFile('stats', l === 'en' ? 'Statistics course' : '统计课程', false);
		files[`${dir}/01-intro.${l}.md`] = lesson(l === 'en' ? 'Intro' : '导言');
		files[`${dir}/quiz.${l}.md`] = quizFile(l);
	}
	if (options.brokenDraft) {
		const d = 'content/courses/02-wip';
		for (const l of ['zh-CN', 'en'] as const) {
			files[`${d}/course.${l}.md`] = courseFile('wip', l === 'en' ? 'Work in progress' : '编写中', true);
			files[`${d}/01-first.${l}.md`] = lesson('First');
		}
		// Only the zh-CN quiz exists, and it names an unknown competency.
		files[`${d}/quiz.zh-CN.md`] = quizFile('zh-CN').replace('## q1 · single · skill-a', '## q1 · single · no-such-skill');
	}
	return loadLibrary(files);
}

export async function syncTestLibrary(options: { brokenDraft?: boolean } = {}): Promise<Library> {
	const library = testLibrary(options);
	await syncContent(db, library);
	return library;
}

/**
 * Records one quiz attempt of `userId` with the given answers: per question id, the points (0/1) and the
 * response (option indices in file order, or typed text).
 */
export async function recordAttempt(
	library: Library,
	userId: number,
	attemptNo: number,
	locale: Locale,
	answers: Record<string, { points: number; response: number[] | string }>,
	opts: { contentVersion?: string; keyHashOverride?: Record<string, string> } = {}
) {
	const course = library.courses.find((c) => c.id === 'stats')!;
	const questions = course.quiz[locale]!;
	const earned = Object.values(answers).reduce((n, a) => n + a.points, 0);
	const [attempt] = await db
		.insert(schema.quizAttempt)
		.values({
			userId,
			courseId: 'stats',
			attemptNo,
			year: 2025,
			contentVersion: opts.contentVersion ?? course.version,
			locale,
			slots: questions.map((q) => ({ id: q.id, options: q.options.map((_, i) => i) })),
			submittedAt: new Date(),
			pointsEarned: earned,
			pointsPossible: Object.keys(answers).length,
			score: Math.round((100 * earned) / Object.keys(answers).length),
			passed: earned / Object.keys(answers).length >= 0.6
		})
		.returning();
	await db.insert(schema.attemptAnswer).values(
		Object.entries(answers).map(([questionId, a]) => {
			const q = questions.find((x) => x.id === questionId)!;
			return {
				attemptId: attempt.id,
				questionId,
				courseId: 'stats',
				userId,
				competencyId: q.competency,
				attemptNo,
				contentVersion: opts.contentVersion ?? course.version,
				keyHash: opts.keyHashOverride?.[questionId] ?? keyHash(q),
				locale,
				pointsPossible: 1,
				pointsEarned: a.points,
				correct: a.points === 1,
				response: a.response
			};
		})
	);
	return attempt;
}
