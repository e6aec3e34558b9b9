// The frame around every page: which language it speaks (saved choice, then cookie, then the browser),
// dates and numbers in that language, error pages with a way back, and print layouts.
import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD, signIn } from './helpers';

test.describe('language', () => {
	test.describe('a browser that prefers English', () => {
		test.use({ locale: 'en-GB' });

		test('gets English until a cookie says otherwise', async ({ page, context, baseURL }) => {
			await page.goto('/login');
			await expect(page.locator('html')).toHaveAttribute('lang', 'en');
			await expect(page.getByRole('heading', { level: 2, name: 'Sign in' })).toBeVisible();
			await context.addCookies([{ name: 'govlearn_locale', value: 'zh-CN', url: baseURL! }]);
			await page.goto('/login');
			await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
			await expect(page.getByRole('heading', { level: 2, name: '登录' })).toBeVisible();
		});
	});

	test('the choice saved on the account follows the person to another browser', async ({ page, browser, baseURL }) => {
		await signIn(page, 'G10290');
		await page.goto('/account');
		await page.getByRole('radio', { name: 'English' }).check();
		await page.getByRole('button', { name: '保存语言' }).click();
		await expect(page.locator('html')).toHaveAttribute('lang', 'en');
		await expect(page.getByRole('heading', { level: 1, name: 'Account' })).toBeVisible();

		// Another browser, Chinese by preference and without the cookie: English once signed in.
		const other = await browser.newContext({ baseURL, locale: 'zh-CN' });
		const second = await other.newPage();
		await second.goto('/login');
		await expect(second.locator('html')).toHaveAttribute('lang', 'zh-CN');
		await second.locator('#username').fill('G10290');
		await second.locator('#password').fill(DEMO_PASSWORD);
		await second.locator('form button.primary').click();
		await expect(second).toHaveURL(/\/me$/);
		await expect(second.locator('html')).toHaveAttribute('lang', 'en');
		await expect(second.getByRole('heading', { level: 1, name: 'My learning' })).toBeVisible();
		await other.close();

		// And back to Chinese from the header switch, saved again.
		await page.getByRole('button', { name: '中文' }).click();
		await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
	});

	test('dates and numbers are written the way each language writes them', async ({ page, context, baseURL }) => {
		await signIn(page, 'learner');
		await page.goto('/me');
		const assigned = page.locator('section', { has: page.getByRole('heading', { name: '指派给我的课程' }) });
		await expect(assigned.locator('tbody td').first()).toHaveText(/^\d{4}年\d{1,2}月\d{1,2}日/);
		await expect(
			page
				.locator('section', { has: page.getByRole('heading', { name: '我的证书' }) })
				.locator('li')
				.first()
		).toContainText(/\d{4}年\d{1,2}月\d{1,2}日/);

		await context.addCookies([{ name: 'govlearn_locale', value: 'en', url: baseURL! }]);
		await page.goto('/me');
		const assignedEn = page.locator('section', { has: page.getByRole('heading', { name: 'Assigned to me' }) });
		await expect(assignedEn.locator('tbody td').first()).toHaveText(/^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{1,2}, \d{4}/);
		await expect(
			page
				.locator('section', { has: page.getByRole('heading', { name: 'My certificates' }) })
				.locator('li')
				.first()
		).toContainText(/(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* \d{1,2}, \d{4}/);
	});
});

test.describe('first minute', () => {
	test('the sign-in page says what GovLearn is and, on the demo, which accounts to try', async ({ page }) => {
		await page.goto('/login');
		await expect(page.getByRole('heading', { level: 1, name: '政务数字能力学院' })).toBeVisible();
		await expect(page.locator('.lead')).toContainText('公务员');
		const demo = page.locator('.demo-box');
		await expect(demo.getByRole('heading', { name: '演示账号' })).toBeVisible();
		await expect(demo).toContainText('govlearn-demo');
		for (const name of ['admin', 'trainer', 'reviewer', 'hr', 'hr-east', 'learner'])
			await expect(demo.locator('code', { hasText: new RegExp(`^${name}$`) })).toBeVisible();
	});
});

test.describe('error pages', () => {
	test('a missing page and a forbidden one say what happened and offer a way back', async ({ page, context, baseURL }) => {
		for (const lang of ['zh-CN', 'en'] as const) {
			await context.clearCookies();
			await context.addCookies([{ name: 'govlearn_locale', value: lang, url: baseURL! }]);
			const missing = await page.goto('/no-such-page');
			expect(missing?.status()).toBe(404);
			await expect(page.getByRole('heading', { level: 1 })).toHaveText(lang === 'en' ? /not found|doesn.t exist/i : /不存在|找不到/);
			const home = page.getByRole('link', { name: lang === 'en' ? 'Back to the home page' : '返回首页' });
			await home.click();
			await expect(page).toHaveURL(/\/login$/);
		}
		await context.clearCookies();
		await signIn(page, 'learner');
		expect((await page.goto('/admin'))?.status()).toBe(403);
		await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
		await page.getByRole('link', { name: '返回首页' }).click();
		await expect(page).toHaveURL(/\/me$/);
	});
});

test.describe('print', () => {
	test('a certificate prints on one landscape page without the site around it', async ({ page }) => {
		await signIn(page, 'learner');
		await page.goto('/me');
		await page.locator('a[href^="/certificates/"]').first().click();
		await page.emulateMedia({ media: 'print' });
		await expect(page.locator('.site-header')).toBeHidden();
		await expect(page.locator('.site-footer')).toBeHidden();
		await expect(page.locator('.no-print')).toBeHidden();
		await expect(page.locator('.certificate .holder')).toBeVisible();
		const pdf = await page.pdf({ preferCSSPageSize: true });
		expect(pdf.toString('latin1').match(/\/Type\s*\/Page\b/g)).toHaveLength(1);
	});

	test('the learning record (/me) prints as a document: no header, navigation or buttons', async ({ page }) => {
		await signIn(page, 'learner');
		await page.goto('/me');
		await page.emulateMedia({ media: 'print' });
		await expect(page.locator('.site-header')).toBeHidden();
		await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
		await expect(page.locator('table').first()).toBeVisible();
		for (const button of await page.locator('main .button, main button').all()) await expect(button).toBeHidden();
	});
});
