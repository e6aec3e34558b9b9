// Page weight on the production build: every learner page loads at most 60 KB of gzipped JavaScript
// on a cold cache (everything it fetches until the network is quiet, hydration included), downloads
// no fonts, and gives every image its size so nothing jumps while it arrives.
import { gzipSync } from 'node:zlib';
import { expect, test, type Browser } from '@playwright/test';
import { signIn } from './helpers';
import { PAGES, pageRoutes } from './experience-pages';

const BUDGET = 60 * 1024;
const LEARNER_ROUTE = /^\/\((learner|public)\)\//;

/** The learner's (or a visitor's) view of every page of the learner area. */
const cases = PAGES.filter(
	(p) => LEARNER_ROUTE.test(p.route) && (p.roles.includes('learner') || p.roles.includes('anonymous')) && !p.status
);

async function measure(
	browser: Browser,
	baseURL: string,
	storageState: Awaited<ReturnType<import('@playwright/test').BrowserContext['storageState']>> | undefined,
	url: string
) {
	const context = await browser.newContext({ baseURL, storageState, locale: 'zh-CN' });
	const page = await context.newPage();
	const scripts = new Map<string, number>();
	const fonts: string[] = [];
	const css: string[] = [];
	const pending: Promise<void>[] = [];
	page.on('response', (response) => {
		const type = response.request().resourceType();
		const u = new URL(response.url());
		if (type === 'font' || /\.(woff2?|ttf|otf|eot)$/.test(u.pathname)) fonts.push(u.pathname);
		if (type === 'script' || u.pathname.endsWith('.js'))
			pending.push(response.body().then((b) => void scripts.set(u.pathname, gzipSync(b).length)));
		if (type === 'stylesheet') pending.push(response.text().then((t) => void css.push(t)));
	});
	const response = await page.goto(url, { waitUntil: 'networkidle' });
	expect(response?.status(), url).toBe(200);
	await Promise.all(pending);
	const images = await page.locator('main img').count();
	const unsized = await page
		.locator('img')
		.evaluateAll((imgs) =>
			imgs.filter((img) => !img.getAttribute('width') || !img.getAttribute('height')).map((img) => img.getAttribute('src'))
		);
	const inlineFonts = (await page.content()).includes('@font-face') || css.some((t) => t.includes('@font-face'));
	await context.close();
	return { total: [...scripts.values()].reduce((a, b) => a + b, 0), files: scripts.size, fonts, unsized, inlineFonts, images };
}

test('every learner page ships at most 60 KB of gzipped JavaScript, no fonts, sized images', async ({ page, browser, baseURL }) => {
	test.setTimeout(240_000);
	const learnerRoutes = pageRoutes().filter((r) => LEARNER_ROUTE.test(r) && r !== '/(public)/logout');
	expect(learnerRoutes.filter((r) => !cases.some((c) => c.route === r) && !PAGES.some((p) => p.route === r && p.status))).toEqual([]);

	await signIn(page, 'learner');
	const signedIn = await page.context().storageState();
	const rows: { page: string; kb: number; files: number }[] = [];
	const problems: string[] = [];
	for (const item of cases) {
		const anonymous = !item.roles.includes('learner');
		const url = typeof item.url === 'string' ? item.url : await item.url({ page, browser, baseURL: baseURL! });
		const m = await measure(browser, baseURL!, anonymous ? undefined : signedIn, url);
		const name = `${item.route.replace(LEARNER_ROUTE, '/')}${item.label ? ` (${item.label})` : ''}`;
		rows.push({ page: name, kb: Math.round((m.total / 1024) * 10) / 10, files: m.files });
		if (m.total > BUDGET) problems.push(`${name}: ${(m.total / 1024).toFixed(1)} KB of gzipped JavaScript (budget 60 KB)`);
		if (m.fonts.length || m.inlineFonts) problems.push(`${name}: downloads fonts ${m.fonts.join(', ')}`);
		if (m.unsized.length) problems.push(`${name}: images without width/height ${m.unsized.join(', ')}`);
	}
	const lessonWithImage = await measure(browser, baseURL!, signedIn, '/courses/smart-government-basics/from-e-government');
	expect(lessonWithImage.images, 'the lesson has a figure').toBeGreaterThan(0);
	if (lessonWithImage.unsized.length)
		problems.push(`lesson with a figure: images without width/height ${lessonWithImage.unsized.join(', ')}`);

	const table = rows.map((r) => `${r.page.padEnd(44)} ${String(r.kb).padStart(5)} KB  (${r.files} files)`).join('\n');
	console.log(`gzipped JavaScript per learner page, cold cache:\n${table}`);
	test.info().annotations.push({ type: 'js-weight', description: JSON.stringify(rows) });
	expect(rows.length).toBeGreaterThanOrEqual(8);
	expect(problems).toEqual([]);
});
