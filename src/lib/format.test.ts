import { describe, expect, it } from 'vitest';
import { formatter } from './format';

describe('formatter', () => {
	const zh = formatter('zh-CN');
	const en = formatter('en');

	it('groups numbers and keeps at most one decimal', () => {
		expect(en.int(12345)).toBe('12,345');
		expect(zh.int(12345)).toBe('12,345');
		expect(en.dec(7.25)).toBe('7.3');
		expect(en.dec(8)).toBe('8');
		expect(en.int(Number.NaN)).toBe('–');
	});

	it('writes shares and scores as percentages, an en dash when there is no value', () => {
		expect(en.share(0.777)).toBe('77.7%');
		expect(zh.share(0.5)).toBe('50%');
		expect(en.share(null)).toBe('–');
		expect(en.percent(91)).toBe('91%');
		expect(zh.percent(66.7)).toBe('66.7%');
		expect(zh.percent(undefined)).toBe('–');
	});

	it('writes calendar dates as each language does, without time-zone drift', () => {
		expect(zh.date('2026-11-05')).toBe('2026年11月5日');
		expect(en.date('2026-11-05')).toBe('Nov 5, 2026');
		expect(en.date(null)).toBe('–');
		expect(en.date('not a date')).toBe('not a date');
		expect(zh.dateTime(new Date(2026, 10, 5, 9, 30))).toContain('2026年11月5日');
		expect(en.dateTime(new Date(2026, 10, 5, 9, 30))).toContain('09:30');
	});
});
