// The content check, run as trainers run it: on the real library (passes) and on broken fixtures, where
// every rule must fire with its file, line and message, and nothing else may.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');

function check(dir: string) {
	const result = spawnSync(tsx, ['scripts/content-check.ts', dir], { cwd: root, encoding: 'utf8' });
	const errors = result.stderr
		.split('\n')
		.filter((line) => /^\S+:\d+: /.test(line))
		.map((line) => (line.startsWith(`${dir}/`) ? line.slice(dir.length + 1) : line));
	return { status: result.status, stdout: result.stdout, stderr: result.stderr, errors };
}

const LIBRARY = 'tests/fixtures/broken-content/library';
const FRAMEWORK = 'tests/fixtures/broken-content/framework';

/** Every error the broken library must produce, as `file:line: message` relative to the fixture. */
const EXPECTED = [
	// 02-course-frontmatter: course frontmatter: every field, missing, wrong kind and unknown
	'courses/02-course-frontmatter/course.zh-CN.md:2: id: use lowercase letters, digits and dashes (smart-government-basics)',
	'courses/02-course-frontmatter/course.zh-CN.md:3: title: must not be empty',
	'courses/02-course-frontmatter/course.zh-CN.md:1: summary: missing (text)',
	'courses/02-course-frontmatter/course.zh-CN.md:4: hours: must be in 0.5 steps (1, 1.5, 2 …)',
	'courses/02-course-frontmatter/course.zh-CN.md:5: competencies: name at least one competency',
	'courses/02-course-frontmatter/course.zh-CN.md:6: level: must be basic, intermediate or advanced',
	'courses/02-course-frontmatter/course.zh-CN.md:7: passScore: must be 1–100',
	'courses/02-course-frontmatter/course.zh-CN.md:8: attemptLimit: must be at least 1',
	'courses/02-course-frontmatter/course.zh-CN.md:9: shuffle: must be true or false',
	'courses/02-course-frontmatter/course.zh-CN.md:10: draft: must be true or false',
	'courses/02-course-frontmatter/course.zh-CN.md:11: unknown frontmatter field "pass_score"',
	'courses/02-course-frontmatter/course.en.md:5: hours: must be a number of credit hours',
	'courses/02-course-frontmatter/course.en.md:6: competencies: must be a list of competency ids, e.g. [online-service]',
	'courses/02-course-frontmatter/course.en.md:8: passScore: must be a whole number',
	// 03-course-parity: shared course fields differ between languages
	'courses/03-course-parity/course.en.md:5: hours differs between zh-CN and en (1 vs 2)',
	'courses/03-course-parity/course.en.md:7: level differs between zh-CN and en ("basic" vs "intermediate")',
	// 04-lesson-frontmatter: lesson frontmatter: missing title, wrong kind, unknown field, no block, bad YAML
	'courses/04-lesson-frontmatter/01-first-lesson.zh-CN.md:1: title: missing (text)',
	'courses/04-lesson-frontmatter/01-first-lesson.zh-CN.md:2: minutes: must be a whole number of minutes',
	'courses/04-lesson-frontmatter/01-first-lesson.zh-CN.md:3: unknown frontmatter field "autor"',
	'courses/04-lesson-frontmatter/02-no-frontmatter.zh-CN.md:1: missing frontmatter (the file must start with a --- block)',
	'courses/04-lesson-frontmatter/03-bad-yaml.en.md:3: frontmatter: Flow sequence in block collection must be sufficiently indented and end with a ]',
	// 05-quiz-frontmatter: quiz frontmatter
	'courses/05-quiz-frontmatter/quiz.zh-CN.md:1: title: missing (text)',
	'courses/05-quiz-frontmatter/quiz.zh-CN.md:2: unknown frontmatter field "titel"',
	'courses/05-quiz-frontmatter/quiz.en.md:1: missing frontmatter (the file must start with a --- block)',
	// 06-unknown-competency: unknown competency on the course and on a question
	'courses/06-unknown-competency/course.zh-CN.md:6: unknown competency "gamma" (not in content/competencies.yaml)',
	'courses/06-unknown-competency/course.en.md:6: unknown competency "gamma" (not in content/competencies.yaml)',
	'courses/06-unknown-competency/quiz.zh-CN.md:5: question q01: unknown competency "gamma"',
	'courses/06-unknown-competency/quiz.en.md:5: question q01: unknown competency "gamma"',
	// 07-missing-translations: missing translation of the course file, a lesson and the quiz
	'courses/07-missing-translations/course.en.md:1: missing en course file',
	'courses/07-missing-translations/02-only-chinese.zh-CN.md:1: missing en translation of lesson only-chinese',
	'courses/07-missing-translations/quiz.en.md:1: missing en quiz',
	// 08-quiz-parity: question ids in one language only; answer key, type and competency differ
	'courses/08-quiz-parity/quiz.en.md:5: question q01: answer key [ x] differs from zh-CN [x ]',
	'courses/08-quiz-parity/quiz.en.md:14: question q02: type single differs from zh-CN (multiple)',
	'courses/08-quiz-parity/quiz.en.md:23: question q03: competency beta differs from zh-CN (alpha)',
	'courses/08-quiz-parity/quiz.zh-CN.md:32: question q04 is missing from the en quiz',
	'courses/08-quiz-parity/quiz.en.md:32: question q05 is missing from the zh-CN quiz',
	// 09-quiz-order: questions in a different order
	'courses/09-quiz-order/quiz.en.md:1: questions are in a different order than in zh-CN',
	// 10-no-right-answer: questions without a right answer; true-false labels
	'courses/10-no-right-answer/quiz.zh-CN.md:5: question q01: a single-choice question needs exactly one "- [x]" (found 0)',
	'courses/10-no-right-answer/quiz.zh-CN.md:14: question q02: no right answer marked "- [x]"',
	'courses/10-no-right-answer/quiz.zh-CN.md:24: question q03: a true-false question has exactly two options (true first) and one "- [x]"',
	'courses/10-no-right-answer/quiz.zh-CN.md:37: question q04: short-answer items are accepted answers and must all be "- [x]"',
	'courses/10-no-right-answer/quiz.zh-CN.md:41: question q05: true-false options read "正确" / "错误", true first',
	'courses/10-no-right-answer/quiz.en.md:5: question q01: a single-choice question needs exactly one "- [x]" (found 0)',
	'courses/10-no-right-answer/quiz.en.md:14: question q02: no right answer marked "- [x]"',
	'courses/10-no-right-answer/quiz.en.md:24: question q03: a true-false question has exactly two options (true first) and one "- [x]"',
	'courses/10-no-right-answer/quiz.en.md:37: question q04: short-answer items are accepted answers and must all be "- [x]"',
	'courses/10-no-right-answer/quiz.en.md:41: question q05: true-false options read "True" / "False", true first',
	// 11-duplicate-question-id: duplicate question ids
	'courses/11-duplicate-question-id/quiz.zh-CN.md:14: duplicate question id q01 (first at line 5)',
	'courses/11-duplicate-question-id/quiz.en.md:14: duplicate question id q01 (first at line 5)',
	// 12-copycat: duplicate course id
	'courses/12-copycat/course.zh-CN.md:2: duplicate course id valid-course (also used by 01-valid-course)',
	// 13-broken-references: links and images that do not resolve
	'courses/13-broken-references/01-first-lesson.zh-CN.md:6: image not found: images/missing.svg (no such file)',
	"courses/13-broken-references/01-first-lesson.zh-CN.md:8: image not found: images/photo.png (images must be SVG files in the course's images/ folder)",
	'courses/13-broken-references/01-first-lesson.zh-CN.md:10: image not allowed: https://example.org/logo.svg (the content security policy blocks images from other sites; save the SVG in images/)',
	'courses/13-broken-references/01-first-lesson.zh-CN.md:12: link target not found: no-such-lesson (no lesson "no-such-lesson" in course broken-references)',
	'courses/13-broken-references/01-first-lesson.zh-CN.md:12: link target not found: 02-second.en.md (link to a lesson by its slug (second), not its file name)',
	'courses/13-broken-references/01-first-lesson.zh-CN.md:12: link target not found: ../no-such-course/intro (no course "no-such-course")',
	'courses/13-broken-references/01-first-lesson.zh-CN.md:18: link target not found: missing-ref (no lesson "missing-ref" in course broken-references)',
	'courses/13-broken-references/course.zh-CN.md:13: link target not found: first-lesson (relative links do not work in the course overview; write /courses/<course>/<target>)',
	'courses/13-broken-references/quiz.en.md:12: link target not found: /courses/broken-references/missing-lesson (no lesson "missing-lesson" in course broken-references)',
	// 14-malformed-quiz: malformed quiz structure
	'courses/14-malformed-quiz/quiz.zh-CN.md:5: text before the first question heading',
	'courses/14-malformed-quiz/quiz.zh-CN.md:7: question q01: missing stem (the question text under the heading)',
	'courses/14-malformed-quiz/quiz.zh-CN.md:14: question q02: missing options (a task list: "- [x] right", "- [ ] wrong")',
	'courses/14-malformed-quiz/quiz.zh-CN.md:20: question q03: missing explanation (a "> …" block quote after the options)',
	'courses/14-malformed-quiz/quiz.zh-CN.md:27: question heading must read "## id · type · competency" (for example "## q01 · single · online-service")',
	'courses/14-malformed-quiz/quiz.zh-CN.md:35: unexpected heading level 3: questions are "## id · type · competency" headings',
	'courses/14-malformed-quiz/quiz.zh-CN.md:39: question q06: unknown type "essay" (use single, multiple, true-false, short)',
	'courses/14-malformed-quiz/quiz.zh-CN.md:49: question q07: option is not a task item; write "- [x] …" or "- [ ] …"',
	'courses/14-malformed-quiz/quiz.zh-CN.md:62: question q08: more than one explanation block quote',
	'courses/14-malformed-quiz/quiz.zh-CN.md:73: question q09: unexpected paragraph (order: stem, options, explanation)',
	'courses/14-malformed-quiz/quiz.en.md:5: text before the first question heading',
	'courses/14-malformed-quiz/quiz.en.md:7: question q01: missing stem (the question text under the heading)',
	'courses/14-malformed-quiz/quiz.en.md:14: question q02: missing options (a task list: "- [x] right", "- [ ] wrong")',
	'courses/14-malformed-quiz/quiz.en.md:20: question q03: missing explanation (a "> …" block quote after the options)',
	'courses/14-malformed-quiz/quiz.en.md:27: question heading must read "## id · type · competency" (for example "## q01 · single · online-service")',
	'courses/14-malformed-quiz/quiz.en.md:35: unexpected heading level 3: questions are "## id · type · competency" headings',
	'courses/14-malformed-quiz/quiz.en.md:39: question q06: unknown type "essay" (use single, multiple, true-false, short)',
	'courses/14-malformed-quiz/quiz.en.md:49: question q07: option is not a task item; write "- [x] …" or "- [ ] …"',
	'courses/14-malformed-quiz/quiz.en.md:62: question q08: more than one explanation block quote',
	'courses/14-malformed-quiz/quiz.en.md:73: question q09: unexpected paragraph (order: stem, options, explanation)',
	// 15-curly-braces: curly braces in a lesson
	'courses/15-curly-braces/01-first-lesson.zh-CN.md:8: curly braces are Svelte syntax in lessons; write &#123; and &#125;',
	// 17-empty-course: no lessons, no questions
	'courses/17-empty-course/course.zh-CN.md:1: course has no lessons',
	'courses/17-empty-course/quiz.zh-CN.md:1: quiz has no questions',
	'courses/17-empty-course/quiz.en.md:1: quiz has no questions',
	// 18-bad-file-names: file names
	'courses/18-bad-file-names/02-course-intro.en.md:1: a lesson slug may not contain "course", "quiz" or "index"',
	'courses/18-bad-file-names/02-course-intro.zh-CN.md:1: a lesson slug may not contain "course", "quiz" or "index"',
	'courses/18-bad-file-names/lesson.en.md:1: lesson file names read NN-slug.zh-CN.md or NN-slug.en.md',
	'courses/18-bad-file-names/quiz.fr.md:1: unknown language suffix (use .zh-CN.md or .en.md)',
	// 16-lesson-compile: lessons that mdsvex/Svelte cannot compile
	'courses/16-lesson-compile/01-first-lesson.zh-CN.md:12: lesson does not compile (mdsvex/Svelte): Expected a valid element or component name. Components must have a valid variable name or dot notation expression',
	'courses/16-lesson-compile/01-first-lesson.en.md:8: lesson does not compile (mdsvex/Svelte): `<div>` was left open'
];

describe('npm run content:check', () => {
	it('passes on the shipped library', () => {
		const result = check('content');
		expect(result.stderr).toBe('');
		expect(result.status).toBe(0);
		expect(result.stdout).toMatch(/content:check: content\/ is valid \(\d+ courses, \d+ lessons, \d+ questions, \d+ competencies\)/);
	}, 60_000);

	describe('on the broken fixture library', () => {
		const result = check(LIBRARY);

		it('exits with code 1 and a count', () => {
			expect(result.status).toBe(1);
			expect(result.stderr).toContain(`content:check: ${EXPECTED.length} error(s) in ${LIBRARY}/`);
		});

		it.each(EXPECTED)('reports %s', (line) => {
			expect(result.errors).toContain(line);
		});

		it('reports nothing else (the valid course and the valid parts of broken ones stay quiet)', () => {
			expect([...result.errors].sort()).toEqual([...EXPECTED].sort());
			expect(result.errors.filter((e) => e.startsWith('courses/01-valid-course/'))).toEqual([]);
		});

		it('proves a rule in every broken course folder', () => {
			const folders = new Set(result.errors.map((e) => e.split('/')[1]));
			for (let n = 2; n <= 18; n++) expect([...folders].some((f) => f.startsWith(`${String(n).padStart(2, '0')}-`))).toBe(true);
		});
	}, 60_000);

	it('reports a broken competency framework and a folder without courses', () => {
		const result = check(FRAMEWORK);
		expect(result.status).toBe(1);
		expect(result.errors).toEqual([
			'competencies.yaml:2: competencies.0.name.en: Invalid input: expected string, received undefined',
			'competencies.yaml:15: competencies.1.id: Invalid string: must match pattern /^[a-z0-9][a-z0-9-]*$/',
			'courses:1: no courses found (expected content/courses/NN-slug/ folders)'
		]);
	}, 60_000);

	it('reports a folder that does not exist', () => {
		const result = check('tests/fixtures/broken-content/no-such-folder');
		expect(result.status).toBe(1);
		expect(result.stderr).toContain('cannot read content folder');
	});
});
