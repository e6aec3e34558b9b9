// The README's screenshots, taken from the running demo: learner home, a lesson, a quiz result, the
// skill-gap heatmap and the studio, each on a desktop (1280 wide) and a phone (390 wide), in Chinese.
// Without Chinese fonts installed (some CI images) the pictures are poorer but the step still passes.
import { mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { signIn } from './helpers';
import { PAGES, type Role } from './experience-pages';

const OUT = path.resolve('docs/screenshots');
const SIZES = [
	{ name: 'desktop', width: 1280, height: 800 },
	{ name: 'phone', width: 390, height: 844 }
] as const;

interface Shot {
	name: string;
	user: string;
	url: string | ((page: Page) => Promise<string>);
	/** Scrolled into view before the picture (the part of the page the README is about). */
	show?: string;
}

const SHOTS: Shot[] = [
	{ name: 'learner-home', user: 'learner', url: '/me' },
	{ name: 'lesson', user: 'learner', url: '/courses/smart-government-basics/from-e-government' },
	{
		name: 'quiz-result',
		user: 'learner',
		url: async (page) => {
			await page.goto('/courses/integrated-service/quiz');
			const href = new URL((await page.locator('.history a[href*="attempt="]').first().getAttribute('href'))!, page.url());
			return href.pathname + href.search;
		}
	},
	{ name: 'heatmap', user: 'hr', url: '/insights/skills', show: 'main table' },
	{ name: 'studio', user: 'trainer', url: '/studio' }
];

test.describe('README screenshots', () => {
	test.beforeAll(() => mkdirSync(OUT, { recursive: true }));

	for (const shot of SHOTS) {
		test(shot.name, async ({ browser, baseURL }) => {
			for (const size of SIZES) {
				const context = await browser.newContext({
					baseURL,
					locale: 'zh-CN',
					viewport: { width: size.width, height: size.height },
					deviceScaleFactor: 1
				});
				const page = await context.newPage();
				await signIn(page, shot.user);
				const url = typeof shot.url === 'string' ? shot.url : await shot.url(page);
				const response = await page.goto(url, { waitUntil: 'networkidle' });
				expect(response?.status(), url).toBe(200);
				await expect(page.locator('main h1')).toBeVisible();
				// Nothing wider than the screen: the layout holds down to a phone.
				const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
				expect(overflow, `${shot.name} at ${size.width} px scrolls sideways`).toBeLessThanOrEqual(0);
				if (shot.show)
					await page
						.locator(shot.show)
						.first()
						.evaluate((el) => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 140));
				const file = path.join(OUT, `${shot.name}-${size.name}.png`);
				await page.screenshot({ path: file, animations: 'disabled', caret: 'hide' });
				expect(statSync(file).size).toBeGreaterThan(5_000);
				await context.close();
			}
		});
	}
});

test('every page fits a 360 px wide phone without scrolling sideways, and passes axe there too', async ({ browser, baseURL }) => {
	test.setTimeout(300_000);
	const wide: string[] = [];
	const byRole = new Map<Role, typeof PAGES>();
	for (const item of PAGES) {
		const role = item.roles.includes('learner') ? 'learner' : item.roles[0];
		byRole.set(role, [...(byRole.get(role) ?? []), item]);
	}
	for (const [role, items] of byRole) {
		const context = await browser.newContext({ baseURL, locale: 'zh-CN', viewport: { width: 360, height: 740 } });
		const page = await context.newPage();
		if (role !== 'anonymous') await signIn(page, role);
		for (const item of items) {
			const url = typeof item.url === 'string' ? item.url : await item.url({ page, browser, baseURL: baseURL! });
			const response = await page.goto(url);
			if (response?.status() !== (item.status ?? 200)) continue; // pages not built yet are the sweep's business
			const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
			if (overflow > 0) wide.push(`${url} (${role}): ${overflow} px too wide`);
			// On a phone, wide tables scroll: the scrolling region must be reachable from the keyboard.
			const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
			for (const v of axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'))
				wide.push(
					`${url} (${role}): ${v.id} ${v.nodes
						.slice(0, 2)
						.map((n) => n.target.join(' '))
						.join(' | ')}`
				);
		}
		await context.close();
	}
	expect(wide).toEqual([]);
});
