// Property-based tests of the content parsers (fast-check): the quiz parser, frontmatter and the whole
// library loader never throw on arbitrary Markdown, and every error they report names a real line.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitFrontmatter } from '../../src/lib/server/content/frontmatter';
import { loadLibrary, type ContentFiles } from '../../src/lib/server/content/library';
import { parseQuiz, type QuizQuestion } from '../../src/lib/server/quiz/parse';
import { fuzzRuns } from './fuzz-runs';

const runs = fuzzRuns(300);

/** Lines a quiz or lesson file is made of, well-formed or not, so the parser's deep paths are reached. */
const markdownLine = fc.oneof(
	{ weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
	{ weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
	fc.constantFrom(
		'',
		'---',
		'title: A quiz',
		'title: [unclosed',
		'## q1 · single · online-service',
		'## q2 · multiple · data-governance',
		'## q3 · true-false · security',
		'## q4 · short · security',
		'## q1 | single | x',
		'## q5 · essay · x',
		'## not a question',
		'# Title',
		'### deeper',
		'- [x] right',
		'- [ ] wrong',
		'- [X] upper',
		'- plain item',
		'* [x] star',
		'1. [x] ordered',
		'  - [ ] nested',
		'- [x]',
		'- [x] True',
		'- [ ] False',
		'- [x] 正确',
		'- [ ] 错误',
		'> explanation',
		'> > nested',
		'>',
		'```',
		'~~~',
		'<div>',
		'<!-- comment -->',
		'| a | b |',
		'|---|---|',
		'{ braces }',
		'[link](/courses/x/y)',
		'![img](images/a.svg)',
		'[ref]: /courses/none',
		'\uFEFF',
		'\r',
		'\t\t- [x] tab',
		'\\',
		'***'
	)
);
const markdown = fc
	.array(markdownLine, { maxLength: 60 })
	.chain((lines) => fc.constantFrom('\n', '\r\n', '\r').map((eol) => lines.join(eol)));

function lineCount(text: string): number {
	return text.replace(/^\uFEFF/, '').split(/\r\n?|\n/).length;
}

describe('quiz parser (property-based)', () => {
	it('never throws on arbitrary Markdown and reports errors on lines that exist', () => {
		fc.assert(
			fc.property(markdown, fc.constantFrom('quiz.zh-CN.md', 'quiz.en.md', 'quiz.md'), (text, file) => {
				const { questions, errors } = parseQuiz(text, file);
				const lines = lineCount(text);
				for (const e of errors) {
					expect(e.file).toBe(file);
					expect(Number.isInteger(e.line)).toBe(true);
					expect(e.line).toBeGreaterThanOrEqual(1);
					expect(e.line).toBeLessThanOrEqual(lines);
					expect(e.message.length).toBeGreaterThan(0);
				}
				for (const q of questions) expect(q.line).toBeGreaterThanOrEqual(1);
				// Nothing at all is an error too: a file never silently yields an empty quiz.
				expect(questions.length + errors.length).toBeGreaterThan(0);
			}),
			{ numRuns: runs }
		);
	});

	it('never throws on arbitrary text', () => {
		fc.assert(
			fc.property(fc.string({ unit: 'grapheme', maxLength: 400 }), (text) => {
				const { errors } = parseQuiz(text, 'quiz.en.md');
				for (const e of errors) expect(e.line).toBeGreaterThanOrEqual(1);
			}),
			{ numRuns: runs }
		);
	});

	/** A well-formed question and how it must come back from the parser. */
	const wellFormed = fc
		.record({
			type: fc.constantFrom('single' as const, 'multiple' as const, 'true-false' as const, 'short' as const),
			competency: fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/),
			stem: fc.stringMatching(/^[A-Za-z\u4e00-\u4e80][A-Za-z0-9 ,\u4e00-\u4e80]{0,30}[A-Za-z0-9?\u4e00-\u4e80]$/),
			options: fc.uniqueArray(fc.stringMatching(/^[A-Za-z\u4e00-\u4e80][A-Za-z0-9 \u4e00-\u4e80]{0,14}[A-Za-z0-9\u4e00-\u4e80]$/), {
				minLength: 2,
				maxLength: 6
			}),
			marks: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
			explanation: fc.stringMatching(/^[A-Za-z\u4e00-\u4e80][A-Za-z0-9 .\u4e00-\u4e80]{0,40}$/)
		})
		.map(({ type, competency, stem, options, marks, explanation }) => {
			let correct = options.map((_, i) => marks[i]);
			const first = Math.max(0, correct.indexOf(true));
			if (type === 'single') correct = options.map((_, i) => i === first);
			if (type === 'multiple' && !correct.includes(true)) correct[0] = true;
			const opts = type === 'true-false' ? ['True', 'False'] : options;
			if (type === 'true-false') correct = [marks[0], !marks[0]];
			if (type === 'short') correct = opts.map(() => true);
			return { type, competency, stem: stem.trim(), options: opts, correct, explanation: explanation.trim() };
		});

	it('reads back every well-formed question exactly as written', () => {
		fc.assert(
			fc.property(fc.array(wellFormed, { minLength: 1, maxLength: 8 }), (questions) => {
				const text =
					'---\ntitle: Quiz\n---\n\n' +
					questions
						.map(
							(q, i) =>
								`## q${i + 1} · ${q.type} · ${q.competency}\n\n${q.stem}\n\n${q.options.map((o, j) => `- [${q.correct[j] ? 'x' : ' '}] ${o}`).join('\n')}\n\n> ${q.explanation}\n`
						)
						.join('\n');
				const { questions: parsed, errors } = parseQuiz(text, 'quiz.en.md');
				expect(errors).toEqual([]);
				expect(parsed.map((q: QuizQuestion) => q.id)).toEqual(questions.map((_, i) => `q${i + 1}`));
				for (const [i, q] of questions.entries()) {
					const p = parsed[i];
					expect(p.type).toBe(q.type);
					expect(p.competency).toBe(q.competency);
					expect(p.stem).toBe(q.stem);
					expect(p.explanation).toBe(q.explanation);
					if (q.type === 'short') expect(p.accepted).toEqual(q.options);
					else expect(p.options).toEqual(q.options.map((text, j) => ({ text, correct: q.correct[j] })));
				}
			}),
			{ numRuns: runs }
		);
	});
});

describe('frontmatter (property-based)', () => {
	it('never throws and reports lines within the file', () => {
		fc.assert(
			fc.property(
				fc.array(
					fc.oneof(
						markdownLine,
						fc.constantFrom(
							'id: x',
							'hours: 1.5',
							'a: [1, 2',
							'b: "open',
							': :',
							'- - -',
							'key: &anchor',
							'*alias',
							'c: *anchor',
							'***',
							'!!binary x',
							'? complex',
							'%YAML 1.2'
						)
					),
					{ maxLength: 30 }
				),
				(lines) => {
					const text = ['---', ...lines, '---', 'body'].join('\n');
					const result = splitFrontmatter(text, 'course.en.md');
					for (const e of result.errors) {
						expect(e.line).toBeGreaterThanOrEqual(1);
						expect(e.line).toBeLessThanOrEqual(lineCount(text));
					}
					expect(result.bodyLine).toBeGreaterThanOrEqual(1);
				}
			),
			{ numRuns: runs }
		);
	});
});

describe('found by fuzzing', () => {
	it('reports an alias without its anchor in frontmatter ("***") instead of throwing', () => {
		const result = splitFrontmatter('---\ntitle: T\n***\n---\nbody', 'course.en.md');
		expect(result.errors).toHaveLength(1);
		expect(result.errors[0].line).toBe(3);
		expect(result.data).toEqual({});
		const library = loadLibrary({ 'content/courses/01-alpha/course.zh-CN.md': '---\n***\n---\n' });
		expect(
			library.errors.some((e) => e.file === 'content/courses/01-alpha/course.zh-CN.md' && e.line === 2 && /alias/i.test(e.message))
		).toBe(true);
	});
});

describe('library loader (property-based)', () => {
	const competencies = `competencies:
  - id: online-service
    name: { zh-CN: 在线服务, en: Online service }
    description: { zh-CN: 描述, en: Description }
    levels:
      basic: { zh-CN: [一], en: [one] }
      advanced: { zh-CN: [二], en: [two] }
`;
	const frontmatter = fc.oneof(
		fc.constant(
			'id: fuzz-course\ntitle: T\nsummary: S\nhours: 1\ncompetencies: [online-service]\nlevel: basic\npassScore: 60\nattemptLimit: 3\nshuffle: false'
		),
		fc.constant('title: Lesson\nminutes: 5'),
		fc.constant('title: Quiz'),
		fc.array(markdownLine, { maxLength: 8 }).map((l) => l.join('\n'))
	);
	const file = fc.tuple(fc.boolean(), frontmatter, markdown).map(([hasFm, fm, body]) => (hasFm ? `---\n${fm}\n---\n${body}` : body));
	const name = fc.constantFrom(
		'course.zh-CN.md',
		'course.en.md',
		'quiz.zh-CN.md',
		'quiz.en.md',
		'01-intro.zh-CN.md',
		'01-intro.en.md',
		'02-more.en.md',
		'03-course.en.md',
		'1-x.fr.md',
		'quiz.de.md',
		'images/a.svg',
		'notes.md'
	);

	it('never throws on arbitrary course folders and reports every error on a line of a file it was given', () => {
		fc.assert(
			fc.property(
				fc.dictionary(
					fc.tuple(fc.constantFrom('01-alpha', '02-beta', '02-alpha'), name).map(([dir, n]) => `content/courses/${dir}/${n}`),
					file,
					{ maxKeys: 10 }
				),
				fc.boolean(),
				(courseFiles, withFramework) => {
					const files: ContentFiles = { ...courseFiles };
					if (withFramework) files['content/competencies.yaml'] = competencies;
					const library = loadLibrary(files);
					for (const e of library.errors) {
						expect(e.line).toBeGreaterThanOrEqual(1);
						expect(e.message.length).toBeGreaterThan(0);
						// Errors about a missing file name the file that should exist; the rest a line in a real one.
						if (files[e.file] !== undefined) expect(e.line).toBeLessThanOrEqual(lineCount(files[e.file]));
						else expect(e.line).toBe(1);
					}
				}
			),
			{ numRuns: runs }
		);
	});
});
