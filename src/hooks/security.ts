import { error, type Handle } from '@sveltejs/kit';
import { dev } from '$app/environment';
import { randomUUID } from 'node:crypto';
import { ServerResponse } from 'node:http';
import { providerOrigin } from '$lib/server/auth/oidc';
import { servedOverHttps } from '$lib/server/auth/cookies';

const production = servedOverHttps();

/** Responses without a policy of their own (endpoints, files) may load nothing and be framed by no one. */
const FALLBACK_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'; form-action 'self'";

/** Headers every response carries unless it set its own (pages get their CSP, with nonces, from kit.csp). */
function baseline(): [string, string][] {
	return [
		['X-Content-Type-Options', 'nosniff'],
		['Referrer-Policy', 'strict-origin-when-cross-origin'],
		['X-Frame-Options', 'DENY'],
		['Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()'],
		['Cross-Origin-Opener-Policy', 'same-origin'],
		['Content-Security-Policy', FALLBACK_CSP],
		...(production ? [['Strict-Transport-Security', 'max-age=31536000; includeSubDomains'] as [string, string]] : [])
	];
}

/**
 * A response's own policy (an SVG endpoint's, say) keeps its rules, but may not be framed, change the
 * base URL or load plugins: those directives are added when it leaves them out.
 */
export function hardenCsp(policy: string): string {
	const has = (name: string) => new RegExp(`(^|;)\\s*${name}\\s`, 'i').test(policy);
	const added = [
		has('frame-ancestors') ? '' : "frame-ancestors 'none'",
		has('base-uri') ? '' : "base-uri 'none'",
		has('object-src') ? '' : "object-src 'none'"
	].filter(Boolean);
	return added.length ? `${policy.replace(/[;\s]+$/, '')}; ${added.join('; ')}` : policy;
}

/**
 * Signing out after a government sign-in is a form post redirected on to the provider's end-session
 * page; browsers hold that redirect to form-action, so the provider's origin (and only it) is added.
 */
function allowProviderForms(policy: string): string {
	const origin = providerOrigin();
	return origin ? policy.replace(/form-action 'self'/, `form-action 'self' ${origin}`) : policy;
}

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
		const own = headers.get('content-security-policy');
		if (own) headers.set('content-security-policy', allowProviderForms(hardenCsp(own)));
		for (const [name, value] of baseline()) set(name, value);
		set('X-Request-Id', event.locals.requestId);
		if (event.locals.user && !headers.has('cache-control')) set('Cache-Control', 'private, no-store');
	} catch {
		// Responses with immutable headers (fetch passthrough) keep theirs.
	}
	return response;
};

/**
 * A posted body that cannot be read as a form (a broken multipart, JSON or bytes sent to a form
 * action, a bad escape), or input holding a NUL character, is the client's mistake: 400, not a 500
 * from inside whichever action or query met it. Runs last, on the request the actions finally see
 * (paraglide hands them a copy).
 */
export const handleBody: Handle = ({ event, resolve }) => {
	// A NUL character is never part of real input, and Postgres refuses it in text (a 500 deep inside).
	if (/%00/.test(event.url.pathname) || [...event.url.searchParams].some(([k, v]) => hasNul(k) || hasNul(v))) {
		return new Response('Bad request: the address holds a NUL character.', {
			status: 400,
			headers: { 'content-type': 'text/plain; charset=utf-8' }
		});
	}
	const request = event.request;
	if (request.method !== 'GET' && request.method !== 'HEAD') {
		const formData = request.formData.bind(request);
		Object.defineProperty(request, 'formData', {
			configurable: true,
			value: async () => {
				let form: FormData;
				try {
					form = await formData();
				} catch (e) {
					// undici reports an unreadable or mistyped body as a TypeError.
					if (e instanceof TypeError) error(400, 'The form could not be read.');
					throw e;
				}
				for (const [name, value] of form)
					if (hasNul(name) || (typeof value === 'string' ? hasNul(value) : hasNul(value.name)))
						error(400, 'The form holds a NUL character.');
				return form;
			}
		});
	}
	return resolve(event);
};

function hasNul(text: string): boolean {
	return text.includes('\u0000');
}

/**
 * adapter-node serves the built assets and static files before any hook runs, so those responses would
 * go out without the headers above. Every response of this process passes through writeHead: there the
 * missing ones are added (headers the response sets itself still win).
 */
function installBaselineHeaders(): void {
	const marker = Symbol.for('govlearn.baselineHeaders');
	const proto = ServerResponse.prototype as ServerResponse & { [marker]?: boolean };
	if (proto[marker]) return;
	proto[marker] = true;
	const writeHead = proto.writeHead;
	proto.writeHead = function (this: ServerResponse, ...args: unknown[]) {
		if (!this.headersSent) for (const [name, value] of baseline()) if (!this.hasHeader(name)) this.setHeader(name, value);
		return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
	} as typeof writeHead;
}

// Vite serves the files in development; only the built server needs this.
if (!dev) installBaselineHeaders();
