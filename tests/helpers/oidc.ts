// OpenID providers for the SSO tests, both on 127.0.0.1: a real one (oidc-provider, with its
// development sign-in form and a mutable directory of people), and a malicious one that signs
// whatever ID token a test asks for. Plain Node: the Playwright tests use it too.
import { createServer, type Server } from 'node:http';
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export interface Person {
	name: string;
	department: string | null;
	email?: string;
}

export interface RealProvider {
	issuer: string;
	people: Map<string, Person>;
	close(): Promise<void>;
}

export const CLIENT_ID = 'govlearn';
export const CLIENT_SECRET = 'govlearn-secret-for-tests';

async function listen(server: Server, port = 0): Promise<number> {
	await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
	return (server.address() as AddressInfo).port;
}

/** A real provider for `appOrigin`'s callback; any password works at its sign-in form, the login name picks the person. */
export async function startProvider(appOrigin: string, people: Map<string, Person> = new Map(), port = 0): Promise<RealProvider> {
	const server = createServer();
	const actual = await listen(server, port);
	const issuer = `http://127.0.0.1:${actual}`;
	const provider = new Provider(issuer, {
		clients: [
			{
				client_id: CLIENT_ID,
				client_secret: CLIENT_SECRET,
				redirect_uris: [`${appOrigin}/login/oidc/callback`],
				post_logout_redirect_uris: [`${appOrigin}/`],
				grant_types: ['authorization_code'],
				response_types: ['code']
			}
		],
		pkce: { required: () => true },
		claims: { openid: ['sub'], profile: ['name', 'preferred_username', 'department_code'], email: ['email'] },
		conformIdTokenClaims: false,
		features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
		async findAccount(_ctx: unknown, id: string) {
			return {
				accountId: id,
				async claims() {
					const p = people.get(id);
					return {
						sub: id,
						preferred_username: id,
						name: p?.name ?? id,
						email: p?.email ?? `${id}@example.gov.cn`,
						...(p?.department ? { department_code: p.department } : {})
					};
				}
			};
		}
	});
	server.on('request', provider.callback());
	return { issuer, people, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** A tiny cookie jar for driving the provider with fetch (no paths or expiry: one test, one provider). */
export class Jar {
	private cookies = new Map<string, string>();
	header(): string {
		return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
	}
	take(res: Response): void {
		for (const line of res.headers.getSetCookie()) {
			const [pair] = line.split(';');
			const eq = pair.indexOf('=');
			this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
		}
	}
}

/**
 * Goes through the provider's development sign-in and consent forms as `login` (any password),
 * starting at the authorization URL; returns the URL the provider sends the browser back to.
 */
export async function signInAtProvider(authorizationUrl: string, login: string, appOrigin: string, jar = new Jar()): Promise<string> {
	let next = authorizationUrl;
	for (let i = 0; i < 12; i++) {
		if (next.startsWith(appOrigin)) return next;
		const isInteraction = /\/interaction\/[^/]+$/.test(new URL(next).pathname);
		if (isInteraction) {
			const page = await fetch(next, { headers: { cookie: jar.header() }, redirect: 'manual' });
			jar.take(page);
			const prompt = /name="prompt" value="([a-z]+)"/.exec(await page.text())?.[1] ?? 'login';
			const body = new URLSearchParams({ prompt, login, password: 'x' });
			const res = await fetch(next, { method: 'POST', body, headers: { cookie: jar.header() }, redirect: 'manual' });
			jar.take(res);
			next = new URL(res.headers.get('location')!, next).href;
			continue;
		}
		const res = await fetch(next, { headers: { cookie: jar.header() }, redirect: 'manual' });
		jar.take(res);
		const location = res.headers.get('location');
		if (!location) throw new Error(`provider stopped at ${next} with ${res.status}`);
		next = new URL(location, next).href;
	}
	throw new Error('the provider never sent the browser back');
}

export type Forgery = 'valid' | 'wrong_issuer' | 'wrong_audience' | 'expired' | 'alg_none' | 'bad_signature' | 'wrong_nonce' | 'slow';

export interface FakeProvider {
	issuer: string;
	/** What the next token response holds. */
	mode: Forgery;
	/** The nonce of the last authorization request (from its URL), for a token that is otherwise right. */
	nonce: string;
	claims: Record<string, unknown>;
	close(): Promise<void>;
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

function jwt(header: Record<string, unknown>, payload: Record<string, unknown>, key: KeyObject | null): string {
	const head = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
	return key ? `${head}.${b64url(sign('sha256', Buffer.from(head), key))}` : `${head}.`;
}

/** A provider that answers discovery and keys correctly, then sends the ID token a test asks for. */
export async function startFakeProvider(slowMs = 3000): Promise<FakeProvider> {
	const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
	const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
	const jwk = { ...(publicKey.export({ format: 'jwk' }) as Record<string, unknown>), kid: 'k1', alg: 'RS256', use: 'sig' };
	const server = createServer();
	const port = await listen(server);
	const issuer = `http://127.0.0.1:${port}`;
	const fake: FakeProvider = {
		issuer,
		mode: 'valid',
		nonce: '',
		claims: {},
		close: () => new Promise((resolve) => server.close(() => resolve()))
	};
	server.on('request', (req, res) => {
		const url = new URL(req.url ?? '/', issuer);
		const json = (body: unknown, status = 200) => {
			res.writeHead(status, { 'content-type': 'application/json' });
			res.end(JSON.stringify(body));
		};
		if (url.pathname === '/.well-known/openid-configuration') {
			return json({
				issuer,
				authorization_endpoint: `${issuer}/auth`,
				token_endpoint: `${issuer}/token`,
				jwks_uri: `${issuer}/jwks`,
				response_types_supported: ['code'],
				subject_types_supported: ['public'],
				id_token_signing_alg_values_supported: ['RS256', 'none'],
				code_challenge_methods_supported: ['S256']
			});
		}
		if (url.pathname === '/jwks') return json({ keys: [jwk] });
		if (url.pathname === '/token') {
			if (fake.mode === 'slow') {
				const timer = setTimeout(() => json({}), slowMs);
				res.on('close', () => clearTimeout(timer));
				return;
			}
			const now = Math.floor(Date.now() / 1000);
			const payload: Record<string, unknown> = {
				iss: issuer,
				sub: 'fake-subject',
				aud: 'govlearn',
				iat: now,
				exp: now + 300,
				nonce: fake.nonce,
				...fake.claims
			};
			if (fake.mode === 'wrong_issuer') payload.iss = 'http://127.0.0.1:1/evil';
			if (fake.mode === 'wrong_audience') payload.aud = 'someone-else';
			if (fake.mode === 'expired') Object.assign(payload, { iat: now - 7200, exp: now - 3600 });
			if (fake.mode === 'wrong_nonce') payload.nonce = 'not-the-nonce';
			const idToken =
				fake.mode === 'alg_none'
					? jwt({ alg: 'none', typ: 'JWT' }, payload, null)
					: jwt({ alg: 'RS256', kid: 'k1', typ: 'JWT' }, payload, fake.mode === 'bad_signature' ? other : privateKey);
			return json({
				access_token: createHash('sha256').update(String(Math.random())).digest('hex'),
				token_type: 'Bearer',
				expires_in: 300,
				id_token: idToken
			});
		}
		json({ error: 'not_found' }, 404);
	});
	return fake;
}

/** A port nothing listens on: a provider that is down. */
export async function closedPort(): Promise<number> {
	const server = createServer();
	const port = await listen(server);
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}
