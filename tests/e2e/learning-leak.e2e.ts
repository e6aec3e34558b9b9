// Nothing leaks: no explanation, answer key or question text of the real quiz files, and no lesson
// text, is in any client asset of the production build; an unsubmitted quiz page (HTML and its
// __data.json) holds no explanation and no key marker. Also the JavaScript budget of learner pages.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { expect, test } from '@playwright/test';
import { splitFrontmatter } from '../../src/lib/server/content/frontmatter';
import { courseDir, courseSlugs, plain, quizOf, signIn } from './learning-quiz';

const buildDir = path.resolve(process.env.BUILD_DIR ?? 'build-e2e');

/** A course whose frontmatter says `draft: true`. */
function isDraft(slug: string): boolean {
	const file = path.join(courseDir(slug), 'course.zh-CN.md');
	return splitFrontmatter(readFileSync(file, 'utf8'), file).data.draft === true;
}

function walk(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const full = path.join(dir, name);
		return statSync(full).isDirectory() ? walk(full) : [full];
	});
}

/** Text snippets that must stay on the server: every explanation line, stems, right options, lessons. */
function secrets() {
	const explanations: string[] = [];
	const keys: string[] = [];
	const stems: string[] = [];
	const lessons: string[] = [];
	for (const slug of courseSlugs()) {
		for (const locale of ['zh-CN', 'en'] as const) {
			for (const q of quizOf(slug, locale)) {
				for (const line of q.explanation.split('\n')) {
					const text = plain(line);
					if (text.length >= 8) explanations.push(text.slice(0, 16));
				}
				for (const o of q.options) if (o.correct && plain(o.text).length >= 10) keys.push(plain(o.text));
				if (plain(q.stem).length >= 12) stems.push(plain(q.stem).slice(0, 20));
			}
		}
		const dir = courseDir(slug);
		for (const file of readdirSync(dir).filter((f) => /^\d+-.*\.md$/.test(f))) {
			const { body } = splitFrontmatter(readFileSync(path.join(dir, file), 'utf8'), file);
			const paragraph = body.split('\n').find((l) => /^[^#>|!\-*\d\s`<]/.test(l) && plain(l).length > 30);
			if (paragraph) lessons.push(plain(paragraph).slice(0, 24));
		}
	}
	return { explanations, keys, stems, lessons };
}

test.describe('nothing leaks', () => {
	test('client assets of the production build hold no quiz or lesson text', () => {
		const client = path.join(buildDir, 'client');
		const files = walk(client).filter((f) => /\.(js|mjs|json|html|css|txt|map)$/.test(f));
		expect(files.length).toBeGreaterThan(5);
		// Bundlers may write non-ASCII text as \u escapes: undo them before searching.
		const raw = files
			.map((f) => readFileSync(f, 'utf8'))
			.join('\n')
			.replace(/\\u([0-9a-fA-F]{4})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
		const assets = plain(raw);
		const { explanations, keys, stems, lessons } = secrets();
		expect(explanations.length).toBeGreaterThan(150);
		expect(keys.length).toBeGreaterThan(50);
		expect(lessons.length).toBeGreaterThan(40);
		expect(explanations.filter((s) => assets.includes(s))).toEqual([]);
		expect(keys.filter((s) => assets.includes(s))).toEqual([]);
		expect(stems.filter((s) => assets.includes(s))).toEqual([]);
		expect(lessons.filter((s) => assets.includes(s))).toEqual([]);
		// The Markdown sources are never shipped either (a `.md` imported by client code would be).
		expect(raw).not.toMatch(/- \[x\] /);
		expect(files.filter((f) => f.endsWith('.md'))).toEqual([]);
	});

	test('an unsubmitted quiz page holds no explanation, key or draft marker', async ({ browser, baseURL }) => {
		const { explanations } = secrets();
		// Staff accounts with attempts left; each course needs one whose attempt can open.
		const candidates = ['G10003', 'G10004', 'G10005', 'G10006', 'G10008'];
		let checked = 0;
		for (const slug of courseSlugs().filter((s) => !isDraft(s))) {
			for (const user of candidates) {
				const context = await browser.newContext({ baseURL, locale: 'zh-CN' });
				const page = await context.newPage();
				await signIn(page, user);
				await page.goto(`/courses/${slug}/quiz`);
				const start = page.getByRole('button', { name: /开始测验|再次作答/ });
				if (await start.count()) {
					await start.first().click();
					await expect(page.locator('[data-question]').first().or(page.getByText('今年的作答次数已用完'))).toBeVisible();
				}
				if ((await page.locator('[data-question]').count()) === 0) {
					await context.close();
					continue;
				}
				const html = await page.content();
				const data = await (await page.request.get(`/courses/${slug}/quiz/__data.json`)).text();
				expect(data).toContain('"questions"');
				for (const body of [html, data]) {
					const text = plain(body);
					expect(explanations.filter((s) => text.includes(s))).toEqual([]);
					expect(body).not.toMatch(/["{,]\s*"?(correct|explanation|explanationHtml|accepted|keyHash|right)"?\s*:/);
				}
				// Nothing is ticked in advance, and no input or option carries a key marker.
				expect(html).not.toMatch(/<input[^>]*\schecked/);
				expect(html).not.toMatch(/data-(correct|right|key)\b/);
				if (checked === 0) {
					// The detector itself works: once submitted, the same snippets are on the result page.
					await page.getByRole('button', { name: '提交答案' }).click();
					await expect(page.getByRole('alert')).toBeVisible();
					await page.getByRole('button', { name: '提交答案' }).click();
					await expect(page).toHaveURL(/attempt=\d+/);
					const result = plain(await page.content());
					expect(explanations.filter((s) => result.includes(s)).length).toBeGreaterThanOrEqual(quizOf(slug).length);
				}
				await context.close();
				checked++;
				break;
			}
		}
		expect(checked).toBe(courseSlugs().filter((s) => !isDraft(s)).length);
	});

	test('draft courses do not exist for learners', async ({ page }) => {
		const drafts = courseSlugs().filter(isDraft);
		await signIn(page, 'learner');
		const catalogue = await page.goto('/courses');
		const html = (await catalogue?.text()) ?? '';
		for (const slug of drafts) {
			expect(html).not.toContain(`/courses/${slug}`);
			const lesson = readdirSync(courseDir(slug))
				.find((f) => /^\d+-.*\.zh-CN\.md$/.test(f))!
				.replace(/^\d+-/, '')
				.replace('.zh-CN.md', '');
			for (const url of [`/courses/${slug}`, `/courses/${slug}/${lesson}`, `/courses/${slug}/quiz`]) {
				expect((await page.request.get(url)).status(), url).toBe(404);
			}
			expect(
				(
					await page.request.post(`/courses/${slug}/quiz?/start`, {
						headers: { origin: new URL(page.url()).origin, accept: 'text/html' },
						form: {}
					})
				).status()
			).toBe(404);
		}
	});

	test('learner pages ship at most 60 KB of gzipped JavaScript', async ({ page }) => {
		await signIn(page, 'G10007');
		const sizes: Record<string, number> = {};
		for (const url of [
			'/me',
			'/courses',
			'/courses/smart-government-basics',
			'/courses/smart-government-basics/from-e-government',
			'/courses/smart-government-basics/quiz'
		]) {
			const scripts = new Set<string>();
			const listener = (response: { url(): string }) => {
				const u = new URL(response.url());
				if (u.pathname.endsWith('.js')) scripts.add(u.pathname);
			};
			page.on('response', listener);
			await page.goto(url, { waitUntil: 'networkidle' });
			page.off('response', listener);
			let total = 0;
			for (const p of scripts) total += gzipSync(readFileSync(path.join(buildDir, 'client', p))).length;
			sizes[url] = Math.round(total / 1024);
			expect(total, `${url}: ${[...scripts].join(', ')}`).toBeLessThanOrEqual(60 * 1024);
		}
		console.log('gzipped JS per learner page (KB):', JSON.stringify(sizes));
	});
});
