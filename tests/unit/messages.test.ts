import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { m } from '../../src/lib/paraglide/messages';

const load = (locale: string) => JSON.parse(readFileSync(`messages/${locale}.json`, 'utf8')) as Record<string, string>;
const keys = (messages: Record<string, string>) => Object.keys(messages).filter((k) => !k.startsWith('$'));

describe('UI strings', () => {
	it('exist in both languages, key for key, and none is empty', () => {
		const zh = load('zh-CN');
		const en = load('en');
		expect(keys(zh).filter((k) => !(k in en))).toEqual([]);
		expect(keys(en).filter((k) => !(k in zh))).toEqual([]);
		expect(keys(zh).filter((k) => !String(zh[k]).trim() || !String(en[k]).trim())).toEqual([]);
		expect(keys(zh).length).toBeGreaterThanOrEqual(50);
	});

	it('use the same parameters in both languages', () => {
		const zh = load('zh-CN');
		const en = load('en');
		const params = (s: string) =>
			[...String(s).matchAll(/\{(\w+)\}/g)]
				.map((x) => x[1])
				.sort()
				.join(',');
		expect(keys(zh).filter((k) => params(zh[k]) !== params(en[k]))).toEqual([]);
	});

	it('compile: a known message renders in each language (the inlang plugin loaded offline)', () => {
		expect(m.app_name({}, { locale: 'zh-CN' })).toBe('政务数字能力学院');
		expect(m.app_name({}, { locale: 'en' })).toBe('GovLearn');
		expect(m.login_throttled({ seconds: '30' }, { locale: 'en' })).toContain('30 seconds');
	});
});
