import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD, signIn } from './helpers';

test.describe('foundation', () => {
	for (const [user, home] of [
		['admin', '/me'],
		['trainer', '/me'],
		['hr', '/me'],
		['learner', '/me']
	] as const) {
		test(`${user} signs in and lands on ${home}`, async ({ page }) => {
			await signIn(page, user);
			await expect(page).toHaveURL(new RegExp(`${home}$`));
			await expect(page.locator('h1')).toBeVisible();
		});
	}

	test('a wrong password is refused without saying whether the account exists', async ({ page }) => {
		await page.goto('/login');
		await page.locator('#username').fill('learner');
		await page.locator('#password').fill('not-the-password');
		await page.locator('form button.primary').click();
		const known = await page.getByRole('alert').textContent();
		await page.locator('#username').fill('no-such-user');
		await page.locator('#password').fill('not-the-password');
		await page.locator('form button.primary').click();
		await expect(page.getByRole('alert')).toHaveText(known ?? '');
		await expect(page).toHaveURL(/\/login/);
	});

	test('a learner gets 403 on the studio, insights and admin', async ({ page }) => {
		await signIn(page, 'learner');
		for (const path of ['/admin', '/insights', '/studio']) {
			const response = await page.goto(path);
			expect(response?.status()).toBe(403);
			await expect(page.getByRole('link', { name: /返回首页|Back to the home page/ })).toBeVisible();
		}
	});

	test('anonymous visitors are sent to sign in and come back afterwards', async ({ page }) => {
		await page.goto('/account');
		await expect(page).toHaveURL(/\/login\?redirectTo=%2Faccount/);
		await page.locator('#username').fill('learner');
		await page.locator('#password').fill(DEMO_PASSWORD);
		await page.locator('form button.primary').click();
		await expect(page).toHaveURL(/\/account$/);
	});

	test('signing out ends the session', async ({ page, context }) => {
		await signIn(page, 'learner');
		const before = await context.cookies();
		await page.getByRole('button', { name: /退出登录|Sign out/ }).click();
		await expect(page).toHaveURL(/\/login/);
		// The old cookie no longer works even if replayed.
		await context.addCookies(before.filter((c) => c.name.includes('session')));
		await page.goto('/me');
		await expect(page).toHaveURL(/\/login/);
	});

	test('the language switch changes the interface language', async ({ page }) => {
		await page.goto('/login');
		await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
		await page.getByRole('button', { name: 'English' }).click();
		await expect(page.locator('html')).toHaveAttribute('lang', 'en');
		await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
	});
});
