// Every page of the app, found from src/routes, with a concrete URL on the demo organisation and the
// roles that can see it. The accessibility sweep and the coverage check both read this list, so a new
// page without an entry here fails the suite instead of going unchecked.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { signIn, useLanguage } from './helpers';

export type Role = 'anonymous' | 'learner' | 'trainer' | 'hr' | 'hr-east' | 'admin';
export type Lang = 'zh-CN' | 'en';
export const LANGS: Lang[] = ['zh-CN', 'en'];
/** Each role is one demo account; every account also holds the learner role. */
export const ROLES: Role[] = ['anonymous', 'learner', 'trainer', 'hr', 'hr-east', 'admin'];

const SIGNED_IN: Role[] = ['learner', 'trainer', 'hr', 'hr-east', 'admin'];
const STUDIO: Role[] = ['trainer', 'admin'];
const INSIGHTS: Role[] = ['hr', 'hr-east'];
const ADMIN: Role[] = ['admin'];

export type Resolver = (ctx: { page: Page; browser: Browser; baseURL: string }) => Promise<string>;

export interface PageCase {
	/** SvelteKit route id, e.g. /(learner)/courses/[course]. */
	route: string;
	/** What this case shows, when one route has several states. */
	label?: string;
	roles: Role[];
	/** A path, or a function that finds one on the running app. */
	url: string | Resolver;
	/** The HTTP status the page answers with (error pages). */
	status?: number;
}

/** Routes with a +page file that never render (they redirect or only take a POST). */
export const NOT_PAGES = new Set(['/', '/locale', '/(public)/logout']);

/** The href of the first link on `from` matching `selector` (so ids and codes come from the live data). */
function firstLink(from: string, selector: string): Resolver {
	return follow(from, selector);
}

/** From `from`, follows the first link matching each selector in turn; the last one's href. */
function follow(from: string, ...selectors: string[]): Resolver {
	return async ({ page }) => {
		let url = from;
		for (const selector of selectors) {
			await page.goto(url);
			const link = page.locator(selector).first();
			await expect(link, `a link ${selector} on ${url}`).toBeAttached();
			const href = new URL((await link.getAttribute('href'))!, page.url());
			url = href.pathname + href.search;
		}
		return url;
	};
}

export const COURSE = 'smart-government-basics';
export const LESSON = 'from-e-government';

export const PAGES: PageCase[] = [
	{ route: '/(public)/login', roles: ['anonymous'], url: '/login' },
	{ route: '/(public)/verify', roles: ['anonymous', 'learner'], url: '/verify' },
	{ route: '/(public)/verify', label: 'malformed code', roles: ['anonymous'], url: '/verify?code=%3F%3F' },
	{ route: '/(public)/verify/[code]', label: 'unknown code', roles: ['anonymous'], url: '/verify/nope', status: 404 },
	{
		route: '/(public)/verify/[code]',
		roles: ['anonymous'],
		url: firstLinkAs('learner', '/me', 'a[href^="/certificates/"]', (href) => href.replace('/certificates/', '/verify/'))
	},
	{ route: '/(public)/certificates/[code]', roles: ['learner'], url: firstLink('/me', 'a[href^="/certificates/"]') },
	{ route: '/(public)/activate/[token]', label: 'unknown link', roles: ['anonymous'], url: '/activate/not-a-real-token' },
	{ route: '/(public)/password-reset', roles: ['anonymous'], url: '/password-reset' },
	{ route: '/(public)/password-reset/[token]', label: 'unknown link', roles: ['anonymous'], url: '/password-reset/not-a-real-token' },
	{ route: '/+error', label: '404', roles: ['anonymous', 'learner'], url: '/no-such-page', status: 404 },
	{ route: '/+error', label: '403', roles: ['learner'], url: '/admin', status: 403 },

	{ route: '/(learner)/me', roles: SIGNED_IN, url: '/me' },
	{ route: '/(learner)/account', roles: SIGNED_IN, url: '/account' },
	{ route: '/(learner)/inbox', roles: SIGNED_IN, url: '/inbox' },
	{ route: '/(learner)/inbox/[id]', roles: ['learner'], url: firstLink('/inbox', 'main a[href^="/inbox/"]') },
	{ route: '/(learner)/courses', roles: SIGNED_IN, url: '/courses' },
	{ route: '/(learner)/courses', label: 'no match', roles: ['learner'], url: '/courses?q=zzzz-nothing' },
	{ route: '/(learner)/courses/[course]', roles: SIGNED_IN, url: `/courses/${COURSE}` },
	{ route: '/(learner)/courses/[course]/[lesson]', roles: SIGNED_IN, url: `/courses/${COURSE}/${LESSON}` },
	{ route: '/(learner)/courses/[course]/quiz', roles: SIGNED_IN, url: `/courses/${COURSE}/quiz` },
	{
		route: '/(learner)/courses/[course]/quiz',
		label: 'result',
		roles: ['learner'],
		url: firstLink('/courses/integrated-service/quiz', '.history a[href*="attempt="]')
	},

	{ route: '/(studio)/studio', roles: STUDIO, url: '/studio' },
	{ route: '/(studio)/studio/courses/[course]', roles: STUDIO, url: `/studio/courses/${COURSE}` },
	{ route: '/(studio)/studio/courses/[course]', label: 'draft', roles: ['trainer'], url: '/studio/courses/draft-ai-assistants' },
	{ route: '/(studio)/studio/courses/[course]/lessons/[lesson]', roles: STUDIO, url: `/studio/courses/${COURSE}/lessons/${LESSON}` },
	{ route: '/(studio)/studio/courses/[course]/quiz', roles: STUDIO, url: `/studio/courses/${COURSE}/quiz` },
	{ route: '/(studio)/studio/courses/[course]/analysis', roles: STUDIO, url: `/studio/courses/${COURSE}/analysis` },
	{ route: '/(studio)/studio/assignments', roles: STUDIO, url: '/studio/assignments' },
	{
		route: '/(studio)/studio/assignments/[id]',
		roles: STUDIO,
		url: firstLink('/studio/assignments', 'main a[href^="/studio/assignments/"]:not([href*="?"])')
	},
	{ route: '/(studio)/studio/import', roles: STUDIO, url: '/studio/import' },
	{ route: '/(studio)/studio/edit', roles: STUDIO, url: '/studio/edit' },
	{ route: '/(studio)/studio/edit/[course]', roles: STUDIO, url: `/studio/edit/${COURSE}` },
	{
		route: '/(studio)/studio/edit/[course]/file/[name]',
		roles: STUDIO,
		url: draftFile('ai-assistants-at-work')
	},
	{ route: '/(studio)/studio/edit/[course]/diff', roles: STUDIO, url: `/studio/edit/${COURSE}/diff?from=1&to=1` },

	{ route: '/(insights)/insights', roles: INSIGHTS, url: '/insights' },
	{ route: '/(insights)/insights/completion', roles: INSIGHTS, url: '/insights/completion' },
	{ route: '/(insights)/insights/skills', roles: INSIGHTS, url: '/insights/skills' },
	{ route: '/(insights)/insights/trend', roles: INSIGHTS, url: '/insights/trend' },
	{
		route: '/(insights)/insights/departments/[id]',
		roles: INSIGHTS,
		url: firstLink('/insights/completion', 'main a[href^="/insights/departments/"]')
	},
	{
		route: '/(insights)/insights/people/[id]',
		roles: INSIGHTS,
		url: follow('/insights/completion', 'main a[href^="/insights/departments/"]', 'main a[href^="/insights/people/"]')
	},
	{
		route: '/(insights)/insights/skills/[department]/[competency]',
		roles: INSIGHTS,
		url: firstLink('/insights/skills', 'main td a[href^="/insights/skills/"]')
	},

	{ route: '/(admin)/admin', roles: ADMIN, url: '/admin' },
	{ route: '/(admin)/admin/users', roles: ADMIN, url: '/admin/users' },
	{ route: '/(admin)/admin/users', label: 'no match', roles: ADMIN, url: '/admin/users?q=zzzz-nobody' },
	{ route: '/(admin)/admin/users/new', roles: ADMIN, url: '/admin/users/new' },
	{ route: '/(admin)/admin/users/[id]', roles: ADMIN, url: firstLink('/admin/users', 'main a[href^="/admin/users/"]:not([href$="/new"])') },
	{ route: '/(admin)/admin/departments', roles: ADMIN, url: '/admin/departments' },
	{ route: '/(admin)/admin/departments/[id]', roles: ADMIN, url: firstLink('/admin/departments', 'main a[href^="/admin/departments/"]') },
	{ route: '/(admin)/admin/import', roles: ADMIN, url: '/admin/import' },
	{
		route: '/(admin)/admin/import/[id]',
		label: 'preview with errors',
		roles: ADMIN,
		url: uploadStaff('tests/fixtures/import/staff-errors.csv')
	},
	{ route: '/(admin)/admin/audit', roles: ADMIN, url: '/admin/audit' },
	{ route: '/(admin)/admin/outbox', roles: ADMIN, url: '/admin/outbox' },
	{ route: '/(admin)/admin/sign-in', roles: ADMIN, url: '/admin/sign-in' }
];

/** A file of the course's open draft in the editor (the draft is started first if there is none). */
function draftFile(course: string): Resolver {
	return async (ctx) => {
		await ctx.page.goto(`/studio/edit/${course}`);
		const start = ctx.page.locator('main form[action="?/start"] button');
		if (await start.count()) {
			await start.click();
			await expect(ctx.page.locator('main a[href*="/file/"]').first()).toBeAttached();
		}
		return firstLink(`/studio/edit/${course}`, 'main a[href*="/file/"]')(ctx);
	};
}

/** Uploads a staff file for preview (nothing is applied) and returns the preview page. */
function uploadStaff(file: string): Resolver {
	return async ({ page }) => {
		await page.goto('/admin/import');
		await page.locator('#file').setInputFiles(file);
		await page.locator('main form button.primary').first().click();
		await expect(page).toHaveURL(/\/admin\/import\/\d+$/);
		return new URL(page.url()).pathname;
	};
}

/** Like firstLink, but looked up as another user in a throwaway context (e.g. a code only its holder sees). */
function firstLinkAs(role: Role, from: string, selector: string, map: (href: string) => string): Resolver {
	return async ({ browser, baseURL }) => {
		const context = await browser.newContext({ baseURL, locale: 'zh-CN' });
		try {
			const other = await context.newPage();
			await signIn(other, role);
			return map(await firstLink(from, selector)({ page: other, browser, baseURL }));
		} finally {
			await context.close();
		}
	};
}

/** Route ids of every +page.svelte under src/routes. */
export function pageRoutes(root = 'src/routes'): string[] {
	const found: string[] = [];
	const walk = (dir: string) => {
		for (const name of readdirSync(dir)) {
			const full = path.join(dir, name);
			if (statSync(full).isDirectory()) walk(full);
			else if (name === '+page.svelte') found.push('/' + path.relative(root, dir).split(path.sep).join('/'));
		}
	};
	walk(root);
	// [id=id] is the route [id] with a param matcher: pages are named by their parameters.
	return found.map((r) => (r === '/' ? '/' : r.replace(/\/$/, '')).replace(/\[([^=\]]+)=[^\]]+\]/g, '[$1]')).sort();
}

/** Signs `context` in as `role` in `lang` (the language cookie is what a saved choice becomes at sign-in). */
export async function enter(context: BrowserContext, page: Page, role: Role, lang: Lang, origin: string): Promise<void> {
	await context.clearCookies();
	if (role !== 'anonymous') await signIn(page, role);
	// Signing in writes the account's saved language (if any) as a cookie: this replaces every copy of it.
	await useLanguage(page, lang, origin);
}
