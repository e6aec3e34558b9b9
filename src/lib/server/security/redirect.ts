/**
 * A user-supplied place to go back to (sign-in's `redirectTo`, the language switch), reduced to a path on this
 * site. A prefix check is not enough: browsers drop tabs and newlines inside URLs and read `\` as `/`, so
 * `/<TAB>/evil.example` or `/\evil.example` become `//evil.example`, another site. So anything with a control
 * character or a backslash (raw or percent-encoded) is refused outright, and the rest is resolved the way a
 * browser would (WHATWG URL parser) against our own origin and kept only if it stays there.
 */
export function safeRedirect(target: unknown, origin: string | URL): string {
	if (typeof target !== 'string' || target.length === 0 || target.length > 2048) return '/';
	if (!target.startsWith('/')) return '/';
	// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
	if (/[\u0000-\u001f\u007f-\u009f\\]|%(?:[01][0-9a-f]|7f|5c)/i.test(target)) return '/';
	let base: URL;
	let url: URL;
	try {
		base = new URL(origin);
		url = new URL(target, base);
	} catch {
		return '/';
	}
	if (url.origin !== base.origin) return '/';
	const path = url.pathname + url.search + url.hash;
	// A path that starts `//` would be read as another host by whoever follows the Location header.
	return path.startsWith('//') ? '/' : path;
}
