// The core path with a keyboard only (skip link, visible focus, labelled fields, errors announced,
// headings in order), and its error paths without JavaScript.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { DEMO_PASSWORD, signIn } from './helpers';

const COURSE = 'information-security';

/**
 * A generated staff account that has not yet tried this course's quiz this year, found over HTTP (the
 * demo history is random; the scripted demo learner and the accounts other suites use are left alone).
 */
async function freshStaff(
	playwright: { request: { newContext: (o: { baseURL: string }) => Promise<APIRequestContext> } },
	baseURL: string,
	course: string,
	from: number
): Promise<string> {
	for (let n = from; n < from + 60; n++) {
		const username = `G${n}`;
		const request = await playwright.request.newContext({ baseURL });
		try {
			const login = await request.post('/login', {
				form: { username, password: DEMO_PASSWORD },
				headers: { origin: baseURL, accept: 'text/html' },
				maxRedirects: 0
			});
			if (login.status() !== 303) continue;
			const quiz = await (await request.get(`/courses/${course}/quiz`)).text();
			const overview = await (await request.get(`/courses/${course}`)).text();
			if (quiz.includes('今年已作答 0 次') && overview.includes('已完成 0/')) return username;
		} finally {
			await request.dispose();
		}
	}
	throw new Error('no staff account without an attempt on the course');
}

interface Focus {
	tag: string;
	type: string | null;
	name: string | null;
	text: string;
	href: string | null;
	inQuestion: string | null;
	visible: boolean;
}

/** What has focus, and whether the focus is drawn (an outline or a ring). */
async function focused(page: Page): Promise<Focus> {
	return page.evaluate(() => {
		const el = document.activeElement as HTMLElement | null;
		const style = el ? getComputedStyle(el) : null;
		const outline = style ? style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0 : false;
		const ring = style ? style.boxShadow !== 'none' : false;
		return {
			tag: el?.tagName.toLowerCase() ?? '',
			type: el?.getAttribute('type') ?? null,
			name: el?.getAttribute('name') ?? null,
			text: (el?.textContent ?? '').trim(),
			href: el?.getAttribute('href') ?? null,
			inQuestion: el?.closest('[data-question]')?.getAttribute('data-question') ?? null,
			visible: Boolean(el && el !== document.body && (outline || ring))
		};
	});
}

/** Presses Tab until `match` holds for the focused element; every stop on the way must show its focus. */
async function tabTo(page: Page, match: (f: Focus) => boolean, what: string, limit = 80): Promise<Focus> {
	for (let i = 0; i < limit; i++) {
		await page.keyboard.press('Tab');
		const f = await focused(page);
		if (f.tag && f.tag !== 'body') expect(f.visible, `focus visible on <${f.tag}> ${f.text || f.name || f.href || ''}`).toBe(true);
		if (match(f)) return f;
	}
	throw new Error(`Tab never reached ${what}`);
}

/** One h1 and no skipped heading levels in the main content. */
async function expectHeadingOutline(page: Page): Promise<void> {
	const levels = await page.locator('main :is(h1, h2, h3, h4, h5, h6)').evaluateAll((els) => els.map((el) => Number(el.tagName[1])));
	expect(levels.filter((l) => l === 1)).toHaveLength(1);
	expect(levels[0]).toBe(1);
	for (let i = 1; i < levels.length; i++)
		expect(levels[i], `heading h${levels[i]} after h${levels[i - 1]}`).toBeLessThanOrEqual(levels[i - 1] + 1);
}

async function expectNoSeriousAxe(page: Page): Promise<void> {
	const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
	expect(
		results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes[0]?.target}`)
	).toEqual([]);
}

test.describe('keyboard only', () => {
	test('sign in → lesson → quiz → result, with a skip link, visible focus and announced errors', async ({ page, baseURL, playwright }) => {
		test.setTimeout(180_000);
		const username = await freshStaff(playwright, baseURL!, COURSE, 10_200);

		await page.goto('/login');
		await expectHeadingOutline(page);
		// The skip link is the first stop, shows itself, and lands on the content.
		await page.keyboard.press('Tab');
		const skip = page.locator('.skip-link');
		await expect(skip).toBeFocused();
		await expect(skip).toBeInViewport();
		expect((await focused(page)).visible).toBe(true);
		await page.keyboard.press('Enter');
		await expect(page.locator('main')).toBeFocused();

		// A wrong password: the error is announced and tied to the field.
		await tabTo(page, (f) => f.name === 'username', 'the username field');
		await expect(page.getByLabel('工号')).toBeFocused();
		await page.keyboard.type(username);
		await tabTo(page, (f) => f.name === 'password', 'the password field');
		await expect(page.getByLabel('密码')).toBeFocused();
		await page.keyboard.type('not-the-password');
		await page.keyboard.press('Enter');
		await expect(page.getByRole('alert')).toHaveText('工号或密码不正确。');
		await expect(page.locator('#username')).toHaveAttribute('aria-invalid', 'true');
		await expect(page.locator('#username')).toHaveAccessibleDescription('工号或密码不正确。');

		await page.locator('#password').focus();
		await page.keyboard.press('ControlOrMeta+A');
		await page.keyboard.type(DEMO_PASSWORD);
		await page.keyboard.press('Enter');
		await expect(page).toHaveURL(/\/me$/);
		await expectHeadingOutline(page);

		// Catalogue → course → first lesson.
		await tabTo(page, (f) => f.href === '/courses', 'the catalogue link');
		await page.keyboard.press('Enter');
		await expect(page).toHaveURL(/\/courses$/);
		await expectHeadingOutline(page);
		await tabTo(page, (f) => f.href === `/courses/${COURSE}`, 'the course link', 200);
		await page.keyboard.press('Enter');
		await expect(page).toHaveURL(new RegExp(`/courses/${COURSE}$`));
		await expectHeadingOutline(page);
		await tabTo(page, (f) => f.tag === 'button' && f.text === '开始学习', 'the start button');
		await page.keyboard.press('Enter');
		await expect(page.getByText(/^第 1 课，共 \d 课/)).toBeVisible();
		await expectHeadingOutline(page);
		await tabTo(page, (f) => f.tag === 'button' && f.text === '标记为已学完并继续', 'the lesson done button', 300);
		await page.keyboard.press('Enter');
		await expect(page.getByText(/^第 2 课，共 \d 课/)).toBeVisible();

		// Back to the course by the breadcrumb, then the quiz.
		await tabTo(page, (f) => f.href === `/courses/${COURSE}`, 'the breadcrumb');
		await page.keyboard.press('Enter');
		await expect(page).toHaveURL(new RegExp(`/courses/${COURSE}$`));
		await tabTo(page, (f) => f.href === `/courses/${COURSE}/quiz`, 'the quiz link');
		await page.keyboard.press('Enter');
		await expect(page).toHaveURL(new RegExp(`/courses/${COURSE}/quiz$`));
		await tabTo(page, (f) => f.tag === 'button' && f.text === '开始测验', 'the start quiz button');
		await page.keyboard.press('Enter');
		const questions = page.locator('[data-question]');
		await expect(questions.first()).toBeVisible();
		await expectHeadingOutline(page);
		await expectNoSeriousAxe(page);
		// Every answer control has a name a screen reader reads out.
		for (const input of await page.locator('[data-question] input').all()) await expect(input).toHaveAccessibleName(/\S/);

		// Submitting with nothing answered: the problem is announced, nothing is graded.
		await tabTo(page, (f) => f.tag === 'button' && f.text === '提交答案', 'the submit button', 400);
		await page.keyboard.press('Enter');
		await expect(page.getByRole('alert')).toContainText('尚未作答');
		await expect(page).toHaveURL(/\/quiz$/);

		// Answer every question from the keyboard: Space picks the focused choice, typing fills a blank.
		const total = await questions.count();
		const answered = new Set<string>();
		for (let i = 0; i < 600 && answered.size < total; i++) {
			await page.keyboard.press('Tab');
			const f = await focused(page);
			if (f.tag !== 'body') expect(f.visible, `focus visible on <${f.tag}> ${f.name ?? ''}`).toBe(true);
			if (!f.inQuestion || answered.has(f.inQuestion)) continue;
			if (f.tag === 'input' && (f.type === 'radio' || f.type === 'checkbox')) await page.keyboard.press('Space');
			else if (f.tag === 'input') await page.keyboard.type('12345');
			else continue;
			answered.add(f.inQuestion);
		}
		expect(answered.size).toBe(total);
		await tabTo(page, (f) => f.tag === 'button' && f.text === '提交答案', 'the submit button');
		await page.keyboard.press('Enter');

		// The result: score, pass or fail in words, and a review of every question.
		await expect(page).toHaveURL(/\/quiz\?attempt=\d+$/);
		await expect(page.getByRole('heading', { level: 2, name: /第 1 次作答/ })).toBeVisible();
		await expect(page.locator('.result .badge')).toHaveText(/通过|未通过/);
		await expect(page.locator('.explanation')).toHaveCount(total);
		await expectHeadingOutline(page);
		await expectNoSeriousAxe(page);
	});
});

test.describe('without JavaScript', () => {
	test.use({ javaScriptEnabled: false });

	test('a wrong password and a blank quiz are explained; the language switch works', async ({ page, baseURL, playwright }) => {
		const username = await freshStaff(playwright, baseURL!, 'data-for-decisions', 10_260);
		await page.goto('/login');
		await page.locator('#username').fill('learner');
		await page.locator('#password').fill('wrong-password');
		await page.locator('form button.primary').click();
		await expect(page.getByRole('alert')).toHaveText('工号或密码不正确。');
		await expect(page.locator('#username')).toHaveValue('learner');

		await page.getByRole('button', { name: 'English' }).click();
		await expect(page.locator('html')).toHaveAttribute('lang', 'en');
		await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
		await page.getByRole('button', { name: '中文' }).click();
		await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');

		await signIn(page, username);
		await page.goto('/courses/data-for-decisions/quiz');
		await page.getByRole('button', { name: '开始测验' }).click();
		await expect(page.locator('[data-question]').first()).toBeVisible();
		await page.getByRole('button', { name: '提交答案' }).click();
		await expect(page.getByRole('alert')).toContainText('尚未作答');
		await expect(page.locator('[data-question]').first()).toBeVisible();
	});
});
