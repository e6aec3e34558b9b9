// Numbers, percentages and dates in the reader's language (Intl), so every page writes them the same
// way: 1,234 · 77.7% · 2026年11月25日 / 25 Nov 2026. Pure functions; safe on the server and in the browser.
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';

export interface Formatter {
	/** A whole number with grouping. */
	int(n: number): string;
	/** At most one decimal (hours, averages). */
	dec(n: number): string;
	/** A share between 0 and 1 as a percentage (one decimal at most); an en dash when there is none. */
	share(share: number | null | undefined): string;
	/** A score already in percent (0–100), as a percentage. */
	percent(value: number | null | undefined): string;
	/** "412 / 530 (77.7%)": a count always with its denominator. */
	ratio(part: number, whole: number): string;
	/** A calendar date (Date, or an ISO date / timestamp string); day precision. */
	date(value: Date | string | null | undefined): string;
	/** A date with the time of day. */
	dateTime(value: Date | string | null | undefined): string;
	/** The short month name of an ISO date ("Nov", "11月"), for chart ticks. */
	month(iso: string): string;
}

export interface FormatOptions {
	/**
	 * Always one decimal in percentages ("50.0%"), so a column or grid of shares lines up and reads at
	 * a glance; the insights pages use it. Elsewhere a share shows at most one decimal ("50%").
	 */
	fixedShares?: boolean;
}

const cache = new Map<string, Formatter>();
const isoDay = /^\d{4}-\d{2}-\d{2}$/;

function toDate(value: Date | string): Date | null {
	// A bare ISO date is a calendar day: read it as UTC so no time zone moves it.
	const date = typeof value === 'string' ? new Date(isoDay.test(value) ? `${value}T00:00:00Z` : value) : value;
	return Number.isNaN(date.getTime()) ? null : date;
}

/** Formatters for `locale` (the request's or page's language by default); made once per locale and options. */
export function formatter(locale: string = getLocale(), options: FormatOptions = {}): Formatter {
	const key = `${locale}|${options.fixedShares ? 'fixed' : ''}`;
	const cached = cache.get(key);
	if (cached) return cached;
	const int = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
	const dec = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
	const pct = new Intl.NumberFormat(locale, {
		style: 'percent',
		minimumFractionDigits: options.fixedShares ? 1 : 0,
		maximumFractionDigits: 1
	});
	const month = locale === 'en' ? 'short' : 'long';
	const day = new Intl.DateTimeFormat(locale, { year: 'numeric', month, day: 'numeric' });
	const dayUtc = new Intl.DateTimeFormat(locale, { year: 'numeric', month, day: 'numeric', timeZone: 'UTC' });
	const stamp = new Intl.DateTimeFormat(locale, {
		year: 'numeric',
		month,
		day: 'numeric',
		hour: '2-digit',
		minute: '2-digit',
		hour12: false
	});
	const monthUtc = new Intl.DateTimeFormat(locale, { month: 'short', timeZone: 'UTC' });
	const none = '–';
	const share = (s: number | null | undefined) => (s === null || s === undefined || !Number.isFinite(s) ? none : pct.format(s));
	const f: Formatter = {
		int: (n) => (Number.isFinite(n) ? int.format(n) : none),
		dec: (n) => (Number.isFinite(n) ? dec.format(n) : none),
		share,
		percent: (v) => (v === null || v === undefined || !Number.isFinite(v) ? none : pct.format(v / 100)),
		ratio: (part, whole) =>
			m.ins_ratio(
				{ part: f.int(part), whole: f.int(whole), share: share(whole > 0 ? part / whole : null) },
				{ locale: locale as 'en' | 'zh-CN' }
			),
		date: (v) => {
			if (v === null || v === undefined) return none;
			const d = toDate(v);
			if (!d) return String(v);
			return (typeof v === 'string' && isoDay.test(v) ? dayUtc : day).format(d);
		},
		dateTime: (v) => {
			if (v === null || v === undefined) return none;
			const d = toDate(v);
			return d ? stamp.format(d) : String(v);
		},
		month: (iso) => {
			const d = toDate(iso);
			return d ? monthUtc.format(d) : iso;
		}
	};
	cache.set(key, f);
	return f;
}
