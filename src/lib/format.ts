// Numbers, percentages and dates in the reader's language (Intl), so every page writes them the same
// way: 1,234 · 77.7% · 2026年11月25日 / 25 Nov 2026. Pure functions; safe on the server and in the browser.
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
	/** A calendar date (Date, or an ISO date / timestamp string); day precision. */
	date(value: Date | string | null | undefined): string;
	/** A date with the time of day. */
	dateTime(value: Date | string | null | undefined): string;
}

const cache = new Map<string, Formatter>();

function toDate(value: Date | string): Date | null {
	// A bare ISO date is a calendar day: read it as UTC so no time zone moves it.
	const date = typeof value === 'string' ? new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value) : value;
	return Number.isNaN(date.getTime()) ? null : date;
}

/** Formatters for `locale` (the request's or page's language by default). */
export function formatter(locale: string = getLocale()): Formatter {
	const cached = cache.get(locale);
	if (cached) return cached;
	const int = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
	const dec = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
	const pct = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
	const day = new Intl.DateTimeFormat(locale, { year: 'numeric', month: locale === 'en' ? 'short' : 'long', day: 'numeric' });
	const dayUtc = new Intl.DateTimeFormat(locale, { year: 'numeric', month: locale === 'en' ? 'short' : 'long', day: 'numeric', timeZone: 'UTC' });
	const stamp = new Intl.DateTimeFormat(locale, { year: 'numeric', month: locale === 'en' ? 'short' : 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false });
	const none = '–';
	const f: Formatter = {
		int: (n) => (Number.isFinite(n) ? int.format(n) : none),
		dec: (n) => (Number.isFinite(n) ? dec.format(n) : none),
		share: (s) => (s === null || s === undefined || !Number.isFinite(s) ? none : pct.format(s)),
		percent: (v) => (v === null || v === undefined || !Number.isFinite(v) ? none : pct.format(v / 100)),
		date: (v) => {
			if (v === null || v === undefined) return none;
			const d = toDate(v);
			if (!d) return String(v);
			return (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? dayUtc : day).format(d);
		},
		dateTime: (v) => {
			if (v === null || v === undefined) return none;
			const d = toDate(v);
			return d ? stamp.format(d) : String(v);
		}
	};
	cache.set(locale, f);
	return f;
}
