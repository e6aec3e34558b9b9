// A learner completes a course from the catalogue to a verified certificate, once with JavaScript and
// once without; plus the learner's own-attempts rule and the quiz form's guard against blank answers.
import { expect, test, type Page } from '@playwright/test';
import { answerQuiz, quizOf, signIn } from './learning-quiz';

/** The fields a browser would post for the quiz form as it stands. */
async function formFields(page: Page): Promise<URLSearchParams> {
	const params = new URLSearchParams();
	const inputs = page.locator('form[action="?/submit"] input');
	for (let i = 0; i < (await inputs.count()); i++) {
		const input = inputs.nth(i);
		const [type, name, value] = await Promise.all([input.getAttribute('type'), input.getAttribute('name'), input.getAttribute('value')]);
		if (!name) continue;
		if (type === 'radio' || type === 'checkbox') {
			if (await input.isChecked()) params.append(name, value ?? 'on');
		} else if (type === 'hidden') params.append(name, value ?? '');
		else params.append(name, await input.inputValue());
	}
	return params;
}

/** Signs in as someone else once the current page has settled (a late response would restore the old cookie). */
async function switchUser(page: Page, username: string) {
	await page.waitForLoadState('networkidle');
	await page.context().clearCookies();
	await signIn(page, username);
}

async function completeCourse(page: Page, opts: { search: string; title: string; slug: string; lessons: number }) {
	await page.goto('/courses');
	await page.getByLabel('课程名称').fill(opts.search);
	await page.getByRole('button', { name: '搜索' }).click();
	await expect(page).toHaveURL(/\/courses\?q=/);
	await expect(page.locator('.course-list > li')).toHaveCount(1);
	await page.getByRole('link', { name: opts.title }).click();
	await expect(page.getByRole('heading', { level: 1, name: opts.title })).toBeVisible();
	await expect(page.getByText(`已完成 0/${opts.lessons} 课`)).toBeVisible();

	await page.getByRole('button', { name: '开始学习' }).click();
	for (let i = 1; i <= opts.lessons; i++) {
		await expect(page.getByText(`第 ${i} 课，共 ${opts.lessons} 课`)).toBeVisible();
		await expect(page.locator('.prose h2').first()).toBeVisible();
		await page.getByRole('button', { name: '标记为已学完并继续' }).click();
	}
	// After the last lesson the quiz comes next.
	await expect(page).toHaveURL(new RegExp(`/courses/${opts.slug}/quiz$`));
	await expect(page.locator('[data-question]')).toHaveCount(0);
	await page.getByRole('button', { name: '开始测验' }).click();
	await expect(page.locator('[data-question]').first()).toBeVisible();
	const html = await page.content();
	for (const q of quizOf(opts.slug)) expect(html).not.toContain(q.explanation.slice(0, 30));

	const count = await answerQuiz(page, opts.slug);
	await page.getByRole('button', { name: '提交答案' }).click();
	await expect(page).toHaveURL(/\/quiz\?attempt=\d+$/);
	await expect(page.locator('.result .big')).toHaveText('100%');
	await expect(page.locator('.result .badge')).toHaveText('通过');
	await expect(page.locator('.explanation')).toHaveCount(count);
	await expect(page.getByText('课程已完成，学时已计入。')).toBeVisible();

	await page.getByRole('link', { name: '查看证书' }).first().click();
	await expect(page).toHaveURL(/\/certificates\/[a-z2-7]{16}$/);
	await expect(page.getByRole('heading', { level: 1, name: '结业证书' })).toBeVisible();
	await expect(page.locator('.course')).toHaveText(opts.title);
	await expect(page.locator('.holder')).toHaveText('林晓');
	const code = page.url().split('/').pop()!;

	// Anyone can verify it, signed in or not.
	await page.waitForLoadState('networkidle');
	await page.context().clearCookies();
	await page.goto(`/verify/${code}`);
	await expect(page.getByText('此证书真实有效。')).toBeVisible();
	await expect(page.locator('dl')).toContainText('林晓');
	await expect(page.locator('dl')).toContainText(opts.title);
	// Another person's certificate page itself stays private.
	await switchUser(page, 'G10001');
	expect((await page.goto(`/certificates/${code}`))?.status()).toBe(404);
	return code;
}

test.describe('learning with JavaScript', () => {
	test('a learner goes from the catalogue to a verified certificate', async ({ page }) => {
		await signIn(page, 'learner');
		const code = await completeCourse(page, { search: '数据辅助', title: '用数据辅助决策', slug: 'data-for-decisions', lessons: 4 });
		await switchUser(page, 'learner');
		await page.goto('/me');
		await expect(page.locator('section', { hasText: '我的证书' }).getByRole('link', { name: '用数据辅助决策' })).toHaveAttribute(
			'href',
			`/certificates/${code}`
		);
	});

	test('/me shows assigned courses with their status, hours and suggestions', async ({ page }) => {
		await signIn(page, 'learner');
		await page.goto('/me');
		const assigned = page.locator('section', { has: page.getByRole('heading', { name: '指派给我的课程' }) });
		await expect(assigned.getByRole('row', { name: /信息安全/ })).toContainText('已逾期');
		await expect(assigned.getByRole('row', { name: /线上线下/ })).toContainText('已完成');
		await expect(assigned.getByRole('row', { name: /智慧政府/ })).toContainText('学习中');
		await expect(page.getByRole('heading', { name: /年学时/ })).toBeVisible();
		await expect(page.getByRole('progressbar').first()).toBeVisible();
		await expect(page.getByRole('heading', { name: '为你推荐' })).toBeVisible();
		// "Continue" goes to the first unfinished lesson of the course in progress.
		await page
			.locator('section', { hasText: '继续上次的学习' })
			.getByRole('link', { name: /智慧政府/ })
			.click();
		await expect(page.getByText('第 3 课，共 4 课')).toBeVisible();
	});

	test("a blank answer is queried once, and a learner cannot open someone else's attempt", async ({ page }) => {
		await signIn(page, 'learner');
		await page.goto('/courses/open-government-data/quiz');
		await page.getByRole('button', { name: /开始测验|再次作答/ }).click();
		await expect(page.locator('[data-question]').first()).toBeVisible();
		await page.getByRole('button', { name: '提交答案' }).click();
		await expect(page.getByRole('alert')).toContainText('尚未作答');
		await answerQuiz(page, 'open-government-data', { wrongFirst: true });
		await page.getByRole('button', { name: '提交答案' }).click();
		await expect(page.getByRole('alert')).toHaveCount(0);
		await expect(page).toHaveURL(/\/quiz\?attempt=\d+$/);
		// 11 of 12: 91%, a pass; the wrong one is marked and explained.
		await expect(page.locator('.result .big')).toHaveText('91%');
		await expect(page.locator('.result .badge')).toHaveText('通过');
		await expect(page.locator('.questions .badge.bad', { hasText: '答错' })).toHaveCount(1);
		const url = page.url();
		await switchUser(page, 'G10002');
		expect((await page.goto(url))?.status()).toBe(404);
	});
});

test.describe('learning without JavaScript', () => {
	test.use({ javaScriptEnabled: false });

	test('a learner goes from the catalogue to a verified certificate', async ({ page }) => {
		await signIn(page, 'learner');
		await completeCourse(page, { search: '政务新媒体', title: '移动政务与政务新媒体', slug: 'mobile-new-media-government', lessons: 4 });
	});

	test('submitting the same attempt again (double click, retry, back button) records one attempt', async ({ page, baseURL }) => {
		await signIn(page, 'learner');
		await page.goto('/courses/responding-to-citizens/quiz');
		await page.getByRole('button', { name: '开始测验' }).click();
		await answerQuiz(page, 'responding-to-citizens');
		const posted = await formFields(page);
		await page.getByRole('button', { name: '提交答案' }).click();
		await expect(page).toHaveURL(/\/quiz\?attempt=\d+$/);
		const first = page.url();
		// The browser sends the very same form again.
		const again = await page.request.post('/courses/responding-to-citizens/quiz?/submit', {
			headers: { origin: baseURL!, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
			data: posted.toString()
		});
		expect(again.url()).toBe(first);
		await page.goBack();
		await expect(page.locator('[data-question]')).toHaveCount(0);
		await page.goto('/courses/responding-to-citizens/quiz');
		await expect(page.locator('.history tbody tr')).toHaveCount(1);
		await expect(page.getByText('今年已作答 1 次，共 3 次')).toBeVisible();
	});
});
