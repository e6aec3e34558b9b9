import { expect, type Page } from '@playwright/test';

export const DEMO_PASSWORD = 'govlearn-demo';

/**
 * Switches the browser to `lang` by its cookie, as the language menu leaves it. Leaves the app first:
 * Paraglide's browser runtime writes the language it resolved into the cookie as a page starts, which
 * could land after this cookie and undo it.
 */
export async function useLanguage(page: Page, lang: 'zh-CN' | 'en', origin = new URL(page.url()).origin): Promise<void> {
	await page.goto('about:blank');
	await page.context().clearCookies({ name: 'govlearn_locale' });
	await page.context().addCookies([{ name: 'govlearn_locale', value: lang, url: origin }]);
}

/** Signs in through the form, as a person would. */
export async function signIn(page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
	await page.goto('/login');
	await page.locator('#username').fill(username);
	await page.locator('#password').fill(password);
	await page.locator('form button.primary').click();
	await expect(page).not.toHaveURL(/\/login/);
}
