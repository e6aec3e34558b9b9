import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { DEMO_PASSWORD } from './helpers';

/**
 * Signs in through the form. Under load the app may answer 503 for a few seconds (it suspects a
 * database outage when a request is slow), so this retries where the shared helper would fail.
 */
async function signIn(page: Page, username: string) {
	for (let attempt = 1; ; attempt++) {
		const response = await page.goto('/login');
		if (response?.status() === 503 && attempt < 6) {
			await page.waitForTimeout(5000);
			continue;
		}
		await page.locator('#username').fill(username);
		await page.locator('#password').fill(DEMO_PASSWORD);
		await page.locator('form button.primary').click();
		try {
			await page.waitForURL((url) => !url.pathname.startsWith('/login'), { timeout: 20_000 });
			return;
		} catch (e) {
			if (attempt >= 6) throw e;
			await page.waitForTimeout(5000);
		}
	}
}

const DRAFT = 'draft-ai-assistants';
const PUBLISHED = 'responding-to-citizens';

test.describe('trainer studio', () => {
	test('a trainer sees every course with its status and previews a draft in both languages with the key', async ({ page }) => {
		await signIn(page, 'trainer');
		await page.goto('/studio');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(/课程|Courses/);
		const draftRow = page.getByRole('row').filter({ hasText: 'ai-assistants-at-work' });
		await expect(draftRow).toContainText(/草稿|Draft/);
		// Cells after the course name: version, languages, lessons, questions.
		await expect(draftRow.getByRole('cell').nth(2)).toHaveText('3');
		await expect(draftRow.getByRole('cell').nth(3)).toHaveText('10');

		await draftRow.getByRole('link').first().click();
		await expect(page).toHaveURL(new RegExp(`/studio/courses/${DRAFT}$`));
		await page.getByRole('link', { name: 'English' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Using AI Assistants Well in Government Work (draft)');
		await page.getByRole('link', { name: 'What You Must Not Give an Assistant' }).click();
		await expect(page.getByRole('heading', { level: 2, name: 'Never type this into a public tool' })).toBeVisible();
		await page.getByRole('link', { name: '中文' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('哪些信息不能交给助手');

		await page.goto(`/studio/courses/${DRAFT}/quiz?lang=en`);
		const q1 = page.locator('#q-ai-q01');
		await expect(q1).toContainText('Which task is best handed to an AI assistant');
		await expect(q1.locator('li.correct')).toContainText('Drafting a water-outage notice');
		await expect(q1).toContainText('Assistants are good at arranging text');
	});

	test('learners cannot reach the draft course', async ({ page }) => {
		await signIn(page, 'learner');
		const response = await page.goto(`/courses/${DRAFT}`);
		expect(response?.status()).toBe(404);
	});

	test('a trainer reads the item analysis of a course', async ({ page }) => {
		await signIn(page, 'trainer');
		await page.goto(`/studio/courses/${PUBLISHED}`);
		await page.getByRole('link', { name: /题目分析|Item analysis/ }).click();
		await expect(page).toHaveURL(new RegExp(`/studio/courses/${PUBLISHED}/analysis`));
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(/题目分析|Item analysis/);
		const first = page.locator('#q-citizen-q01');
		await expect(first).toBeVisible();
		// Figures per population (all, zh-CN, en) and per option, whatever the demo history holds.
		const stats = first.getByRole('table').first();
		await expect(stats.getByRole('row')).toHaveCount(4);
		await expect(stats.getByRole('columnheader', { name: /区分度|Discrimination/ })).toBeVisible();
		const options = first.getByRole('table').nth(1);
		await expect(options.getByRole('row')).toHaveCount(5);
		await expect(
			options
				.getByRole('row')
				.filter({ hasText: /正确|Right/ })
				.first()
		).toBeVisible();
	});

	test('a trainer assigns a course to a department, sees which assignment applies, edits and ends it', async ({ page, baseURL }) => {
		await signIn(page, 'trainer');
		await page.goto('/studio/assignments');
		await page.locator('#courseId').selectOption('responding-to-citizens');
		const east = await page.locator('#departmentId option').filter({ hasText: '(EAST-GSC)' }).getAttribute('value');
		await page.locator('#departmentId').selectOption(east!);
		await page.locator('#dueDate').fill('2030-06-30');
		await page.locator('#recurrence').selectOption('yearly');
		await page.getByRole('button', { name: /分配课程|Assign the course/ }).click();
		await expect(page.getByRole('status')).toContainText(/已创建|created/);
		const row = page.getByRole('row').filter({ hasText: 'EAST-GSC' }).filter({ hasText: '2030-06-30' });
		await expect(row).toBeVisible();
		await expect(row).toContainText(/必修|Required/);
		// The demo learner works in EAST-GSC: the assignment covers at least them.
		expect(Number(await row.getByRole('cell').nth(4).textContent())).toBeGreaterThan(0);

		// Trainers ask by department (a person's name and completions are for administrators) and see counts.
		await expect(page.locator('#explain-person')).toHaveCount(0);
		await page.locator('#explain-department').selectOption(east!);
		await page.getByRole('button', { name: /查看适用情况|Show which applies/ }).click();
		const explanation = page.locator('.explain-result');
		await expect(explanation).toContainText(/学习任务|applies/);
		await expect(explanation).toContainText(/本部门：\d+ 人中有 \d+ 人已在本周期完成|In this department: \d+ of \d+ people/);
		const applying = explanation.getByRole('row').filter({ hasText: 'EAST-GSC' }).filter({ hasText: '2030-06-30' });
		await expect(applying).toContainText(/适用|Applies/);
		await expect(applying).toContainText(/直接分配给本部门|assigned to this department itself/);

		await page.goto('/studio/assignments');
		await row.getByRole('link').click();
		await expect(page).toHaveURL(/\/studio\/assignments\/\d+$/);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(/编辑学习任务|Edit assignment/);
		// The date picker cannot produce 30 February; the server must refuse it all the same.
		const refused = await page.request.post(`${new URL(page.url()).pathname}?/update`, {
			form: { dueDate: '2030-02-30', recurrence: 'none' },
			headers: { origin: baseURL!, accept: 'text/html' }
		});
		expect(refused.status()).toBe(400);
		await page.reload();
		await expect(page.locator('#dueDate')).toHaveValue('2030-06-30');
		await page.locator('#dueDate').fill('2030-07-15');
		await page.getByRole('button', { name: /保存|Save/ }).click();
		await expect(page.getByRole('status')).toContainText(/已保存|Saved/);
		await page.getByRole('button', { name: /结束学习任务|End assignment/ }).click();
		await expect(page.locator('dl')).toContainText(/已结束|Ended/);
	});

	test('a trainer imports a GIFT bank: report, preview and download', async ({ page }) => {
		await signIn(page, 'trainer');
		await page.goto('/studio/import');
		await page.locator('#file').setInputFiles('tests/fixtures/gift/civic-bank.gift');
		await page.getByRole('button', { name: /^(转换|Convert)$/ }).click();
		await expect(page.getByRole('status')).toContainText(/10/);
		const report = page.locator('.report');
		for (const title of ['Reflection', 'Pairs', 'Deadline days', 'Missing word', 'Note']) await expect(report).toContainText(title);
		await expect(page.locator('#q-hotline-first-step')).toContainText("A citizen's 12345 hotline ticket");
		await expect(page.locator('#q-hotline-first-step li.correct')).toContainText('Contact the citizen');

		const download = page.waitForEvent('download');
		await page.getByRole('button', { name: /quiz\.en\.md/ }).click();
		const file = await download;
		expect(file.suggestedFilename()).toBe('quiz.en.md');
		const text = readFileSync((await file.path())!, 'utf8');
		expect(text).toContain('## hotline-first-step · single · citizen-responsiveness');
		expect(text).toContain('- [x] Contact the citizen, explain the status and give a new date');
	});

	test('a broken, a binary and a missing file get clear errors', async ({ page }) => {
		await signIn(page, 'trainer');
		await page.goto('/studio/import');
		await page.locator('#file').setInputFiles('tests/fixtures/gift/broken.gift');
		await page.getByRole('button', { name: /^(转换|Convert)$/ }).click();
		await expect(page.getByRole('alert')).toContainText('line 4, column 1');
		await page.locator('#file').setInputFiles({
			name: 'photo.gift',
			mimeType: 'application/octet-stream',
			buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0xff, 0xfe, 0x00])
		});
		await page.getByRole('button', { name: /^(转换|Convert)$/ }).click();
		await expect(page.getByRole('alert')).toContainText(/UTF-8|binary/);
	});
});

test('studio pages have no serious or critical accessibility violations and one h1', async ({ page }) => {
	await signIn(page, 'trainer');
	const problems: string[] = [];
	const sweep = async (where: string) => {
		expect(await page.locator('h1').count(), where).toBe(1);
		const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
		for (const v of results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'))
			problems.push(
				`${where}: ${v.id} ${v.nodes
					.map((n) => n.target.join(' '))
					.slice(0, 3)
					.join(' | ')}`
			);
	};
	for (const path of [
		'/studio',
		`/studio/courses/${DRAFT}?lang=en`,
		`/studio/courses/${DRAFT}/lessons/checking-output?lang=zh-CN`,
		`/studio/courses/${DRAFT}/quiz?lang=en`,
		`/studio/courses/${PUBLISHED}/analysis`,
		'/studio/assignments?person=learner',
		'/studio/import'
	]) {
		await page.goto(path);
		await sweep(path);
	}
	await page.locator('#file').setInputFiles('tests/fixtures/gift/civic-bank.gift');
	await page.getByRole('button', { name: /^(转换|Convert)$/ }).click();
	await expect(page.locator('.report')).toBeVisible();
	await sweep('/studio/import (result)');
	expect(problems).toEqual([]);
});

test.describe('studio access', () => {
	const pages = [
		'/studio',
		`/studio/courses/${PUBLISHED}`,
		`/studio/courses/${DRAFT}`,
		`/studio/courses/${DRAFT}/lessons/what-assistants-do`,
		`/studio/courses/${DRAFT}/quiz`,
		`/studio/courses/${PUBLISHED}/analysis`,
		`/studio/courses/${PUBLISHED}/images/x.svg`,
		'/studio/assignments',
		'/studio/assignments?department=1',
		'/studio/assignments/1',
		'/studio/import'
	];
	const posts: [string, Record<string, string>][] = [
		['/studio/assignments?/create', { courseId: PUBLISHED, departmentId: '1', dueDate: '2030-01-01', recurrence: 'none', required: 'on' }],
		['/studio/assignments/1?/update', { dueDate: '2030-01-01', recurrence: 'none' }],
		['/studio/assignments/1?/end', {}],
		['/studio/import', { lang: 'auto' }],
		['/studio/import/download', { source: '::a:: b {T}' }]
	];
	for (const user of ['learner', 'hr']) {
		test(`${user} gets 403 on every studio page, action and endpoint`, async ({ page, baseURL }) => {
			await signIn(page, user);
			for (const path of pages) {
				const response = await page.request.get(path, { maxRedirects: 0 });
				expect(response.status(), path).toBe(403);
			}
			for (const [path, form] of posts) {
				for (const accept of ['text/html', 'application/json']) {
					const response = await page.request.post(path, { form, headers: { origin: baseURL!, accept }, maxRedirects: 0 });
					// An enhanced (JSON) action answers with an error result; either way nothing runs.
					const body =
						accept === 'application/json' ? ((await response.json().catch(() => ({}))) as { type?: string; status?: number }) : {};
					expect(
						response.status() === 403 || (body.type === 'error' && body.status === 403),
						`POST ${path} (${accept}): ${response.status()} ${JSON.stringify(body)}`
					).toBe(true);
				}
			}
			const html = await (await page.request.get(`/studio/courses/${DRAFT}/quiz`)).text();
			expect(html).not.toContain('Drafting a water-outage notice');
		});
	}
});
