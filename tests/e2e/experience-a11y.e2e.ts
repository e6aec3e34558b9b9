// WCAG 2.2 AA on every page, for every role that can see it, in both languages: axe finds no serious
// or critical violation, the page is in the language asked for, and its headings form an outline
// (one h1, no skipped levels).
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { enter, LANGS, NOT_PAGES, PAGES, pageRoutes, ROLES, type PageCase } from './experience-pages';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

interface Problem {
	url: string;
	what: string;
}

/** One h1, and each heading at most one level below the one before it. */
async function headingProblems(page: Page): Promise<string[]> {
	const levels = await page
		.locator('main h1, main h2, main h3, main h4, main h5, main h6')
		.evaluateAll((els) =>
			els
				.filter((el) => (el as HTMLElement).offsetParent !== null || getComputedStyle(el).position === 'fixed')
				.map((el) => Number(el.tagName[1]))
		);
	const problems: string[] = [];
	const h1s = levels.filter((l) => l === 1).length;
	if (h1s !== 1) problems.push(`${h1s} h1 elements`);
	if (levels[0] !== undefined && levels[0] !== 1) problems.push(`first heading is h${levels[0]}`);
	levels.forEach((level, i) => {
		if (i > 0 && level > levels[i - 1] + 1) problems.push(`h${levels[i - 1]} followed by h${level}`);
	});
	return problems;
}

async function check(page: Page, item: PageCase, url: string, lang: string): Promise<Problem[]> {
	const response = await page.goto(url);
	const problems: Problem[] = [];
	const where = `${url}${item.label ? ` (${item.label})` : ''}`;
	const status = response?.status() ?? 0;
	if (status !== (item.status ?? 200)) problems.push({ url: where, what: `HTTP ${status}` });
	const htmlLang = await page.locator('html').getAttribute('lang');
	if (htmlLang !== lang)
		problems.push({ url: where, what: `html lang="${htmlLang}" (cookies: ${await page.evaluate(() => document.cookie)})` });
	for (const what of await headingProblems(page)) problems.push({ url: where, what });
	const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
	for (const v of results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')) {
		const targets = v.nodes
			.slice(0, 3)
			.map((n) => n.target.join(' '))
			.join(' | ');
		problems.push({ url: where, what: `${v.impact} ${v.id}: ${v.help} — ${targets}` });
	}
	return problems;
}

test.describe('accessibility', () => {
	test('every page is in the sweep', () => {
		const covered = new Set(PAGES.map((p) => p.route));
		expect(pageRoutes().filter((r) => !NOT_PAGES.has(r) && !covered.has(r))).toEqual([]);
	});

	const existing = new Set(pageRoutes());
	const cases = PAGES.filter((p) => p.route === '/+error' || existing.has(p.route));

	for (const lang of LANGS) {
		for (const role of ROLES) {
			const mine = cases.filter((c) => c.roles.includes(role));
			if (!mine.length) continue;
			test(`axe: ${role}, ${lang} (${mine.length} pages)`, async ({ page, context, browser, baseURL }) => {
				test.setTimeout(60_000 + mine.length * 20_000);
				await enter(context, page, role, lang, baseURL!);
				const problems: Problem[] = [];
				for (const item of mine) {
					const url = typeof item.url === 'string' ? item.url : await item.url({ page, browser, baseURL: baseURL! });
					problems.push(...(await check(page, item, url, lang)));
				}
				test
					.info()
					.annotations.push({ type: 'pages', description: mine.map((m) => m.route + (m.label ? ` (${m.label})` : '')).join(', ') });
				expect(problems).toEqual([]);
			});
		}
	}
});
