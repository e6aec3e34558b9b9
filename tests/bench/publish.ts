// Publishing, measured as a reviewer and a learner live it: a course of 5 lessons and 30 questions (made
// from the shipped course 01, so it passes the check whatever the format) is imported for review, the
// reviewer approves it on app server A, and a learner on app server B polls its lesson until the new text
// is there. Each round edits the lesson again, so every publish is a new revision. Figures: the approve
// request (publish) and the time until B serves it (visible), each worst of the rounds.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Sql } from 'postgres';
import { createSessions, learners, userIds } from './fixtures';
import type { Row } from './report';
import type { AppServer } from './server';

const COURSE = 'bench-publish';
const LESSONS = 5;
const QUESTIONS = 30;

/** content/courses/01-… copied as `95-bench-publish` with a fifth lesson and the quiz grown to 30 questions. */
function benchCourse(round: number): string {
	const root = mkdtempSync(path.join(os.tmpdir(), 'govlearn-bench-publish-'));
	const dir = path.join(root, `95-${COURSE}`);
	const source = path.resolve('content/courses/01-smart-government-basics');
	cpSync(source, dir, { recursive: true });
	const marker = (locale: string) => `\n\nbench-publish round ${round} (${locale})\n`;
	for (const locale of ['zh-CN', 'en']) {
		const course = path.join(dir, `course.${locale}.md`);
		writeFileSync(course, readFileSync(course, 'utf8').replace(/^id: .*$/m, `id: ${COURSE}`));
		const lessons = readdirSync(dir).filter((n) => /^\d\d-.*\.md$/.test(n) && n.endsWith(`.${locale}.md`));
		for (let n = lessons.length + 1; n <= LESSONS; n++)
			writeFileSync(
				path.join(dir, lessons[0].replace(/^\d\d-[^.]+/, `${String(n).padStart(2, '0')}-extra-${n}`)),
				readFileSync(path.join(dir, lessons[0]), 'utf8')
			);
		const first = path.join(dir, lessons[0]);
		writeFileSync(first, readFileSync(first, 'utf8') + marker(locale));
		const quiz = path.join(dir, `quiz.${locale}.md`);
		const text = readFileSync(quiz, 'utf8');
		const start = text.search(/^## /m);
		const head = text.slice(0, start);
		const blocks = text
			.slice(start)
			.split(/^(?=## )/m)
			.filter((b) => b.trim());
		const grown: string[] = [];
		for (let i = 0; grown.length < QUESTIONS; i++) {
			const block = blocks[i % blocks.length];
			grown.push(block.replace(/^## ([^\s·]+)/, `## bench-q${String(grown.length + 1).padStart(2, '0')}`));
		}
		writeFileSync(quiz, head + grown.join(''));
	}
	return root;
}

export async function runPublish(options: {
	sql: Sql;
	databaseUrl: string;
	a: AppServer;
	b: AppServer;
	rounds: number;
	log: (line: string) => void;
}): Promise<Row[]> {
	const { sql, a, b, log } = options;
	const [reviewerCookie] = await createSessions(sql, await userIds(sql, ['reviewer']));
	const [learner] = await learners(sql, 1, 7);
	const [learnerCookie] = await createSessions(sql, [learner.id]);
	const lesson = `/courses/${COURSE}/from-e-government`;
	const publish: number[] = [];
	const visible: number[] = [];
	for (let round = 1; round <= options.rounds; round++) {
		const root = benchCourse(round);
		try {
			execFileSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'scripts/content-import.ts', root], {
				env: { ...process.env, DATABASE_URL: options.databaseUrl, GOVLEARN_QUIET_LOG: '1' },
				stdio: 'pipe'
			});
		} finally {
			rmSync(root, { recursive: true, force: true });
		}
		const [rev] = await sql<{ id: number; state: string }[]>`
			select id, state from course_revision where course_id = ${COURSE} order by number desc limit 1`;
		if (rev?.state !== 'in_review') throw new Error(`the imported bench course is ${rev?.state ?? 'missing'}, not in review`);
		const started = performance.now();
		const res = await fetch(`${a.url}/studio/edit/${COURSE}?/approve`, {
			method: 'POST',
			redirect: 'manual',
			headers: { cookie: reviewerCookie, 'content-type': 'application/x-www-form-urlencoded', origin: a.url, accept: 'text/html' },
			body: new URLSearchParams({ revision: String(rev.id), comment: '' }).toString()
		});
		await res.arrayBuffer();
		const published = performance.now();
		const [state] = await sql<{ state: string }[]>`select state from course_revision where id = ${rev.id}`;
		if (state?.state !== 'published') throw new Error(`approve answered ${res.status}; the revision is ${state?.state}`);
		publish.push(published - started);
		const marker = `bench-publish round ${round} (zh-CN)`;
		let seen: number | undefined;
		while (seen === undefined && performance.now() - published < 30_000) {
			const page = await fetch(b.url + lesson, { headers: { cookie: learnerCookie, 'accept-language': 'zh-CN' } });
			if (page.ok && (await page.text()).includes(marker)) seen = performance.now() - published;
		}
		if (seen === undefined) throw new Error(`round ${round}: server B never served the published lesson`);
		visible.push(seen);
		log(`publish round ${round}: approve ${publish.at(-1)!.toFixed(0)} ms, visible on B after ${seen.toFixed(0)} ms`);
	}
	const worst = (xs: number[]) => Math.round(Math.max(...xs));
	const median = (xs: number[]) => Math.round([...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]);
	return [
		{
			name: `publish a course (${LESSONS} lessons, ${QUESTIONS} questions) on server A, worst of ${options.rounds}`,
			note: `worst ${worst(publish)} ms, median ${median(publish)} ms`,
			target: 'publish ≤ 1 s',
			met: worst(publish) <= 1000
		},
		{
			name: `…visible to a learner on server B, worst of ${options.rounds}`,
			note: `worst ${worst(visible)} ms, median ${median(visible)} ms`,
			target: 'visible ≤ 1 s after',
			met: worst(visible) <= 1000
		}
	];
}
