import type { Locale } from '../content';

/** A date as people write it in each language (2026年11月25日, 25 November 2026), formatted on the server. */
export function formatDate(date: Date, locale: Locale): string {
	return new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'long', day: 'numeric', timeZone: process.env.TZ || undefined }).format(date);
}

/** Hours with at most one decimal (1.5, 2). */
export function formatHours(hours: number): string {
	return String(Math.round(hours * 10) / 10);
}
