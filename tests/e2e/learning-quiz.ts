// Shared by the learning end-to-end tests: the real quiz files, read the way a trainer wrote them,
// so a test can answer the shown (shuffled) options by their text.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, type Page } from '@playwright/test';
import { parseQuiz, type QuizQuestion } from '../../src/lib/server/quiz/parse';

const COURSES = path.resolve('content/courses');

export function courseDir(slug: string): string {
	const dir = readdirSync(COURSES).find((d) => d.replace(/^\d+-/, '') === slug);
	if (!dir) throw new Error(`no course folder for ${slug}`);
	return path.join(COURSES, dir);
}

export function quizOf(slug: string, locale: 'zh-CN' | 'en' = 'zh-CN'): QuizQuestion[] {
	const file = path.join(courseDir(slug), `quiz.${locale}.md`);
	return parseQuiz(readFileSync(file, 'utf8'), file).questions;
}

/** Every course folder's slug. */
export function courseSlugs(): string[] {
	return readdirSync(COURSES)
		.filter((d) => /^\d+-/.test(d))
		.map((d) => d.replace(/^\d+-/, ''));
}

/** Markdown or rendered text reduced to its letters and digits, so the two compare. */
export function plain(text: string): string {
	return text
		.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
		.replace(/[*_`>#]/g, '')
		.normalize('NFKC')
		.replace(/[\s\p{P}\p{S}]/gu, '');
}

/** Answers every question of the open attempt on the page; `right: false` answers the first one wrong. */
export async function answerQuiz(page: Page, slug: string, opts: { wrongFirst?: boolean } = {}): Promise<number> {
	const questions = new Map(quizOf(slug).map((q) => [q.id, q]));
	const fieldsets = page.locator('[data-question]');
	const count = await fieldsets.count();
	expect(count).toBe(questions.size);
	for (let i = 0; i < count; i++) {
		const box = fieldsets.nth(i);
		const q = questions.get((await box.getAttribute('data-question')) ?? '');
		if (!q) throw new Error('unknown question on the page');
		const wrong = opts.wrongFirst && i === 0;
		if (q.type === 'short') {
			await box.locator('input[type="text"]').fill(wrong ? '不知道' : q.accepted[0]);
			continue;
		}
		const labels = box.locator('label');
		const n = await labels.count();
		expect(n).toBe(q.options.length);
		for (let j = 0; j < n; j++) {
			const text = plain((await labels.nth(j).innerText()) ?? '');
			const option = q.options.find((o) => plain(o.text) === text);
			if (!option) throw new Error(`option "${text}" of ${q.id} not found in the quiz file`);
			if (option.correct !== Boolean(wrong)) await labels.nth(j).locator('input').check();
		}
	}
	return count;
}

/**
 * Signs in through the form after the page has settled: typing before hydration can be undone when
 * Svelte hydrates the (empty) username field.
 */
export async function signIn(page: Page, username: string, password = 'govlearn-demo'): Promise<void> {
	await page.goto('/login');
	await page.waitForLoadState('networkidle');
	await page.locator('#username').fill(username);
	await page.locator('#password').fill(password);
	await page.locator('form button.primary').click();
	await expect(page).not.toHaveURL(/\/login/);
}
