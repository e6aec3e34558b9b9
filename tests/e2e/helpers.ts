import { expect, type Page } from '@playwright/test';

export const DEMO_PASSWORD = 'govlearn-demo';

/** Signs in through the form, as a person would. */
export async function signIn(page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
	await page.goto('/login');
	await page.locator('#username').fill(username);
	await page.locator('#password').fill(password);
	await page.locator('form button.primary').click();
	await expect(page).not.toHaveURL(/\/login/);
}
