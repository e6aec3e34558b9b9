// Links and images in every place Markdown is rendered: lessons (renderLesson, the runtime pipeline with
// the remark plugins), stems, options and explanations (markdownHtml / inlineHtml: learner view, results, studio
// previews) and GIFT conversions. Hostile URLs come out inert; the links courses use survive.
import fc from 'fast-check';
import type { Element, Root as HastRoot } from 'hast';
import rehypeParse from 'rehype-parse';
import { unified } from 'unified';
import { describe, expect, it } from 'vitest';
import { inlineHtml, markdownHtml, renderLesson } from '../../src/lib/server/content/index';
import { safeUrl } from '../../src/lib/server/content/safe-links.js';
import { convertGift } from '../../src/lib/server/quiz/gift';
import { parseQuiz } from '../../src/lib/server/quiz/parse';
import { fuzzRuns } from './fuzz-runs';

/** Hostile URLs as Markdown can carry them (character references are decoded by the Markdown parser). */
const HOSTILE = [
	'javascript:alert(1)',
	'JAVASCRIPT:alert(1)',
	'JaVaScRiPt:alert(1)',
	'&#106;avascript:alert(1)',
	'&#x6A;avascript:alert(1)',
	'javascript&#58;alert(1)',
	'javascript&colon;alert(1)',
	'java&#x09;script:alert(1)',
	'java&#10;script:alert(1)',
	'&#x01;javascript:alert(1)',
	'&#32;javascript:alert(1)',
	'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
	'DATA:image/svg+xml,%3Csvg%20onload%3Dalert(1)%3E',
	'vbscript:msgbox(1)',
	'VBScript:msgbox(1)'
];
const SAFE_LINKS = [
	'https://example.gov/guide',
	'http://example.gov',
	'mailto:help@example.gov',
	'/courses/online-service/quiz',
	'../open-data/publishing',
	'#step-2',
	'quiz'
];

/** Every URL-bearing attribute of the HTML, as the browser reads it (entities decoded by the HTML parser). */
function urls(html: string): { name: string; tag: string; value: string }[] {
	const tree = unified().use(rehypeParse, { fragment: true }).parse(html) as HastRoot;
	const found: { name: string; tag: string; value: string }[] = [];
	const walk = (node: HastRoot | Element) => {
		for (const child of node.children) {
			if (child.type !== 'element') continue;
			for (const [name, value] of Object.entries(child.properties ?? {}))
				if (/^(href|src|srcSet|action|formAction|xLinkHref|poster|data|cite|background|ping)$/i.test(name))
					found.push({ name, tag: child.tagName, value: String(value) });
			walk(child);
		}
	};
	walk(tree);
	return found;
}

/** What a browser would run or load from another origin: a script or data scheme, or any scheme for an image. */
function dangerous(u: { name: string; value: string }): boolean {
	// eslint-disable-next-line no-control-regex
	const v = u.value.replace(/[\u0000-\u0020\u007f-\u00a0]/g, '').toLowerCase();
	if (/^(javascript|data|vbscript):/.test(v)) return true;
	return /^src/i.test(u.name) && (/^[a-z][a-z0-9+.-]*:/.test(v) || v.startsWith('//'));
}

const expectInert = (html: string) => expect(urls(html).filter(dangerous), html).toEqual([]);

/** Markdown that carries a URL every way it can. */
const carriers = (url: string) => [
	`[click](${url})`,
	`[click](<${url}>)`,
	`<${url}>`,
	`[click][r]\n\n[r]: ${url}`,
	`![alt](${url})`,
	`![alt][r]\n\n[r]: ${url}`,
	`<a href="${url}">click</a>`,
	`<img src="${url}">`,
	`<a href='${url}'>click</a> and <iframe src=${url.replace(/\s/g, '')}></iframe>`
];

async function lesson(markdown: string): Promise<string> {
	return renderLesson(`---\ntitle: Probe\nminutes: 5\n---\n\n${markdown}\n`, {
		slug: 'online-service',
		dir: 'content/courses/01-online-service',
		sources: {}
	});
}

describe('hostile links and images render inert', () => {
	for (const url of HOSTILE) {
		it(`${url}: stems, explanations and options (markdownHtml, inlineHtml)`, () => {
			for (const md of carriers(url)) {
				expectInert(markdownHtml(md));
				expectInert(inlineHtml(md));
				expect(markdownHtml(md)).not.toMatch(/<(a|img)\b[^>]*(href|src)="(javascript|data|vbscript):/i);
			}
		});

		it(`${url}: lessons (the runtime lesson pipeline)`, async () => {
			for (const md of carriers(url)) expectInert(await lesson(md));
		});

		it(`${url}: a quiz question read by the parser and shown to a learner`, () => {
			const { questions, errors } = parseQuiz(
				`## q1 · single · x\n\nSee [the form](${url}).\n\n- [x] [Right](${url})\n- [ ] ![x](${url}) Wrong\n\n> Read [this](${url}).\n`,
				'quiz.en.md'
			);
			expect(errors).toEqual([]);
			const q = questions[0];
			for (const html of [markdownHtml(q.stem), markdownHtml(q.explanation), ...q.options.map((o) => inlineHtml(o.text))])
				expectInert(html);
		});
	}

	it('GIFT conversions keep no hostile link in the Markdown they write, whatever the text format', () => {
		const esc = (u: string) => u.replace(/[=:#{}~]/g, (c) => `\\${c}`);
		for (const url of HOSTILE.filter((u) => !u.includes('&'))) {
			const gift = [
				`::h:: [html]<p>Read <a href\\="${esc(url)}">the guide</a></p>{=<a href\\="${esc(url)}">Right</a> ~Wrong}`,
				`::m:: [markdown]Read [the guide](${esc(url)}) {=[Right](${esc(url)}) ~Wrong # see [here](${esc(url)})}`
			].join('\n\n');
			const r = convertGift(gift, { defaultCompetency: 'x' });
			expect(r.converted.map((q) => q.title)).toEqual(['h', 'm']);
			expect(r.markdown.toLowerCase()).not.toMatch(/\]\(\s*(javascript|data|vbscript)/);
			expect(r.warnings.some((w) => w.message.startsWith('link removed'))).toBe(true);
			for (const q of parseQuiz(r.markdown, 'quiz.en.md').questions)
				for (const html of [markdownHtml(q.stem), markdownHtml(q.explanation), ...q.options.map((o) => inlineHtml(o.text))])
					expectInert(html);
		}
	});
});

describe('links the courses use survive', () => {
	it('http(s), mailto and relative links keep their target; course images keep their path', async () => {
		for (const url of SAFE_LINKS) {
			expect(markdownHtml(`[go](${url})`)).toContain(`href="${url}"`);
			expect(await lesson(`[go](${url})`)).toContain(`href="${url}"`);
		}
		expect(markdownHtml('![flow](images/flow.svg)')).toContain('src="images/flow.svg"');
		expect(await lesson('![flow](images/flow.svg)')).toContain('src="/courses/online-service/images/flow.svg"');
		expect(await lesson('[md](https://example.gov)')).toContain('href="https://example.gov"');
		// Raw HTML is not part of the lesson format: the runtime pipeline drops it.
		expect(await lesson('<a href="https://example.gov">raw</a>')).not.toContain('<a');
	});

	it('images from anywhere but the course become their alt text', () => {
		for (const url of [
			'https://evil.example/x.png',
			'//evil.example/x.png',
			'/\\evil.example/x.png',
			'/admin/users',
			'images/../../x.svg'
		]) {
			const html = markdownHtml(`![a diagram](${url})`);
			expect(html).not.toContain('<img');
			expect(html).toContain('a diagram');
		}
	});
});

describe('the URL rule (property-based)', () => {
	const scheme = fc.constantFrom('javascript', 'data', 'vbscript');
	/** The scheme spelt the ways browsers still read it: any case, with tabs, newlines and controls inside or before it. */
	const disguised = fc
		.tuple(
			scheme,
			fc.array(fc.boolean(), { minLength: 10, maxLength: 10 }),
			fc.array(fc.constantFrom('', '\t', '\n', '\r', '\u0000', '\u0001', ' ', '\u000b'), { minLength: 11, maxLength: 11 })
		)
		.map(([s, upper, junk]) => [...s].map((c, i) => junk[i] + (upper[i % 10] ? c.toUpperCase() : c)).join('') + junk[10] + ':alert(1)');

	it('never lets a script or data scheme through as a link or an image', () => {
		fc.assert(
			fc.property(disguised, fc.constantFrom('link' as const, 'image' as const), (url, kind) => {
				expect(safeUrl(url, kind)).toBe(false);
			}),
			{ numRuns: fuzzRuns(500) }
		);
	});

	it('never renders one, written as an HTML character reference in raw HTML or in Markdown', async () => {
		const encode = (url: string, how: number) =>
			[...url]
				.map((c, i) => (i % 3 === how % 3 ? (how % 2 ? `&#x${c.codePointAt(0)!.toString(16)};` : `&#${c.codePointAt(0)};`) : c))
				.join('');
		await fc.assert(
			fc.asyncProperty(disguised, fc.nat(5), async (url, how) => {
				const encoded = encode(url.replace(/[\n\r]/g, ''), how);
				for (const md of [`[x](<${encoded}>)`, `<a href="${encoded}">x</a>`, `<img src="${encoded}">`]) {
					expectInert(markdownHtml(md));
					expectInert(await lesson(md));
				}
			}),
			{ numRuns: fuzzRuns(100) }
		);
	});
});
