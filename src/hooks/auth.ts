import type { Handle } from '@sveltejs/kit';
import { sessionCookie, validateSessionToken } from '$lib/server/auth/session';

/** Resolves the session cookie to `locals.user`; a bad or expired token clears the cookie. */
export const handleAuth: Handle = async ({ event, resolve }) => {
	const { name, options } = sessionCookie();
	const token = event.cookies.get(name);
	event.locals.user = null;
	event.locals.session = null;
	if (token) {
		const result = await validateSessionToken(token);
		if (result) {
			event.locals.user = result.user;
			event.locals.session = result.session;
			event.cookies.set(name, token, { ...options, expires: result.session.expiresAt });
		} else {
			event.cookies.delete(name, options);
		}
	}
	return resolve(event);
};
