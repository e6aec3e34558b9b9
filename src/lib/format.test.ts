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

	it('gives the insights pages one fixed decimal in shares, so columns of percentages line up', () => {
		const fixed = formatter('en', { fixedShares: true });
		expect(fixed.share(0.5)).toBe('50.0%');
		expect(fixed.share(0.777)).toBe('77.7%');
		expect(fixed.share(null)).toBe('–');
		expect(formatter('zh-CN', { fixedShares: true }).share(1)).toBe('100.0%');
		// The plain formatter for the same locale is a different one, not a cache hit.
		expect(en.share(0.5)).toBe('50%');
	});

	it('writes a count with its denominator and the rate, an en dash for the rate of nothing', () => {
		const fixed = formatter('en', { fixedShares: true });
		expect(fixed.ratio(412, 530)).toContain('412');
		expect(fixed.ratio(412, 530)).toContain('530');
		expect(fixed.ratio(412, 530)).toContain('77.7%');
		expect(fixed.ratio(1000, 2000)).toContain('1,000');
		expect(fixed.ratio(1000, 2000)).toContain('50.0%');
		expect(fixed.ratio(0, 0)).toContain('–');
	});

	it('names the month of an ISO date for chart ticks, without time-zone drift', () => {
		expect(en.month('2026-11-01')).toBe('Nov');
		expect(zh.month('2026-01-01')).toBe('1月');
	});
});
