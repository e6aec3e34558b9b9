import { describe, expect, it } from 'vitest';
import { minimumOpenMinutes, readingMinutes } from './reading-time';

describe('reading time', () => {
	it('reads Chinese by characters and English by words', () => {
		expect(readingMinutes('政'.repeat(3000))).toBe(10);
		expect(readingMinutes(Array.from({ length: 2000 }, () => 'word').join(' '))).toBe(10);
	});

	it('does not count frontmatter, code, link targets or image targets', () => {
		const body = '政'.repeat(600);
		const noisy = `---\ntitle: ${'标题'.repeat(500)}\n---\n${body}\n\n\`\`\`\n${'代码'.repeat(900)}\n\`\`\`\n[链接](https://example.gov.cn/${'x'.repeat(500)})\n![图](images/flow.svg)`;
		expect(readingMinutes(noisy)).toBe(readingMinutes(body + '链接图'));
	});

	it('asks for half the reading time, at least a minute', () => {
		expect(minimumOpenMinutes('政'.repeat(3000))).toBe(5);
		expect(minimumOpenMinutes('短')).toBe(1);
	});
});
