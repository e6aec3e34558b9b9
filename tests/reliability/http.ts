// A small HTTP client that behaves like a browser without JavaScript: a cookie jar, plain form posts
// with the Origin header SvelteKit's CSRF check expects, redirects reported rather than followed.

export interface Reply {
	status: number;
	location: string | null;
	headers: Headers;
	text: string;
}

export type FormFields = Record<string, string | string[]> | [string, string][];

/** Thrown for a connection that failed (refused, reset, timed out): the caller decides to retry. */
export class NetworkError extends Error {}

export class Client {
	readonly cookies = new Map<string, string>();

	constructor(
		public base: string,
		private readonly options: { forwardedFor?: string; timeoutMs?: number } = {}
	) {}

	/** Moves the client (and its cookies) to another server of the same cluster. */
	use(base: string): this {
		this.base = base;
		return this;
	}

	cookieHeader(): string {
		return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
	}

	async request(
		method: string,
		path: string,
		init: { form?: FormFields; body?: BodyInit; headers?: Record<string, string> } = {}
	): Promise<Reply> {
		// A fresh connection per request: a kept-alive socket the server is closing at that very moment
		// would fail the request (browsers quietly retry those; a test would count an error).
		const headers: Record<string, string> = { accept: 'text/html', connection: 'close', ...init.headers };
		if (this.cookies.size) headers.cookie = this.cookieHeader();
		if (this.options.forwardedFor) headers['x-forwarded-for'] = this.options.forwardedFor;
		let body = init.body;
		if (init.form) {
			const params = new URLSearchParams();
			const entries = Array.isArray(init.form)
				? init.form
				: Object.entries(init.form).flatMap(([k, v]) =>
						Array.isArray(v) ? v.map((x) => [k, x] as [string, string]) : [[k, v] as [string, string]]
					);
			for (const [k, v] of entries) params.append(k, v);
			body = params;
			headers['content-type'] = 'application/x-www-form-urlencoded';
		}
		if (method !== 'GET' && method !== 'HEAD') headers.origin ??= new URL(this.base).origin;
		let response: Response;
		try {
			response = await fetch(new URL(path, this.base), {
				method,
				headers,
				body,
				redirect: 'manual',
				signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000)
			});
		} catch (error) {
			throw new NetworkError(`${method} ${path}: ${(error as Error).cause ?? (error as Error).message}`);
		}
		let text: string;
		try {
			text = await response.text();
		} catch (error) {
			throw new NetworkError(`${method} ${path} (body): ${(error as Error).message}`);
		}
		for (const line of response.headers.getSetCookie()) {
			const [pair, ...attributes] = line.split(';');
			const eq = pair.indexOf('=');
			const name = pair.slice(0, eq).trim();
			const value = pair.slice(eq + 1).trim();
			const expired = attributes.some(
				(a) => /^\s*max-age=0\s*$/i.test(a) || (/^\s*expires=/i.test(a) && Date.parse(a.split('=')[1]) < Date.now())
			);
			if (expired || value === '') this.cookies.delete(name);
			else this.cookies.set(name, value);
		}
		return { status: response.status, location: response.headers.get('location'), headers: response.headers, text };
	}

	get(path: string, headers?: Record<string, string>): Promise<Reply> {
		return this.request('GET', path, { headers });
	}

	post(path: string, form: FormFields, headers?: Record<string, string>): Promise<Reply> {
		return this.request('POST', path, { form, headers });
	}

	/** Signs in through the form; true when the server answered with the redirect of a success. */
	async signIn(username: string, password: string): Promise<Reply> {
		return this.post('/login', { username, password });
	}

	sessionCookie(): string | undefined {
		return [...this.cookies].find(([k]) => k.endsWith('govlearn_session'))?.[1];
	}
}

export interface FormInput {
	type: string;
	name: string;
	value: string;
}

/** The inputs of the first form whose action is `action` (e.g. "?/submit") in a page, as a browser sees them. */
export function formInputs(html: string, action: string): FormInput[] | undefined {
	const forms = html.match(/<form\b[^>]*>[\s\S]*?<\/form>/g) ?? [];
	const form = forms.find((f) => new RegExp(`action="${action.replace(/[?/]/g, (c) => `\\${c}`)}"`).test(f.slice(0, f.indexOf('>') + 1)));
	if (!form) return undefined;
	const attribute = (tag: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
	return (form.match(/<input\b[^>]*>/g) ?? []).map((tag) => ({
		type: attribute(tag, 'type') ?? 'text',
		name: attribute(tag, 'name') ?? '',
		value: (attribute(tag, 'value') ?? '').replace(/&quot;/g, '"').replace(/&amp;/g, '&')
	}));
}
