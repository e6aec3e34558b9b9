import type { Handle } from '@sveltejs/kit';
import type { Role } from '$lib/server/db/schema';
import { securityLog } from '$lib/server/security/log';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Every request that can change something must come from our own pages. SvelteKit checks the Origin
 * only for form content types, so an endpoint that ignores its body would take a cross-site POST sent
 * with no Content-Type (or text/plain JSON). Browsers send Origin on every non-GET request; a request
 * without one is not a browser's form, and is refused like a foreign one.
 */
export const handleOrigin: Handle = ({ event, resolve }) => {
	if (SAFE_METHODS.has(event.request.method)) return resolve(event);
	const origin = event.request.headers.get('origin');
	if (origin !== event.url.origin) {
		securityLog('request.cross_site', {
			requestId: event.locals.requestId,
			path: event.url.pathname,
			method: event.request.method,
			origin: origin ?? null
		});
		return plain(403, 'Cross-site request refused: this form may only be sent from GovLearn’s own pages.');
	}
	return resolve(event);
};

/** Requests anyone may send are small (sign-in, quiz answers, settings). */
export const SMALL_BODY_LIMIT = 1024 * 1024;

/**
 * The routes that take files, and who may send them: only there does a request get the server's large
 * limit (BODY_SIZE_LIMIT, 60 MB by default, for the staff import). Keyed by SvelteKit route id.
 */
const UPLOAD_ROUTES: Record<string, Role[]> = {
	'/(admin)/admin/import': ['admin'],
	'/(studio)/studio/import': ['trainer'],
	'/(studio)/studio/import/download': ['trainer']
};

/** The largest body this request may send: large for the upload routes of their signed-in roles. */
export function bodyLimit(routeId: string | null, roles: readonly Role[] | undefined): number {
	const allowed = routeId ? UPLOAD_ROUTES[routeId] : undefined;
	if (allowed && roles?.some((role) => allowed.includes(role))) return Infinity;
	return SMALL_BODY_LIMIT;
}

/**
 * Refuses a body over the request's limit before anything reads it (a declared length), and cuts a
 * chunked one off at the limit, so an anonymous client cannot make the server read 60 MB. Runs after
 * the session is known (the limit depends on who is asking).
 */
export const handleBodyLimit: Handle = ({ event, resolve }) => {
	const request = event.request;
	if (SAFE_METHODS.has(request.method) || !request.body) return resolve(event);
	const limit = bodyLimit(event.route.id, event.locals.user?.roles);
	if (limit === Infinity) return resolve(event);
	const declared = Number(request.headers.get('content-length') ?? NaN);
	if (declared > limit) return tooLarge(event.url.pathname, limit);
	if (Number.isNaN(declared)) event.request = limitBody(request, limit);
	return resolve(event);
};

function limitBody(request: Request, limit: number): Request {
	let seen = 0;
	const capped = request.body!.pipeThrough(
		new TransformStream<Uint8Array, Uint8Array>({
			transform(chunk, controller) {
				seen += chunk.byteLength;
				if (seen > limit) controller.error(new TypeError(`body larger than ${limit} bytes`));
				else controller.enqueue(chunk);
			}
		})
	);
	return new Request(request, { body: capped, duplex: 'half' } as RequestInit);
}

function tooLarge(path: string, limit: number): Response {
	securityLog('request.too_large', { path, limit });
	return plain(413, `The request is larger than this page accepts (${Math.round(limit / 1024)} KB).`);
}

function plain(status: number, text: string): Response {
	return new Response(text, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}
