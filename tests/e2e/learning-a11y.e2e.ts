// Axe on every learner page, in both languages: no serious or critical violation.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { useLanguage } from './helpers';
import { answerQuiz, signIn } from './learning-quiz';

async function audit(page: Page, url: string) {
	const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
	const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
	expect(
		bad.map(
			(v) =>
				`${url}: ${v.id} (${v.impact}) ${v.nodes
					.map((n) => n.target.join(' '))
					.slice(0, 3)
					.join(' | ')}`
		)
	).toEqual([]);
}

for (const locale of ['zh-CN', 'en'] as const) {
	test(`learner pages pass axe (${locale})`, async ({ page }) => {
		const user = locale === 'en' ? 'G10011' : 'G10012';
		await signIn(page, user);
		if (locale === 'en') {
			await useLanguage(page, 'en');
		}
		await page.goto('/me');
		await expect(page.locator('html')).toHaveAttribute('lang', locale);
		for (const url of [
			'/me',
			'/courses',
			'/courses?q=zzzz',
			'/courses/information-security',
			'/courses/information-security/legal-basics',
			'/courses/information-security/quiz'
		]) {
			await page.goto(url);
			await audit(page, url);
		}
		// An open attempt, then its result page.
		const start = page.getByRole('button', { name: /开始测验|再次作答|Start the quiz|Try again/ });
		if (await start.count()) await start.first().click();
		await expect(page.locator('[data-question]').first()).toBeVisible();
		await audit(page, 'quiz (open attempt)');
		if (locale === 'zh-CN') {
			await answerQuiz(page, 'information-security');
			await page.getByRole('button', { name: '提交答案' }).click();
			await expect(page).toHaveURL(/attempt=\d+/);
			await audit(page, 'quiz result');
		}
		await page.goto('/verify');
		await audit(page, '/verify');
	});
}

test('certificate and verification pages pass axe', async ({ page }) => {
	await signIn(page, 'learner');
	await page.goto('/me');
	await page.locator('a[href^="/certificates/"]').first().click();
	await audit(page, 'certificate');
	const code = page.url().split('/').pop();
	await page.goto(`/verify/${code}`);
	await audit(page, 'verify');
});
