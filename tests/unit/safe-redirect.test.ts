import { describe, expect, it } from 'vitest';
import { safeRedirect } from '$lib/server/security/redirect';

const origin = 'https://govlearn.example';

/** Each of these, followed by a browser from our origin, would leave the site or break the Location header. */
const hostileTargets = [
	'//evil.example',
	'///evil.example',
	'/\\evil.example',
	'\\/evil.example',
	'\\\\evil.example',
	'/\t/evil.example',
	'/\n/evil.example',
	'/\r\n/evil.example',
	'/\u0000/evil.example',
	'/\u007f/evil.example',
	'/\u0085/evil.example',
	'\t//evil.example',
	' //evil.example',
	'/%09/evil.example',
	'/%0a/evil.example',
	'/%0D%0A/evil.example',
	'/%5c/evil.example',
	'/%5Cevil.example',
	'https://evil.example/',
	'HTTPS://evil.example',
	'http:evil.example',
	'//evil.example/%2f..',
	'javascript:alert(1)',
	'JaVaScRiPt:alert(1)',
	'data:text/html,<script>alert(1)</script>',
	'evil.example',
	'@evil.example',
	'/@evil.example/..//evil.example',
	'/..//evil.example',
	'/./..//evil.example',
	'/foo/../..//evil.example',
	'/%2e%2e//evil.example',
	'//govlearn.example@evil.example',
	'/me\nSet-Cookie: a=b',
	'/me\r\nLocation: https://evil.example',
	'',
	'x'.repeat(10)
];

describe('safeRedirect', () => {
	it.each(hostileTargets)('keeps %j on this site', (target) => {
		const result = safeRedirect(target, origin);
		expect(result.startsWith('/')).toBe(true);
		expect(result.startsWith('//')).toBe(false);
		// eslint-disable-next-line no-control-regex -- a control character in a Location header is the 500
		expect(result).not.toMatch(/[\u0000-\u001f\u007f\\]/);
		expect(new URL(result, origin).origin).toBe(origin);
	});

	it('sends every hostile target home rather than guessing what was meant', () => {
		for (const target of ['//evil.example', '/\t/evil.example', '/\\evil.example', '\\/evil.example', '/%5cevil', '/me\r\nX: y'])
			expect(safeRedirect(target, origin)).toBe('/');
	});

	it('refuses what is not a string or is too long', () => {
		expect(safeRedirect(null, origin)).toBe('/');
		expect(safeRedirect(undefined, origin)).toBe('/');
		expect(safeRedirect(new File([''], 'x'), origin)).toBe('/');
		expect(safeRedirect('/' + 'a'.repeat(5000), origin)).toBe('/');
	});

	it('keeps ordinary paths with their query and fragment', () => {
		expect(safeRedirect('/studio/courses?page=2&sort=title', origin)).toBe('/studio/courses?page=2&sort=title');
		expect(safeRedirect('/courses/intro/lesson-1#quiz', origin)).toBe('/courses/intro/lesson-1#quiz');
		expect(safeRedirect('/insights?q=%E6%95%B0%E5%AD%97', origin)).toBe('/insights?q=%E6%95%B0%E5%AD%97');
		expect(safeRedirect('/me', new URL('http://127.0.0.1:3178/login?redirectTo=/me'))).toBe('/me');
	});

	it('normalises dot segments the way the browser will', () => {
		expect(safeRedirect('/a/b/../c', origin)).toBe('/a/c');
		expect(safeRedirect('/../../me', origin)).toBe('/me');
	});

	it('never throws, whatever the characters', () => {
		for (let code = 0; code < 0x3000; code += 7) {
			for (const target of [`/${String.fromCharCode(code)}/evil.example`, `${String.fromCharCode(code)}//evil.example`]) {
				const result = safeRedirect(target, origin);
				expect(new URL(result, origin).origin).toBe(origin);
				expect(result.startsWith('//')).toBe(false);
			}
		}
	});
});
