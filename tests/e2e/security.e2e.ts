// Security against the built app on its own Postgres with the demo organisation: headers on every
// response, sign-in throttling and sessions over HTTP, cross-site posts, the security log, and the HTTP
// fuzzer (random, oversized, malformed, wrongly-typed requests to every route as every kind of caller:
// never a 5xx, never a change to data the caller may not change).
import { expect, test } from '@playwright/test';
import { loadFixtures, type Fixtures } from '../authz/fixtures';
import { changedTables, fingerprint, fuzzRequests } from '../authz/fuzz';
import { ACCOUNTS, CALLERS, MATRIX, entryPath, type Caller } from '../authz/matrix';
import { discoverRoutes } from '../authz/routes';
import { appServer, e2eBuildDir, type AppServer } from '../reliability/app';
import { Client, NetworkError, type Reply } from '../reliability/http';
import { environment, type Environment } from '../reliability/scenarios';
import { port } from '../helpers/ports';

const DEMO_PASSWORD = 'govlearn-demo';
const FUZZ_RUNS = Number(process.env.FUZZ_HTTP_RUNS ?? 4);
const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20261125);
let env: Environment;
let fixtures: Fixtures;
let server: AppServer;
let addresses = 0;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
	test.setTimeout(240_000);
	// Addresses come from X-Forwarded-For, as behind a load balancer, so tests can act from many of them.
	env = await environment({
		buildDir: e2eBuildDir(),
		pgPort: port(4276),
		appPorts: [port(4266)],
		database: 'security',
		env: { ADDRESS_HEADER: 'x-forwarded-for', XFF_DEPTH: '1' }
	});
	server = env.servers[0];
	await server.start();
	fixtures = await loadFixtures(env.sql);
});

test.afterAll(async () => {
	await env?.close();
});

/** A client from an address of its own (so one test's failures never throttle another's). */
function client(base = server.url): Client {
	addresses++;
	return new Client(base, { forwardedFor: `198.51.${100 + Math.floor(addresses / 250)}.${addresses % 250}` });
}

async function signedIn(username: string): Promise<Client> {
	const c = client();
	const reply = await c.signIn(username, DEMO_PASSWORD);
	expect(reply.status, `sign-in of ${username}`).toBe(303);
	return c;
}

function cspProblems(reply: Reply, what: string): string[] {
	const problems: string[] = [];
	const csp = reply.headers.get('content-security-policy') ?? '';
	const directive = (name: string) => new RegExp(`(?:^|;)\\s*${name}\\s+([^;]*)`).exec(csp)?.[1]?.trim();
	if (!csp) return [`${what}: no Content-Security-Policy`];
	if (directive('frame-ancestors') !== "'none'") problems.push(`${what}: frame-ancestors is ${directive('frame-ancestors')}`);
	if (directive('object-src') !== "'none'" && directive('default-src') !== "'none'")
		problems.push(`${what}: object-src is ${directive('object-src')}`);
	if (directive('base-uri') !== "'none'") problems.push(`${what}: base-uri is ${directive('base-uri')}`);
	const scripts = directive('script-src') ?? directive('default-src') ?? '';
	if (/'unsafe-inline'|'unsafe-eval'/.test(scripts)) problems.push(`${what}: script-src allows ${scripts}`);
	if (/text\/html/.test(reply.headers.get('content-type') ?? '')) {
		const inline = [...reply.text.matchAll(/<script\b([^>]*)>/g)].filter((m) => !/\ssrc=/.test(m[1]));
		const nonce = /'nonce-([^']+)'/.exec(scripts)?.[1];
		for (const m of inline)
			if (!nonce || !m[1].includes(`nonce="${nonce}"`)) problems.push(`${what}: an inline <script> without the policy's nonce`);
		if (inline.length && !/'nonce-|'sha256-/.test(scripts))
			problems.push(`${what}: inline scripts but script-src has neither nonce nor hash`);
	}
	return problems;
}

function headerProblems(reply: Reply, what: string, dynamic = true): string[] {
	const problems = cspProblems(reply, what);
	const h = (name: string) => reply.headers.get(name) ?? '';
	if (h('x-content-type-options') !== 'nosniff') problems.push(`${what}: X-Content-Type-Options is "${h('x-content-type-options')}"`);
	if (!/^(no-referrer|same-origin|strict-origin|strict-origin-when-cross-origin)$/.test(h('referrer-policy')))
		problems.push(`${what}: Referrer-Policy is "${h('referrer-policy')}"`);
	if (dynamic && !/^[A-Za-z0-9-]{8,64}$/.test(h('x-request-id'))) problems.push(`${what}: no X-Request-Id`);
	if (h('strict-transport-security')) problems.push(`${what}: HSTS over plain HTTP`);
	return problems;
}

test('every response carries the security headers: pages, actions, endpoints, errors and static files', async () => {
	const routes = discoverRoutes();
	const problems: string[] = [];
	let checked = 0;
	const callers = new Map<Caller, Client>();
	for (const r of routes) {
		const entry = MATRIX[r.key];
		if (!entry) continue;
		// As someone allowed, and as someone refused (error pages and redirects count too).
		const who = new Set<Caller>([entry.allow[0], CALLERS.find((c) => !entry.allow.includes(c)) ?? 'anonymous']);
		for (const caller of who) {
			if (!callers.has(caller)) callers.set(caller, caller === 'anonymous' ? client() : await signedIn(ACCOUNTS[caller]));
			const c = callers.get(caller)!;
			const path = await entryPath(r.key, entry, fixtures);
			const reply = r.method === 'GET' ? await c.get(path) : await c.request(r.method, path, { form: entry.form ?? {} });
			problems.push(...headerProblems(reply, `${r.key} as ${caller} (${reply.status})`));
			checked++;
			if (entry.endsSession) callers.delete(caller);
		}
	}
	const anonymous = client();
	const page = await anonymous.get('/login');
	const assets = [
		...new Set(
			[...page.text.matchAll(/(?:src|href|import\()\s*=?\s*["']((?:\.{1,2}\/|\/)*_app\/[^"']+)["']/g)].map(
				(m) => new URL(m[1], `${server.url}/login`).pathname
			)
		)
	].slice(0, 4);
	expect(assets.length).toBeGreaterThan(0);
	for (const path of [...assets, '/favicon.svg']) {
		const reply = await anonymous.get(path);
		expect(reply.status, path).toBe(200);
		problems.push(...headerProblems(reply, `static ${path}`, false));
		checked++;
	}
	for (const path of ['/no-such-page', '/courses/no-such-course', '/_app/immutable/missing.js']) {
		problems.push(...headerProblems(await anonymous.get(path), `missing ${path}`, !path.startsWith('/_app')));
		checked++;
	}
	const failed = await anonymous.post('/login', { username: 'nobody-here', password: 'x' });
	problems.push(...headerProblems(failed, 'failed sign-in'));
	console.log(`security headers checked on ${checked + 1} responses`);
	expect(problems).toEqual([]);
});

test('in production (HTTPS origin) HSTS is sent and the session cookie is __Host-, Secure and HttpOnly', async () => {
	test.setTimeout(120_000);
	const origin = 'https://govlearn.example.gov.cn';
	const https = appServer({ buildDir: e2eBuildDir(), port: port(4268), env: { DATABASE_URL: env.databaseUrl, ORIGIN: origin } });
	await https.start();
	try {
		const c = new Client(https.url);
		for (const path of ['/login', '/healthz', '/favicon.svg']) {
			const reply = await c.get(path);
			expect(reply.headers.get('strict-transport-security'), path).toMatch(/max-age=\d{7,}/);
		}
		const reply = await c.request('POST', '/login', { form: { username: 'learner', password: DEMO_PASSWORD }, headers: { origin } });
		expect(reply.status).toBe(303);
		const cookie = reply.headers.getSetCookie().find((line) => line.includes('govlearn_session='))!;
		expect(cookie).toMatch(/^__Host-govlearn_session=/);
		expect(cookie).toMatch(/;\s*Secure/i);
		expect(cookie).toMatch(/;\s*HttpOnly/i);
		expect(cookie).toMatch(/;\s*Path=\//i);
		expect(cookie).toMatch(/;\s*SameSite=Lax/i);
		expect(cookie).not.toMatch(/;\s*Domain=/i);
	} finally {
		await https.stop();
	}
});

test('twelve wrong passwords, then the right one is refused with 429 and Retry-After; other accounts still sign in', async () => {
	const [victim] = await env.sql<{ username: string }[]>`select username from "user" where username like 'G%' order by id limit 1 offset 3`;
	const attacker = client();
	const statuses: number[] = [];
	for (let i = 0; i < 12; i++) statuses.push((await attacker.signIn(victim.username, `wrong-${i}`)).status);
	expect(statuses.slice(0, 5)).toEqual([400, 400, 400, 400, 400]);
	expect(statuses.slice(5).every((s) => s === 429)).toBe(true);
	const right = await client().signIn(victim.username, DEMO_PASSWORD);
	expect(right.status).toBe(429);
	const wait = Number(right.headers.get('retry-after'));
	expect(wait).toBeGreaterThan(0);
	expect(wait).toBeLessThanOrEqual(300);
	expect(right.text).toContain('role="alert"');
	// The throttle is per account: a colleague from the same address is not locked out.
	const colleague = await attacker.signIn('trainer', DEMO_PASSWORD);
	expect(colleague.status).toBe(303);
});

test('a parallel burst of guesses gets no more tries than a slow one', async () => {
	const [target] = await env.sql<{ username: string }[]>`select username from "user" where username like 'G%' order by id limit 1 offset 4`;
	const replies = await Promise.all(Array.from({ length: 24 }, (_, i) => client().signIn(target.username, `burst-${i}`)));
	// 400: the password was checked (and wrong). Everything else was refused before any check: 429 by
	// the throttle, or 503 when the machine is too busy to hash in time (the sign-in admission).
	const checked = replies.filter((r) => r.status === 400).length;
	expect(checked).toBeLessThanOrEqual(5);
	expect(replies.filter((r) => r.status === 429 || r.status === 503).length).toBe(24 - checked);
	expect(replies.filter((r) => r.status === 429).length).toBeGreaterThan(0);
});

test('an address with too many failures is refused for every account; other addresses are not', async () => {
	const spray = new Client(server.url, { forwardedFor: '203.0.113.66' });
	for (let i = 0; i < 50; i++) expect((await spray.signIn(`spray-${i}`, 'guess')).status).toBe(400);
	expect((await spray.signIn('spray-x', 'guess')).status).toBe(400);
	const blocked = await spray.signIn('learner', DEMO_PASSWORD);
	expect(blocked.status).toBe(429);
	expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
	expect((await client().signIn('learner', DEMO_PASSWORD)).status).toBe(303);
});

test('signing in rotates the session: a planted or earlier token does not survive it', async () => {
	const c = client();
	// A token an attacker planted is refused and cleared.
	c.cookies.set('govlearn_session', 'attackerchosenid.attackerchosensecret');
	const planted = await c.get('/me');
	expect(planted.status).toBe(303);
	expect(planted.location).toMatch(/^\/login/);
	expect((await c.signIn('learner', DEMO_PASSWORD)).status).toBe(303);
	const first = c.sessionCookie()!;
	expect(first).not.toContain('attackerchosen');
	expect((await c.signIn('learner', DEMO_PASSWORD)).status).toBe(303);
	const second = c.sessionCookie()!;
	expect(second).not.toBe(first);
	expect(second.split('.')[0]).not.toBe(first.split('.')[0]);
	const replay = client();
	replay.cookies.set('govlearn_session', first);
	expect((await replay.get('/me')).status).toBe(303);
	// Signing out ends the session on the server: the cookie replayed later is worthless.
	expect((await c.post('/logout', {})).status).toBe(303);
	const after = client();
	after.cookies.set('govlearn_session', second);
	expect((await after.get('/me')).status).toBe(303);
});

/** Places to go back to that a browser would turn into another site, or that break the Location header. */
const HOSTILE_TARGETS = [
	'//evil.example',
	'/\\evil.example',
	'\\/evil.example',
	'/\t/evil.example',
	'/\n/evil.example',
	'/\r\nSet-Cookie: a=b',
	'/\u0000/evil.example',
	' //evil.example',
	'/%09/evil.example',
	'/%5cevil.example',
	'https://evil.example/',
	'javascript:alert(1)',
	'/..//evil.example',
	'//govlearn@evil.example'
];

function expectSameOrigin(reply: Reply, target: string) {
	// A NUL character anywhere in the input is refused by the hook with a clear 400 (see the NUL test below).
	if (target.includes('\u0000')) {
		expect(reply.status, JSON.stringify(target)).toBe(400);
		expect(reply.location).toBeNull();
		return;
	}
	expect(reply.status, JSON.stringify(target)).toBe(303);
	const location = reply.location ?? '';
	// What the browser would do with the Location header: resolve it against the page it asked for.
	expect(new URL(location, server.url).origin, `${JSON.stringify(target)} -> ${JSON.stringify(location)}`).toBe(new URL(server.url).origin);
	expect(location, JSON.stringify(target)).toMatch(/^\/(?![/\\])/);
}

test('the place to go back to after sign-in and after switching language is always on this site, and never a 5xx', async () => {
	const signedInLearner = await signedIn('learner');
	const anonymous = client();
	for (const target of HOSTILE_TARGETS) {
		const query = `/login?redirectTo=${encodeURIComponent(target)}`;
		// Already signed in: the sign-in page sends the user straight on.
		expectSameOrigin(await signedInLearner.get(query), target);
		const page = await anonymous.get(query);
		expect(page.status, JSON.stringify(target)).toBe(target.includes('\u0000') ? 400 : 200);
		for (const c of [anonymous, signedInLearner]) expectSameOrigin(await c.post('/locale', { locale: 'en', redirectTo: target }), target);
	}
	// Signing in itself (a few, as each costs a password hash).
	for (const target of HOSTILE_TARGETS.slice(0, 6))
		expectSameOrigin(
			await client().post(`/login?redirectTo=${encodeURIComponent(target)}`, { username: 'learner', password: DEMO_PASSWORD }),
			target
		);
	// Ordinary places still work.
	const back = await client().post(`/login?redirectTo=${encodeURIComponent('/courses?page=2')}`, {
		username: 'learner',
		password: DEMO_PASSWORD
	});
	expect(back.location).toBe('/courses?page=2');
	expect((await anonymous.post('/locale', { locale: 'zh-CN', redirectTo: '/login?x=1#top' })).location).toBe('/login?x=1#top');
});

test('cross-site form posts are refused', async () => {
	const c = await signedIn('learner');
	for (const origin of ['https://evil.example', 'null']) {
		const reply = await c.request('POST', '/account?/password', {
			form: { current: DEMO_PASSWORD, next: 'a-new-password-1', confirm: 'a-new-password-1' },
			headers: { origin }
		});
		expect(reply.status, origin).toBe(403);
	}
	expect((await c.get('/me')).status).toBe(200);
});

test('every non-GET request from another origin, or with no origin, is refused, whatever its content type', async () => {
	const admin = await signedIn('admin');
	const before = await fingerprint(env.sql);
	const [batch] = await env.sql<{ id: number }[]>`select id from import_batch order by id limit 1`;
	const endpoint = `/admin/import/${batch?.id ?? 1}/apply`;
	// An endpoint that ignores its body: SvelteKit's own check sees no form content type and lets it by.
	const foreign: Record<string, string>[] = [
		{ origin: 'https://evil.example' },
		{ origin: 'null' },
		{ origin: 'https://evil.example', 'content-type': 'text/plain' }
	];
	for (const headers of foreign) {
		const reply = await admin.request('POST', endpoint, { headers });
		expect(reply.status, JSON.stringify(headers)).toBe(403);
	}
	// A request that names no origin at all is not one of our pages either.
	const bare = await fetch(new URL(endpoint, server.url), {
		method: 'POST',
		headers: { cookie: admin.cookieHeader(), connection: 'close' },
		redirect: 'manual'
	});
	expect(bare.status).toBe(403);
	expect(await bare.text()).toContain('Cross-site request refused');
	expect(changedTables(before, await fingerprint(env.sql))).toEqual([]);
	// The same-origin request still works as before (no 403).
	expect((await admin.post('/logout', {})).status).toBe(303);
});

test('bodies are small except on the upload routes of signed-in admins and trainers', async () => {
	const big = 'x'.repeat(3 * 1024 * 1024);
	// Anonymous: the sign-in form refuses a declared 3 MB body at once, and cuts off a chunked one.
	const anon = client();
	const declared = await anon.request('POST', '/login', {
		body: `username=learner&password=${big}`,
		headers: { 'content-type': 'application/x-www-form-urlencoded' }
	});
	expect(declared.status).toBe(413);
	const chunks = new ReadableStream<Uint8Array>({
		start(controller) {
			for (let i = 0; i < 3; i++) controller.enqueue(new TextEncoder().encode(big.slice(0, 1024 * 1024)));
			controller.close();
		}
	});
	const chunked = await fetch(new URL('/login', server.url), {
		method: 'POST',
		body: chunks,
		duplex: 'half',
		headers: {
			'content-type': 'application/x-www-form-urlencoded',
			origin: new URL(server.url).origin,
			'x-forwarded-for': '198.51.99.7',
			connection: 'close'
		},
		redirect: 'manual'
	} as RequestInit);
	expect([400, 413]).toContain(chunked.status);
	// A learner may not send a large body to an upload route either.
	const learner = await signedIn('learner');
	expect((await learner.request('POST', '/admin/import', { body: big, headers: { 'content-type': 'text/plain' } })).status).toBe(413);
	// The admin's staff import takes a file over 1 MB (here: rows that are all wrong, so the answer is a report, not a 413).
	const admin = await signedIn('admin');
	const rows = ['username,name,department']
		.concat(Array.from({ length: 40_000 }, (_, i) => `bulk-${i},${'名'.repeat(8)},NO-SUCH-DEPT`))
		.join('\n');
	expect(rows.length).toBeGreaterThan(1024 * 1024);
	const form = new FormData();
	form.append('file', new Blob([rows], { type: 'text/csv' }), 'staff.csv');
	const upload = await admin.request('POST', '/admin/import?/preview', { body: form });
	expect(upload.status).toBe(303);
	expect(upload.location).toMatch(/^\/admin\/import\/\d+$/);
});

test('a form that cannot be read, or input with a NUL character, gets a clear 400 and changes nothing', async () => {
	const c = await signedIn('learner');
	// The learner's language is stored on the account, and another test switches it: choose it here.
	await c.post('/locale', { locale: 'zh-CN', redirectTo: '/me' });
	const before = await fingerprint(env.sql);
	const broken = await c.request('POST', '/account?/password', {
		body: 'current=x',
		headers: { 'content-type': 'multipart/form-data; boundary=nothere' }
	});
	expect(broken.status).toBe(400);
	expect(broken.text).toContain('无法读取请求');
	const nul = await c.post('/account?/password', { current: 'a\u0000b', next: 'x', confirm: 'x' });
	expect(nul.status).toBe(400);
	expect((await c.get('/courses?q=%00')).status).toBe(400);
	expect(changedTables(before, await fingerprint(env.sql))).toEqual([]);
});

test('trainers see how many of a department completed a course, never who; administrators may look a person up', async () => {
	const [learner] = await env.sql<{ department_id: number; display_name: string }[]>`
		select department_id, display_name from "user" where username = 'learner'`;
	const trainer = await signedIn('trainer');
	await trainer.post('/locale', { locale: 'en', redirectTo: '/studio' });
	const asked = await trainer.get('/studio/assignments?person=learner');
	expect(asked.status).toBe(200);
	expect(asked.text).toContain('Looking up a person is for administrators');
	expect(asked.text).not.toContain(learner.display_name);
	expect(asked.text).not.toContain('id="explain-person"');
	const department = await trainer.get(`/studio/assignments?department=${learner.department_id}`);
	expect(department.text).toMatch(/In this department: \d+ of \d+ people completed it/);
	expect(department.text).not.toContain(learner.display_name);
	const admin = await signedIn('admin');
	const looked = await admin.get('/studio/assignments?person=learner');
	expect(looked.text).toContain(learner.display_name);
	expect(looked.text).toContain('id="explain-person"');
});

test('the security log has sign-ins, failures, refusals and changes as JSON lines in UTC with the request id', async () => {
	const since = server.events().length;
	const stamp = Date.now();
	const id = (n: number) => `sec-log-test-${n}-${stamp}`;
	const anon = client();
	await anon.request('POST', '/login', { form: { username: 'learner', password: 'not-it' }, headers: { 'x-request-id': id(1) } });
	const learner = client();
	const ok = await learner.request('POST', '/login', {
		form: { username: 'learner', password: DEMO_PASSWORD },
		headers: { 'x-request-id': id(2) }
	});
	expect(ok.headers.get('x-request-id')).toBe(id(2));
	await learner.request('GET', '/admin', { headers: { 'x-request-id': id(3) } });
	const trainer = await signedIn('trainer');
	const [course] = await env.sql<{ id: string }[]>`select id from course where slug = ${fixtures.params.course}`;
	const created = await trainer.request('POST', '/studio/assignments?/create', {
		form: { courseId: course.id, departmentId: String(fixtures.ids.westDeptId), dueDate: '2099-12-31', recurrence: 'none', required: 'on' },
		headers: { 'x-request-id': id(4) }
	});
	expect(created.status, created.text.slice(0, 300)).toBe(303);
	await new Promise((r) => setTimeout(r, 200));
	const events = server.events().slice(since);
	const find = (event: string, requestId: string) => events.find((e) => e.event === event && e.requestId === requestId);
	expect(find('auth.login.failure', id(1)), 'sign-in failure').toMatchObject({ target: 'username:learner' });
	expect(find('auth.login.success', id(2)), 'sign-in success').toMatchObject({ actor: 'learner' });
	expect(find('authz.denied', id(3)), 'authorization failure').toMatchObject({ actor: 'learner', path: '/admin' });
	expect(
		events.find((e) => e.requestId === id(4) && e.actor === 'trainer' && /assignment/.test(String(e.event))),
		'a change by a trainer'
	).toBeTruthy();
	for (const e of events) expect(String(e.at)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
	// Never a password in the log (the demo banner at start names the published demo password; no log line does).
	const lines = JSON.stringify(server.events());
	expect(lines).not.toContain(DEMO_PASSWORD);
	expect(lines).not.toContain('not-it');
});

test('the HTTP fuzzer: never a 5xx, and never a change to data the caller may not change', async () => {
	test.setTimeout(600_000);
	const routes = discoverRoutes().filter((r) => MATRIX[r.key]);
	const ids = new Map(
		(
			await env.sql<
				{ username: string; id: number }[]
			>`select username, id from "user" where username in ('learner', 'trainer', 'hr', 'hr-east', 'admin')`
		).map((u) => [u.username, u.id])
	);
	const failures: string[] = [];
	let sent = 0;
	const statuses = new Map<number, number>();
	for (const caller of CALLERS) {
		let c = caller === 'anonymous' ? client() : await signedIn(ACCOUNTS[caller]);
		const send = async (req: ReturnType<typeof fuzzRequests>[number]) => {
			sent++;
			let reply: Reply;
			try {
				reply = await c.request(req.method, req.path, { body: req.body as BodyInit | undefined, headers: req.headers });
			} catch (e) {
				// A request line past the server's 16 KB header limit may be cut off instead of answered 431.
				if (e instanceof NetworkError && req.path.length > 16_000) return;
				// A body past the 1 MB limit is answered 413 before it is read, and the connection closed while the client still writes.
				const oversized = typeof req.body === 'string' && req.body.length > 1024 * 1024;
				if (e instanceof NetworkError && oversized && /EPIPE|ECONNRESET/.test(e.message)) return;
				if (e instanceof NetworkError) return failures.push(`${req.label} as ${caller}: ${e.message.slice(0, 300)}`);
				throw e;
			}
			statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
			if (reply.status >= 500)
				failures.push(`${req.label} as ${caller}: ${reply.status} (request id ${reply.headers.get('x-request-id')})`);
			// A request that signed the caller out (logout, or a sign-in as someone else) is followed by a fresh sign-in.
			if (caller !== 'anonymous' && !c.sessionCookie()) c = await signedIn(ACCOUNTS[caller]);
		};
		const denied = routes.filter((r) => !MATRIX[r.key].allow.includes(caller));
		const allowed = routes.filter((r) => MATRIX[r.key].allow.includes(caller));
		const [{ lastAudit }] = await env.sql<{ lastAudit: number }[]>`select coalesce(max(id), 0)::int as "lastAudit" from audit_log`;

		// Refused routes: nothing at all may change.
		const before = await fingerprint(env.sql);
		for (const r of denied) for (const req of fuzzRequests(r, fixtures.params, FUZZ_RUNS, FUZZ_SEED + r.key.length)) await send(req);
		const after = await fingerprint(env.sql);
		const changed = changedTables(before, after);
		if (changed.length) failures.push(`as ${caller}, requests to routes refused to them changed ${changed.join(', ')}`);
		if (caller !== 'anonymous') {
			const audited = await env.sql<{ action: string }[]>`
				select distinct action from audit_log where id > ${lastAudit} and actor_username = ${ACCOUNTS[caller]} and action not like 'auth.%'`;
			if (audited.length) failures.push(`as ${caller}, refused routes recorded changes: ${audited.map((a) => a.action).join(', ')}`);
		}

		// Allowed routes: whatever changes belongs to the caller (or is their role's to change).
		const own = caller === 'anonymous' ? undefined : ids.get(ACCOUNTS[caller]);
		const roleTables =
			caller === 'admin' ? undefined : caller === 'trainer' || caller === 'hr' || caller === 'hrEast' ? ['assignment'] : [];
		if (roleTables) {
			// Department roll-ups are sums over everyone, the caller included: they follow the caller's own rows.
			const exclude = [...roleTables, 'insight_dept_course', 'insight_dept_hours', 'insight_dept_mastery', 'insight_dept_staff'];
			const start = await fingerprint(env.sql, { exclude, ownUserId: own });
			for (const r of allowed) for (const req of fuzzRequests(r, fixtures.params, FUZZ_RUNS, FUZZ_SEED + r.key.length)) await send(req);
			const end = await fingerprint(env.sql, { exclude, ownUserId: own });
			const touched = changedTables(start, end);
			if (touched.length) failures.push(`as ${caller}, requests to their own routes changed other people's rows in ${touched.join(', ')}`);
		} else
			for (const r of allowed) for (const req of fuzzRequests(r, fixtures.params, FUZZ_RUNS, FUZZ_SEED + r.key.length)) await send(req);
	}
	// One body larger than the server accepts: refused with 413, not a crash.
	let huge: number | string;
	try {
		huge = (
			await client().request('POST', '/login', {
				body: new Uint8Array(61 * 1024 * 1024),
				headers: { 'content-type': 'application/x-www-form-urlencoded' }
			})
		).status;
	} catch (e) {
		if (!(e instanceof NetworkError)) throw e;
		huge = 'connection closed';
	}
	sent++;
	expect([413, 'connection closed']).toContain(huge);
	expect((await client().get('/healthz')).status).toBe(200);
	// What the server said about its 500s: one line per distinct error.
	const errors = [
		...new Set(
			server
				.events()
				.filter((e) => e.event === 'server.error')
				.map((e) => `${e.path}: ${String(e.error).split('\n').slice(0, 2).join(' ')}`)
		)
	];
	if (errors.length) console.log(`server errors:\n${errors.slice(0, 30).join('\n')}`);
	console.log(
		`HTTP fuzzer: ${sent} requests (seed ${FUZZ_SEED}, ${FUZZ_RUNS} per route and caller); statuses ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}`
	);
	expect(failures).toEqual([]);
});
