import type { Handle } from '@sveltejs/kit';
import { randomUUID } from 'node:crypto';

const production = (process.env.ORIGIN ?? '').startsWith('https://');

/** Request id for logs and error pages, and the headers every response carries (CSP comes from kit.csp). */
export const handleSecurity: Handle = async ({ event, resolve }) => {
	const incoming = event.request.headers.get('x-request-id');
	event.locals.requestId = incoming && /^[A-Za-z0-9-]{8,64}$/.test(incoming) ? incoming : randomUUID();
	const response = await resolve(event);
	const headers = response.headers;
	const set = (name: string, value: string) => {
		if (!headers.has(name)) headers.set(name, value);
	};
	try {
		set('X-Content-Type-Options', 'nosniff');
		set('Referrer-Policy', 'strict-origin-when-cross-origin');
		set('X-Frame-Options', 'DENY');
		set('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()');
		set('Cross-Origin-Opener-Policy', 'same-origin');
		set('X-Request-Id', event.locals.requestId);
		if (!headers.has('content-security-policy')) set('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'");
		if (production) set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
		if (event.locals.user && !headers.has('cache-control')) set('Cache-Control', 'private, no-store');
	} catch {
		// Responses with immutable headers (fetch passthrough) keep theirs.
	}
	return response;
};
