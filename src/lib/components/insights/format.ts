// Numbers for the insights pages, formatted for the reader's locale (Intl), so "1,234" and "77.7%"
// read right in both languages.
import { m } from '$lib/paraglide/messages';

export interface Format {
	int(n: number): string;
	/** At most one decimal (hours, averages). */
	dec(n: number): string;
	/** A share as a percentage with one decimal; an en dash when there is no denominator. */
	pct(share: number | null | undefined): string;
	/** "412 / 530 (77.7%)": a count always with its denominator. */
	ratio(part: number, whole: number): string;
	date(iso: string): string;
}

const cache = new Map<string, Format>();

/** Formatters for a locale; made once per locale (building Intl formatters costs more than using them). */
export function formatter(locale: string): Format {
	const cached = cache.get(locale);
	if (cached) return cached;
	const int = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
	const dec = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
	const pct = new Intl.NumberFormat(locale, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
	const day = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
	const share = (s: number | null | undefined) => (s === null || s === undefined || !Number.isFinite(s) ? '–' : pct.format(s));
	const format: Format = {
		int: (n) => int.format(n),
		dec: (n) => dec.format(n),
		pct: share,
		ratio: (part, whole) => m.ins_ratio({ part: int.format(part), whole: int.format(whole), share: share(whole > 0 ? part / whole : null) }, { locale: locale as 'en' | 'zh-CN' }),
		date: (iso) => (/^\d{4}-\d{2}-\d{2}$/.test(iso) ? day.format(new Date(`${iso}T00:00:00Z`)) : iso)
	};
	cache.set(locale, format);
	return format;
}
