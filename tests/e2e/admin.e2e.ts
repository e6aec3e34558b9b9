import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { signIn } from './helpers';

const fixture = (name: string) => `tests/fixtures/import/${name}`;

test.describe('administration', () => {
	test('an admin imports staff, fixes an error, applies, and a new person activates and signs in', async ({ page, browser }) => {
		await signIn(page, 'admin');
		await page.goto('/admin/import');
		await page.locator('#file').setInputFiles(fixture('e2e-staff-with-error.csv'));
		await page.getByRole('button', { name: '检查文件' }).click();

		// The preview names the bad value, its row and its column; nothing is applied yet.
		await expect(page).toHaveURL(/\/admin\/import\/\d+$/);
		const errors = page.getByRole('table', { name: /错误（1）/ });
		await expect(errors.getByRole('row', { name: /EAST-GSX/ })).toContainText('3');
		await expect(errors).toContainText('没有此编码的部门');
		await expect(page.getByRole('button', { name: /导入/ })).toHaveCount(0);

		// Fix the file and upload it again.
		await page.locator('#file').setInputFiles(fixture('e2e-staff-fixed.csv'));
		await page.getByRole('button', { name: '检查文件' }).click();
		await expect(page.getByText('新员工乙')).toBeVisible();
		const count = (label: string) =>
			page
				.locator('dl.counts > div')
				.filter({ has: page.getByText(label, { exact: true }) })
				.locator('dd');
		await expect(count('新建')).toHaveText('2');
		await expect(count('错误')).toHaveText('0');

		const download = page.waitForEvent('download');
		await page.getByRole('button', { name: '导入并下载链接' }).click();
		const file = await download;
		expect(file.suggestedFilename()).toMatch(/^activation-links-batch-\d+\.csv$/);
		const csv = readFileSync((await file.path())!, 'utf8');
		expect(csv.charCodeAt(0)).toBe(0xfeff);
		expect(csv).toContain('username,name,link');
		const line = csv.split('\n').find((l) => l.startsWith('N5002,新员工乙,'));
		const link = line?.split(',')[2]?.trim();
		expect(link).toMatch(/\/activate\/[a-z2-7]{32}$/);
		await expect(page.getByRole('status').filter({ hasText: '新建 2 个账号' })).toBeVisible();

		// The new person opens the link in their own browser.
		const person = await browser.newContext({ locale: 'zh-CN' });
		const personPage = await person.newPage();
		await personPage.goto(new URL(link!).pathname);
		await expect(personPage.getByRole('heading', { name: '欢迎，新员工乙' })).toBeVisible();
		await personPage.locator('#password').fill('password');
		await personPage.locator('#confirm').fill('password');
		await personPage.getByRole('button', { name: '设置密码并登录' }).click();
		await expect(personPage.getByRole('alert')).toContainText(/常见|8/);
		await personPage.locator('#password').fill('morning-tea-on-the-river');
		await personPage.locator('#confirm').fill('morning-tea-on-the-river');
		await personPage.getByRole('button', { name: '设置密码并登录' }).click();
		await expect(personPage).toHaveURL(/\/me/);

		// The link was for one use only; the password works from now on.
		await personPage.getByRole('button', { name: /退出登录|Sign out/ }).click();
		await expect(personPage).toHaveURL(/\/login/);
		await personPage.goto(new URL(link!).pathname);
		await expect(personPage.getByRole('alert')).toContainText('此链接已使用过');
		await signIn(personPage, 'N5002', 'morning-tea-on-the-river');
		await expect(personPage).toHaveURL(/\/me/);
		await person.close();

		// The admin sees the new account active and the import in the audit log.
		await page.goto('/admin/users?q=N500');
		await expect(page.getByRole('row', { name: /N5002/ })).toContainText('已启用');
		await expect(page.getByRole('row', { name: /N5001/ })).toContainText('待激活');
		await page.goto('/admin/audit?action=user.import.apply');
		await expect(page.getByRole('row', { name: /user\.import\.apply/ }).first()).toContainText('admin');
	});

	test.describe('without JavaScript', () => {
		test.use({ javaScriptEnabled: false });

		test('the department tree works: create a department, then move it', async ({ page }) => {
			await signIn(page, 'admin');
			await page.goto('/admin/departments');
			await expect(page.getByRole('link', { name: '东城区政务服务中心' })).toBeVisible();
			await page.locator('#code').fill('EAST-GSC-NIGHT');
			await page.locator('#nameZh').fill('夜间窗口组');
			await page.locator('#nameEn').fill('Night Window Team');
			const parent = await page.locator('#parentId option', { hasText: '(EAST-GSC)' }).getAttribute('value');
			await page.locator('#parentId').selectOption(parent!);
			await page.getByRole('button', { name: '创建部门' }).click();
			await expect(page.getByRole('heading', { level: 1 })).toContainText('夜间窗口组');
			await expect(page.getByRole('status')).toContainText('部门已创建');

			const office = await page.locator('#parentId option', { hasText: '(EAST-OFFICE)' }).getAttribute('value');
			await page.locator('#parentId').selectOption(office!);
			await page.getByRole('button', { name: '移动部门' }).click();
			await expect(page.getByRole('status')).toContainText('部门已移动');
			await page.goto('/admin/departments');
			await expect(page.locator('li', { has: page.getByRole('link', { name: '东城区政府办公室', exact: true }) }).last()).toContainText(
				'夜间窗口组'
			);

			// A code that exists already is refused with a clear message.
			await page.goto('/admin/departments');
			await page.locator('#code').fill('EAST-GSC');
			await page.locator('#nameZh').fill('重复');
			await page.locator('#nameEn').fill('Duplicate');
			await page.getByRole('button', { name: '创建部门' }).click();
			await expect(page.getByRole('alert')).toContainText('已有部门使用此编码');
		});

		test('an upload that is not a staff file gets a clear message', async ({ page }) => {
			await signIn(page, 'admin');
			await page.goto('/admin/import');
			await page
				.locator('#file')
				.setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]) });
			await page.getByRole('button', { name: '检查文件' }).click();
			await expect(page.getByRole('alert')).toContainText('这不是 CSV 或 XLSX 文件');
			await page.locator('#file').setInputFiles(fixture('broken.xlsx'));
			await page.getByRole('button', { name: '检查文件' }).click();
			await expect(page.getByRole('alert')).toContainText('XLSX 文件已损坏');
		});
	});

	test('HR and learners are refused at every admin page', async ({ page }) => {
		await signIn(page, 'hr');
		for (const path of ['/admin', '/admin/users', '/admin/departments', '/admin/import', '/admin/audit']) {
			expect((await page.goto(path))?.status()).toBe(403);
		}
		const apply = await page.request.post('/admin/import/1/apply', {
			form: { hash: 'x' },
			headers: { origin: new URL(page.url()).origin }
		});
		expect(apply.status()).toBe(403);
	});

	test('admin pages and the activation page have no serious accessibility problems', async ({ page }) => {
		await signIn(page, 'admin');
		await page.goto('/admin/import');
		await page.locator('#file').setInputFiles(fixture('e2e-staff-with-error.csv'));
		await page.getByRole('button', { name: '检查文件' }).click();
		await expect(page).toHaveURL(/\/admin\/import\/\d+$/);
		const batch = new URL(page.url()).pathname;
		for (const path of [
			'/admin',
			'/admin/departments',
			'/admin/departments/1',
			'/admin/users',
			'/admin/users/1',
			'/admin/users/new',
			'/admin/import',
			batch,
			'/admin/audit',
			'/activate/' + 'a'.repeat(32)
		]) {
			await page.goto(path);
			const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
			const serious = violations
				.filter((v) => v.impact === 'serious' || v.impact === 'critical')
				.map((v) => `${path}: ${v.id} (${v.nodes.length})`);
			expect(serious).toEqual([]);
		}
	});
});
