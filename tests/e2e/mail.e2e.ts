// Mail end to end in Chromium: the built app on its own server with SMTP_URL pointing at a real SMTP
// server (smtp-server, read back with mailparser). Forgot password → the mail → a new password → signed
// in; the link works once. Then the inbox (zh-CN, a 360 px phone) and the admin's outbox, photographed.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { appServer, e2eBuildDir, type AppServer } from '../reliability/app';
import { smtpSink, type SmtpSink } from '../helpers/smtp';
import { DEMO_PASSWORD } from './helpers';
import { port } from '../helpers/ports';

const APP_PORT = Number(process.env.MAIL_E2E_APP_PORT ?? Number(process.env.E2E_PORT ?? port(4173)) + 1);
let app: AppServer;
let sink: SmtpSink;
let dataDir: string;

test.describe.configure({ mode: 'serial' });

async function signIn(page: Page, username: string, password = DEMO_PASSWORD) {
	await page.goto(`${app.url}/login`);
	await page.locator('#username').fill(username);
	await page.locator('#password').fill(password);
	await page.locator('form button.primary').click();
	await expect(page).not.toHaveURL(/\/login/);
}

test.beforeAll(async () => {
	test.setTimeout(240_000);
	sink = await smtpSink();
	dataDir = mkdtempSync(path.join(os.tmpdir(), 'govlearn-mail-e2e-'));
	app = appServer({
		buildDir: e2eBuildDir(),
		port: APP_PORT,
		// The reminder scan soon after start, so the demo learner's inbox has something in it.
		env: { DATA_DIR: dataDir, SMTP_URL: sink.url, MAIL_FROM: 'GovLearn <govlearn@example.gov.cn>', REMINDER_SCAN_SECONDS: '3' }
	});
	await app.start();
});

test.afterAll(async () => {
	await app?.stop();
	await sink?.stop();
	if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test('forgot password → mail → new password → signed in; the link works once', async ({ page }) => {
	await page.goto(`${app.url}/login`);
	await page.getByRole('link', { name: '忘记密码？' }).click();
	await expect(page).toHaveURL(`${app.url}/password-reset`);
	await page.getByLabel('工号').fill('learner');
	await page.getByRole('button', { name: '发送链接' }).click();
	await expect(page.getByRole('status')).toContainText('链接已经发出');

	const deadline = Date.now() + 30_000;
	let mail = sink.received.find((r) => r.kind === 'password_reset');
	while (!mail && Date.now() < deadline) {
		await page.waitForTimeout(200);
		mail = sink.received.find((r) => r.kind === 'password_reset');
	}
	expect(mail, 'the reset mail arrives').toBeTruthy();
	expect(mail!.to).toContain('learner@');
	expect(mail!.subject).toBe('重置您的政务数字能力学院密码');
	const link = mail!.text.match(/https?:\/\/\S+\/password-reset\/[a-z2-7]{32}/)?.[0];
	expect(link).toBeTruthy();
	expect(sink.received.filter((r) => r.kind === 'password_reset')).toHaveLength(1);

	await page.goto(link!);
	await page.getByLabel('新密码', { exact: true }).fill('a brand new passphrase 7');
	await page.getByLabel('确认新密码').fill('a brand new passphrase 7');
	await page.getByRole('button', { name: '设置新密码并登录' }).click();
	await expect(page).toHaveURL(`${app.url}/me`);
	await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
	await expect(page.getByRole('link', { name: '消息' })).toBeVisible();

	// The link is spent.
	await page.goto(link!);
	await expect(page.getByRole('alert')).toContainText('此链接已被使用');

	// Signed out, the new password signs in and the old one does not.
	await page.context().clearCookies();
	await signIn(page, 'learner', 'a brand new passphrase 7');
	await expect(page).toHaveURL(`${app.url}/me`);
});

test('the inbox lists the events with an unread count, without JavaScript, on a phone', async ({ browser }) => {
	const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 740 }, locale: 'zh-CN' });
	const page = await context.newPage();
	await signIn(page, 'learner', 'a brand new passphrase 7');
	// The reminder scan runs a few seconds after start: wait until the count shows.
	await expect(async () => {
		await page.goto(`${app.url}/me`);
		await expect(page.locator('.inbox-link .badge')).toBeVisible();
	}).toPass({ timeout: 60_000 });
	await page.locator('.inbox-link').click();
	await expect(page).toHaveURL(`${app.url}/inbox`);
	await expect(page.getByRole('heading', { name: '站内消息' })).toBeVisible();
	const first = page.locator('ul.inbox li').first();
	await expect(first).toBeVisible();
	await page.screenshot({ path: 'test-results/inbox-phone-zh.png', fullPage: true });
	const unreadBefore = Number(await page.locator('.inbox-link .badge').textContent());
	await first.locator('a.subject').click();
	await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
	await expect(page.locator('.inbox-link .badge')).toHaveText(String(unreadBefore - 1));
	await page.goto(`${app.url}/inbox`);
	await page.getByRole('button', { name: '全部标为已读' }).click();
	await expect(page.locator('.inbox-link .badge')).toHaveCount(0);
	// Nothing overflows the phone's width.
	const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
	expect(overflow).toBeLessThanOrEqual(0);
	await context.close();
});

test('the admin reads the outbox: status, subject and body of each message', async ({ page }) => {
	await signIn(page, 'admin');
	await page.goto(`${app.url}/admin/outbox`);
	await expect(page.getByRole('heading', { name: '发件箱' })).toBeVisible();
	await expect(page.getByText(/排队 \d+ · 已发送 [1-9]\d* · 失败 0/)).toBeVisible();
	await page.setViewportSize({ width: 1280, height: 900 });
	await page.screenshot({ path: 'test-results/admin-outbox-zh.png', fullPage: false });
	// The reset mail, delivered, its one-time link removed from the database.
	await page.goto(`${app.url}/admin/outbox?status=sent&kind=password_reset`);
	const reset = page.getByRole('row').filter({ hasText: '重置您的政务数字能力学院密码' });
	await expect(reset).toHaveCount(1);
	await expect(reset).toContainText('learner@');
	await reset.getByText('查看内容').click();
	await expect(reset).toContainText('一次性链接已在投递后删除');
	// The filters are a plain GET form.
	await page.goto(`${app.url}/admin/outbox`);
	await page.getByLabel('状态').selectOption('failed');
	await page.getByRole('button', { name: '显示' }).click();
	await expect(page).toHaveURL(/status=failed/);
	await expect(page.getByText('没有邮件。')).toBeVisible();
});
