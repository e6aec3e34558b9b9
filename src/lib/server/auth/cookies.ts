// Cookie names and attributes in one place. The language cookie's name and lifetime are Paraglide's
// (set in vite.config.ts), so the cookie the server writes is the one the runtime reads.
import { cookieMaxAge, cookieName } from '../../paraglide/runtime';

/** The interface language; Paraglide reads it first on every request (then the browser's languages). */
export const LOCALE_COOKIE = cookieName;

/** Served over HTTPS (ORIGIN): cookies are then `secure` and the session cookie takes the `__Host-` prefix. */
export function servedOverHttps(): boolean {
	return (process.env.ORIGIN ?? '').startsWith('https://');
}

/**
 * The language cookie for `locale`, as arguments to `cookies.set`. Readable by scripts (not httpOnly):
 * it names a language, nothing secret, and Paraglide's browser runtime reads it. Kept 400 days, the
 * longest browsers allow.
 */
export function localeCookie(locale: string) {
	return [
		LOCALE_COOKIE,
		locale,
		{ path: '/', httpOnly: false, sameSite: 'lax' as const, secure: servedOverHttps(), maxAge: cookieMaxAge }
	] as const;
}
