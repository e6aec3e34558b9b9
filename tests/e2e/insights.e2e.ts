// HR insights end to end on the demo organisation: HR finds the weakest cell, drills down to a
// person's learning record, assigns remediation that the department's learners see at once, and
// downloads both export formats; a district HR stays inside its district; learners and trainers
// are refused; every insights page passes axe.
import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { DEMO_PASSWORD, useLanguage } from './helpers';

/** Signs in through the form once the page is hydrated (hydration would clear a value typed earlier). */
async function signIn(page: Page, username: string) {
	await page.goto('/login');
	await page.waitForLoadState('networkidle');
	await page.locator('#username').fill(username);
	await page.locator('#password').fill(DEMO_PASSWORD);
	await page.locator('form button.primary').click();
	await expect(page).not.toHaveURL(/\/login/);
}

async function audit(page: Page, label: string) {
	const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
	const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
	expect(
		bad.map(
			(v) =>
				`${label}: ${v.id} (${v.impact}) ${v.nodes
					.map((n) => n.target.join(' '))
					.slice(0, 3)
					.join(' | ')}`
		)
	).toEqual([]);
}

async function download(page: Page, link: ReturnType<Page['locator']>) {
	const [file] = await Promise.all([page.waitForEvent('download'), link.click()]);
	return { name: file.suggestedFilename(), bytes: readFileSync((await file.path())!) };
}

const isoIn = (days: number) => {
	const d = new Date(Date.now() + days * 86_400_000);
	return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

test.describe('HR insights', () => {
	test('HR finds the weakest cell, drills to a person, assigns remediation, downloads both formats', async ({ page, browser }) => {
		await signIn(page, 'hr');
		await page.goto('/insights');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('学习洞察');
		await expect(page.getByText(/\d+ \/ \d+（\d+\.\d%）/).first()).toBeVisible();
		await audit(page, 'overview');

		// The weakest cell: first of the five largest gaps.
		const gaps = page.getByRole('table', { name: '五大能力短板' });
		const first = gaps.locator('tbody tr').first();
		const department = (await first.locator('th').textContent())!.trim();
		const competency = (await first.locator('td').nth(1).textContent())!.trim();
		await first.getByRole('link', { name: '详情与补学安排' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${department} · ${competency}`);
		const cellUrl = page.url();
		await audit(page, 'gap cell');

		// Drill down: the department, then one person's learning record.
		await page.getByRole('link', { name: `查看${department}人员` }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(department);
		await audit(page, 'department');
		const staff = page.getByRole('table', { name: `${department}人员` });
		const person = staff.locator('tbody tr').first();
		const name = (await person.locator('th').textContent())!.trim();
		const username = (await person.locator('td').first().textContent())!.trim();
		await person.getByRole('link', { name }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
		await expect(page.getByText('学时档案').first()).toBeVisible();
		await expect(page.getByText(username)).toBeVisible();
		await audit(page, 'person');
		await page.emulateMedia({ media: 'print' });
		await expect(page.getByRole('button', { name: '打印' })).toBeHidden();
		await page.emulateMedia({ media: 'screen' });

		// Remediation from the gap cell: every course of the competency, due in three weeks.
		await page.goto(cellUrl);
		const boxes = page.getByRole('group', { name: '该能力相关课程' }).getByRole('checkbox');
		const count = await boxes.count();
		expect(count).toBeGreaterThan(0);
		for (let i = 0; i < count; i++) await boxes.nth(i).check();
		const titles = (await page.getByRole('group', { name: '该能力相关课程' }).locator('label strong').allTextContents()).map((t) =>
			t.trim()
		);
		await page.getByLabel('截止日期').fill(isoIn(21));
		await page.getByRole('button', { name: `布置给${department}` }).click();
		await expect(page.getByRole('status')).toContainText(`已向${department}布置 ${count} 门课程`);

		// The learner sees it at once on "My learning".
		const learnerContext = await browser.newContext();
		const learner = await learnerContext.newPage();
		await signIn(learner, username);
		await learner.goto('/me');
		for (const title of titles) await expect(learner.getByRole('main').getByText(title).first()).toBeVisible();
		await learnerContext.close();

		// Exports of the completion matrix and the heatmap, both formats.
		await page.goto('/insights/completion');
		await audit(page, 'completion');
		const csv = await download(page, page.getByRole('link', { name: 'CSV' }));
		expect(csv.name).toMatch(/^必修完成情况-\d{4}-\d{2}-\d{2}\.csv$/);
		expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		const lines = csv.bytes.toString('utf8').trim().split(/\r?\n/);
		expect(lines.length).toBeGreaterThanOrEqual(3);
		expect(lines[0]).toContain('完成率');
		const xlsx = await download(page, page.getByRole('link', { name: 'Excel（XLSX）' }));
		expect(xlsx.name).toMatch(/\.xlsx$/);
		expect(xlsx.bytes.subarray(0, 2).toString('latin1')).toBe('PK');

		await page.goto('/insights/skills');
		await audit(page, 'skills');
		const skills = await download(page, page.getByRole('link', { name: 'CSV' }));
		expect(skills.name).toMatch(/^能力短板-\d{4}-\d{2}-\d{2}\.csv$/);
		expect(skills.bytes.toString('utf8')).toContain('n<5');
		const skillsXlsx = await download(page, page.getByRole('link', { name: 'Excel（XLSX）' }));
		expect(skillsXlsx.bytes.subarray(0, 2).toString('latin1')).toBe('PK');
	});

	test('the heatmap sorts by a competency and the matrix expands without JavaScript', async ({ browser }) => {
		const context = await browser.newContext({ javaScriptEnabled: false });
		const page = await context.newPage();
		await signIn(page, 'hr');
		await page.goto('/insights/skills');
		const header = page.getByRole('columnheader', { name: /信息安全与个人信息保护/ });
		await header.getByRole('link').click();
		await expect(page).toHaveURL(/sort=info-security&dir=asc/);
		await expect(header).toHaveAttribute('aria-sort', 'ascending');
		await page.goto('/insights/completion');
		const rowsBefore = await page.locator('table tbody tr').count();
		await page.getByRole('link', { name: '展开东城区人民政府的下级部门' }).click();
		await expect(page).toHaveURL(/expand=\d+/);
		expect(await page.locator('table tbody tr').count()).toBe(rowsBefore + 4);
		await page.goto('/insights/trend');
		await expect(page.getByRole('img', { name: '每周完成门次' })).toBeVisible();
		// Remediation is a plain form post; a bad date is refused with a message, then it goes through.
		await page.goto('/insights/skills');
		await page.locator('a.gap-link').nth(1).click();
		const boxes = page.getByRole('group', { name: '该能力相关课程' }).getByRole('checkbox');
		await boxes.first().check();
		await page.getByLabel('截止日期').fill('2000-01-01');
		await page.getByRole('button', { name: /^布置给/ }).click();
		await expect(page.getByRole('alert')).toHaveText('截止日期不能早于今天。');
		await page.getByLabel('截止日期').fill(isoIn(30));
		await page.getByRole('button', { name: /^布置给/ }).click();
		await expect(page.getByRole('status')).toContainText('门课程');
		await context.close();
	});

	test('a district HR sees its district only: pages, drill-downs and exports outside are 404', async ({ page, browser }) => {
		// Ids from the whole-city view.
		const cityContext = await browser.newContext();
		const city = await cityContext.newPage();
		await signIn(city, 'hr');
		await city.goto('/insights/completion');
		const outside = (await city.getByRole('link', { name: '市政府办公室' }).getAttribute('href'))!.match(/departments\/(\d+)/)![1];
		await city.goto(`/insights/departments/${outside}`);
		const outsider = (await city
			.getByRole('table', { name: '市政府办公室人员' })
			.locator('tbody tr th a')
			.first()
			.getAttribute('href'))!.match(/people\/(\d+)/)![1];
		await cityContext.close();

		await signIn(page, 'hr-east');
		await page.goto('/insights');
		await expect(page.getByText('统计范围：东城区人民政府及其全部下级部门。')).toBeVisible();
		await audit(page, 'district overview');
		await page.goto('/insights/completion');
		await expect(page.getByRole('link', { name: '市政府办公室' })).toHaveCount(0);
		for (const path of [
			`/insights/departments/${outside}`,
			`/insights/people/${outsider}`,
			`/insights/completion?department=${outside}`,
			`/insights/skills/${outside}/data-sharing`,
			`/insights/export.csv?view=staff&department=${outside}`,
			`/insights/export.xlsx?view=completion&department=${outside}`,
			`/insights/export.csv?view=record&person=${outsider}`
		]) {
			const response = await page.request.get(path);
			expect(response.status(), path).toBe(404);
		}
		const own = await page.request.get('/insights/export.csv?view=staff');
		expect(own.status()).toBe(200);
		expect(own.headers()['content-disposition']).toMatch(
			/^attachment; filename="govlearn-staff-\d{4}-\d{2}-\d{2}\.csv"; filename\*=UTF-8''/
		);
	});

	for (const user of ['learner', 'trainer']) {
		test(`a ${user} gets 403 on every insights page and export`, async ({ page }) => {
			await signIn(page, user);
			for (const path of [
				'/insights',
				'/insights/completion',
				'/insights/skills',
				'/insights/trend',
				'/insights/departments/1',
				'/insights/people/1',
				'/insights/skills/1/data-sharing',
				'/insights/export.csv?view=completion',
				'/insights/export.xlsx?view=skills'
			]) {
				const response = await page.request.get(path);
				expect(response.status(), path).toBe(403);
			}
			const post = await page.request.post('/insights/skills/1/data-sharing', {
				form: { dueDate: isoIn(10), course: 'open-government-data' },
				headers: { origin: new URL(page.url()).origin }
			});
			expect(post.status()).toBe(403);
		});
	}

	test('pages pass axe in English too', async ({ page }) => {
		await signIn(page, 'hr');
		await useLanguage(page, 'en');
		for (const path of ['/insights', '/insights/completion', '/insights/skills', '/insights/trend']) {
			await page.goto(path);
			await expect(page.locator('html')).toHaveAttribute('lang', 'en');
			await audit(page, `${path} (en)`);
		}
	});
});
