// Government sign-in end to end in Chromium: the built app (its own server, OIDC_* pointing at a real
// oidc-provider on 127.0.0.1) → the provider's sign-in and consent forms → back to GovLearn signed in;
// sign-out there too; then password sign-in turned off, with the break-glass admin still getting in.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { appServer, e2eBuildDir, type AppServer } from '../reliability/app';
import { CLIENT_ID, CLIENT_SECRET, startProvider, type RealProvider } from '../helpers/oidc';
import { DEMO_PASSWORD } from './helpers';
import { port } from '../helpers/ports';

const APP_PORT = Number(process.env.SSO_E2E_APP_PORT ?? port(3175));
let provider: RealProvider;
let app: AppServer;
let dataDir: string;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
	test.setTimeout(240_000);
	const origin = `http://127.0.0.1:${APP_PORT}`;
	provider = await startProvider(origin);
	provider.people.set('learner', { name: '林晓', department: 'EAST-GSC' });
	provider.people.set('G90001', { name: '新同事', department: 'EAST-GSC' });
	provider.people.set('G90002', { name: '无部门', department: 'NO-SUCH-DEPT' });
	dataDir = mkdtempSync(path.join(os.tmpdir(), 'govlearn-sso-e2e-'));
	app = appServer({
		buildDir: e2eBuildDir(),
		port: APP_PORT,
		env: { DATA_DIR: dataDir, OIDC_ISSUER: provider.issuer, OIDC_CLIENT_ID: CLIENT_ID, OIDC_CLIENT_SECRET: CLIENT_SECRET }
	});
	await app.start();
});

test.afterAll(async () => {
	await app?.stop();
	await provider?.close();
	if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** At the provider: its development sign-in form (any password), then its consent form. */
async function signInAtProvider(page: Page, login: string) {
	await page.locator('input[name="login"]').fill(login);
	await page.locator('input[name="password"]').fill('any-password');
	await page.locator('button[type="submit"]').click();
	// Consent is asked once per person and client.
	if (new URL(page.url()).origin === provider.issuer) await page.locator('button[type="submit"]').click();
}

test('the sign-in page offers government sign-in; a new member of staff signs in at the provider and gets an account', async ({ page }) => {
	await page.goto(`${app.url}/login`);
	const button = page.getByRole('link', { name: '使用统一身份认证登录' });
	await expect(button).toBeVisible();
	await page.screenshot({ path: 'test-results/sso-login-page.png', fullPage: true });
	await button.click();
	await expect(page).toHaveURL(new RegExp(`^${provider.issuer}/`));
	await signInAtProvider(page, 'G90001');
	await expect(page).toHaveURL(`${app.url}/me`);
	await expect(page.getByRole('link', { name: '新同事' })).toBeVisible();
	// The session is GovLearn's own cookie, HttpOnly; the sign-in cookie is gone.
	const cookies = await page.context().cookies(app.url);
	expect(cookies.find((c) => c.name === 'govlearn_session')?.httpOnly).toBe(true);
	expect(cookies.find((c) => c.name === 'govlearn_oidc')).toBeUndefined();
});

test('the demo learner signs in through the provider, and signing out ends the provider session too', async ({ page }) => {
	await page.goto(`${app.url}/courses`);
	await page.getByRole('link', { name: '使用统一身份认证登录' }).click();
	await signInAtProvider(page, 'learner');
	// Back where they wanted to go.
	await expect(page).toHaveURL(`${app.url}/courses`);
	await page.getByRole('button', { name: '退出' }).click();
	// The provider asks to confirm signing out of it as well (oidc-provider's own page), then sends us home.
	await expect(page).toHaveURL(new RegExp(`^${provider.issuer}/`));
	await page.locator('button[autofocus], button[type="submit"]').first().click();
	await expect(page).toHaveURL(new RegExp(`^${app.url}/login`));
	const me = await page.request.get(`${app.url}/me`, { maxRedirects: 0 });
	expect(me.status()).toBe(303);
	// Signed out at the provider too: the next government sign-in asks for the password again.
	await page.getByRole('link', { name: '使用统一身份认证登录' }).click();
	await expect(page.locator('input[name="login"]')).toBeVisible();
});

test('an unknown department gets a clear page, no session, and the admin sees it', async ({ page }) => {
	await page.goto(`${app.url}/login`);
	await page.getByRole('link', { name: '使用统一身份认证登录' }).click();
	await signInAtProvider(page, 'G90002');
	await expect(page).toHaveURL(/\/login\?sso=unknown_department/);
	await expect(page.getByRole('alert')).toContainText('你所在的部门尚未在本平台建立');
	expect((await page.request.get(`${app.url}/me`, { maxRedirects: 0 })).status()).toBe(303);
	await page.locator('#username').fill('admin');
	await page.locator('#password').fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: '登录', exact: true }).click();
	await expect(page).not.toHaveURL(/\/login/);
	await page.goto(`${app.url}/admin/sign-in`);
	await expect(page.getByRole('row', { name: /G90002/ })).toContainText('NO-SUCH-DEPT');
});

test('with password sign-in off, passwords are refused with a clear message except for the break-glass admin', async ({ page }) => {
	await page.goto(`${app.url}/login`);
	await page.locator('#username').fill('admin');
	await page.locator('#password').fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: '登录', exact: true }).click();
	await expect(page).not.toHaveURL(/\/login/);
	await page.goto(`${app.url}/admin/sign-in`);
	await page.getByLabel('仅限下列应急管理员').check();
	await page.getByLabel('应急管理员（工号，每行一个）').fill('learner');
	await page.getByRole('button', { name: '保存' }).click();
	await expect(page.getByRole('alert')).toContainText('learner');
	await page.getByLabel('应急管理员（工号，每行一个）').fill('admin');
	await page.getByRole('button', { name: '保存' }).click();
	await expect(page.getByRole('status')).toContainText('已保存');
	await page.getByRole('button', { name: '退出' }).click();

	await page.goto(`${app.url}/login`);
	await page.getByText('管理员密码登录（应急通道）').click();
	await page.locator('#username').fill('trainer');
	await page.locator('#password').fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: '登录', exact: true }).click();
	await expect(page.getByRole('alert')).toContainText('密码登录已关闭');
	expect((await page.request.get(`${app.url}/me`, { maxRedirects: 0 })).status()).toBe(303);

	await page.locator('#username').fill('admin');
	await page.locator('#password').fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: '登录', exact: true }).click();
	await expect(page).not.toHaveURL(/\/login/);
	await page.goto(`${app.url}/admin/sign-in`);
	await page.getByLabel('所有人').check();
	await page.getByRole('button', { name: '保存' }).click();
	await expect(page.getByRole('status')).toContainText('已保存');
});
