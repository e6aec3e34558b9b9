import { compile } from 'mdsvex';
import { describe, expect, it } from 'vitest';
import { calloutsPlugin, contentImagesPlugin } from '../../src/lib/server/content/remark-plugins.js';

async function render(source: string, filename = 'content/courses/01-demo/01-intro.en.md') {
	const out = await compile(source, { remarkPlugins: [calloutsPlugin, contentImagesPlugin], extensions: ['.md'], filename });
	return out?.code ?? '';
}

describe('lesson Markdown under mdsvex', () => {
	it('turns GitHub-style call-outs into labelled asides, on their own line or inline', async () => {
		const html = await render(
			'> [!NOTE]\n> A note.\n\n> [!TIP] A tip with [a link](https://example.org).\n\n> [!WARNING]\n>\n> After a blank line.\n'
		);
		expect(html).toContain('<aside class="callout callout-note" role="note">\n<p>A note.</p>');
		expect(html).toContain('<aside class="callout callout-tip" role="note">\n<p>A tip with <a href="https://example.org"');
		expect(html).toContain('<aside class="callout callout-warning" role="note">\n<p>After a blank line.</p>');
		expect(html).not.toContain('[!');
	});

	it('leaves ordinary block quotes and bracketed text alone', async () => {
		const html = await render('> A quote with [brackets].\n');
		expect(html).toContain('<blockquote>');
		expect(html).toContain('[brackets]');
	});

	it('points relative images at the course image route', async () => {
		const html = await render('![Flow](images/flow-en.svg)\n');
		expect(html).toContain('src="/courses/demo/images/flow-en.svg"');
	});
});
