// Authoring in the browser, through the forms only (no JavaScript needed by any of them): a trainer
// creates a bilingual course with three lessons, an image and ten questions and submits it; the
// reviewer sends it back once, then publishes; a learner takes it at once. An edit published while a
// learner's attempt is open does not change that attempt.
import { expect, test, type Page } from '@playwright/test';
import { signIn } from './learning-quiz';

const COURSE = 'e2e-authored-course';
// A 1×1 PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

async function as(page: Page, username: string) {
	await page.context().clearCookies();
	await signIn(page, username);
}

const edit = (page: Page) => page.goto(`/studio/edit/${COURSE}`);
const done = (page: Page) => expect(page.getByRole('status').filter({ hasText: '已完成' })).toBeVisible();

async function question(page: Page, n: number, rightOption: 0 | 1) {
	const form = page.locator('form[action="?/question"]');
	await form.getByLabel('题目标识').fill(`aq${n}`);
	await form.getByLabel('题干（中文）').fill(`第 ${n} 题：哪一项正确？`);
	await form.getByLabel('题干（英文）').fill(`Question ${n}: which one is right?`);
	await form.getByLabel('选项 1（中文）').fill(`甲 ${n}`);
	await form.getByLabel('选项 1（英文）').fill(`Alpha ${n}`);
	await form.getByLabel('选项 2（中文）').fill(`乙 ${n}`);
	await form.getByLabel('选项 2（英文）').fill(`Beta ${n}`);
	await form.getByLabel(`选项 ${rightOption + 1} 正确`).check();
	await form.getByLabel('解析（中文）').fill(`解析 ${n}`);
	await form.getByLabel('解析（英文）').fill(`Because ${n}`);
	await form.getByRole('button', { name: '保存题目' }).click();
	await done(page);
}

test.describe('authoring in the browser', () => {
	test.describe.configure({ timeout: 240_000 });

	test('a trainer writes a course through the forms, the reviewer sends it back once and publishes, a learner takes it at once', async ({
		page
	}) => {
		await as(page, 'trainer');
		await page.goto('/studio/edit');
		const create = page.locator('form[action="?/create"]');
		await create.getByLabel('课程标识').fill(COURSE);
		await create.getByLabel('标题（中文）').fill('浏览器中编写的课程');
		await create.getByLabel('标题（英文）').fill('A course written in the browser');
		await create.getByRole('button', { name: '创建课程' }).click();
		await expect(page).toHaveURL(new RegExp(`/studio/edit/${COURSE}$`));
		await expect(page.getByRole('heading', { level: 2, name: /修订 1/ })).toBeVisible();

		for (const [slug, zh, en] of [
			['first-steps', '第一步', 'First steps'],
			['going-further', '更进一步', 'Going further'],
			['wrapping-up', '总结', 'Wrapping up']
		]) {
			const form = page.locator('form[action="?/addLesson"]');
			await form.getByLabel('课时地址（slug）').fill(slug);
			await form.getByLabel('标题（中文）').fill(zh);
			await form.getByLabel('标题（英文）').fill(en);
			await form.getByRole('button', { name: '添加课时' }).click();
			await done(page);
		}
		await expect(page.locator('ol.lessons > li')).toHaveCount(3);

		// An image without alt text is refused by the browser's form; with it, stored.
		const upload = page.locator('form[action="?/image"]');
		await upload.getByLabel('图片文件').setInputFiles({ name: 'diagram.png', mimeType: 'image/png', buffer: PNG });
		await upload.getByLabel('图片内容说明（替代文字）').fill('一张示意图');
		await upload.getByRole('button', { name: '上传' }).click();
		await expect(page.getByText('images/diagram.png').first()).toBeVisible();

		// The first lesson's Chinese text, with the image, in the Markdown editor (CodeMirror over the
		// textarea when JavaScript runs): the check and the preview follow the typing, rendered by the server.
		await page.locator('ol.lessons > li').first().getByRole('link', { name: '编辑中文' }).click();
		const editor = page.locator('.cm-content');
		await expect(editor).toBeVisible();
		await expect(page.locator('#text')).toBeHidden();
		await editor.fill('---\ntitle: 第一步\nminutes: 10\n---\n\n## 先看一眼\n\n写错了 {花括号}。\n');
		await expect(page.locator('#check')).toContainText('8: curly braces');
		await expect(page.locator('.prose h2')).toHaveText('先看一眼');
		await editor.fill('---\ntitle: 第一步\nminutes: 10\n---\n\n## 从这里开始\n\n欢迎学习本课程。\n\n![一张示意图](images/diagram.png)\n');
		await expect(page.locator('.prose h2')).toHaveText('从这里开始');
		await expect(page.getByText('内容检查未发现问题。')).toBeVisible();
		// The preview button (the way without JavaScript) renders the same.
		await page.getByRole('button', { name: '预览' }).click();
		await expect(page.locator('.prose h2')).toHaveText('从这里开始');
		await expect(page.locator('.prose img')).toHaveAttribute('alt', '一张示意图');
		await page.getByRole('button', { name: '保存' }).click();
		await expect(page.getByRole('status').filter({ hasText: '已保存' })).toBeVisible();
		await expect(page.getByText('内容检查未发现问题。')).toBeVisible();

		await edit(page);
		for (let n = 1; n <= 10; n++) await question(page, n, 1);
		await expect(page.getByRole('heading', { name: '题目（10）' })).toBeVisible();
		await expect(page.getByText('内容检查未发现问题。')).toBeVisible();
		await page.getByRole('button', { name: '提交审核' }).click();
		await expect(page.getByRole('heading', { level: 2, name: /修订 \d+\s*审核中/ })).toBeVisible();
		await expect(page.getByText('不能由您本人审核')).toBeVisible();

		// The reviewer sends it back with a comment …
		await as(page, 'reviewer');
		await edit(page);
		await page.getByLabel('审核意见').fill('请在第一课中说明课程对象。');
		await page.getByRole('button', { name: '退回修改' }).click();
		await expect(page.getByRole('heading', { level: 2, name: /修订 \d+\s*草稿/ })).toBeVisible();

		// … the trainer reads it and submits again …
		await as(page, 'trainer');
		await edit(page);
		await expect(page.getByText('请在第一课中说明课程对象。')).toBeVisible();
		await page.getByRole('button', { name: '提交审核' }).click();
		await expect(page.getByRole('heading', { level: 2, name: /修订 \d+\s*审核中/ })).toBeVisible();

		// … and the reviewer publishes.
		await as(page, 'reviewer');
		await edit(page);
		await page.getByRole('button', { name: '发布', exact: true }).click();
		await expect(page.getByText('目前没有正在编辑的修订')).toBeVisible();
		await expect(page.getByRole('row').filter({ hasText: '已发布' })).toContainText('郑审核');

		// A learner takes it at once, without a restart.
		await as(page, 'learner');
		await page.goto(`/courses/${COURSE}`);
		await expect(page.getByRole('heading', { level: 1, name: '浏览器中编写的课程' })).toBeVisible();
		await page.getByRole('button', { name: '开始学习' }).click();
		await expect(page.locator('.prose h2')).toHaveText('从这里开始');
		const image = page.locator('.prose img');
		await expect(image).toHaveAttribute('src', `/courses/${COURSE}/images/diagram.png`);
		expect((await page.request.get(`/courses/${COURSE}/images/diagram.png`)).headers()['content-type']).toBe('image/png');
		for (let i = 0; i < 3; i++) await page.getByRole('button', { name: '标记为已学完并继续' }).click();
		await expect(page).toHaveURL(new RegExp(`/courses/${COURSE}/quiz$`));
		await page.getByRole('button', { name: '开始测验' }).click();
		await expect(page.locator('[data-question]')).toHaveCount(10);
		const html = await page.content();
		expect(html).not.toContain('解析 1');

		// Mid-attempt the trainer changes question 1's key and the reviewer publishes it.
		const quizPage = page.url();
		const other = await page.context().browser()!.newContext({ locale: 'zh-CN' });
		const studio = await other.newPage();
		await signIn(studio, 'trainer');
		await studio.goto(`/studio/edit/${COURSE}`);
		await studio.getByRole('button', { name: '开始草稿' }).click();
		await question(studio, 1, 0);
		await studio.getByRole('button', { name: '提交审核' }).click();
		await studio.context().clearCookies();
		await signIn(studio, 'reviewer');
		await studio.goto(`/studio/edit/${COURSE}`);
		await studio.getByRole('button', { name: '发布', exact: true }).click();
		await expect(studio.getByText('目前没有正在编辑的修订')).toBeVisible();
		await other.close();

		// The open attempt keeps its questions and key: "乙" (the second option) is still right.
		await page.goto(quizPage);
		const boxes = page.locator('[data-question]');
		await expect(boxes).toHaveCount(10);
		for (let i = 0; i < 10; i++)
			await boxes
				.nth(i)
				.locator('label', { hasText: /^\s*乙/ })
				.locator('input')
				.check();
		await page.getByRole('button', { name: '提交答案' }).click();
		await expect(page).toHaveURL(/\/quiz\?attempt=\d+$/);
		await expect(page.locator('.result .big')).toHaveText('100%');
	});

	test('without JavaScript the Markdown editor is a plain textarea that previews and saves', async ({ browser }) => {
		const context = await browser.newContext({ javaScriptEnabled: false, locale: 'zh-CN' });
		const page = await context.newPage();
		await signIn(page, 'trainer');
		await edit(page);
		await page.getByRole('button', { name: '开始草稿' }).click();
		await page.locator('ol.lessons > li').nth(1).getByRole('link', { name: '编辑中文' }).click();
		await expect(page.locator('.cm-content')).toHaveCount(0);
		await page.locator('#text').fill('---\ntitle: 更进一步\nminutes: 10\n---\n\n## 没有脚本也能写\n\n纯文本框。\n');
		await page.getByRole('button', { name: '预览' }).click();
		await expect(page.locator('.prose h2')).toHaveText('没有脚本也能写');
		await page.getByRole('button', { name: '保存' }).click();
		await expect(page.getByRole('status').filter({ hasText: '已保存' })).toBeVisible();
		await expect(page.locator('#text')).toHaveValue(/没有脚本也能写/);
		await edit(page);
		await page.getByRole('button', { name: '放弃草稿' }).click();
		await expect(page.getByText('目前没有正在编辑的修订')).toBeVisible();
		await context.close();
	});
});
