// The reliability scenarios, shared by `npm run test:reliability` (full length) and the short e2e
// version in `npm test`: load without loss, SIGKILL of an app server, a Postgres restart, and two app
// servers on one database. Each returns what it measured and a list of problems (empty = passed).
import postgres from 'postgres';
import { hashPassword } from '../../src/lib/server/auth/password';
import { readContentFiles } from '../../src/lib/server/content/files';
import { loadLibrary } from '../../src/lib/server/content/library';
import { appServer, type AppServer } from './app';
import { Client } from './http';
import { runLoad, type CourseRoute, type LoadResult } from './load';
import { scratchPostgres, type ScratchPostgres } from './postgres';

export const LOAD_PASSWORD = 'reliability-Load-2026';

export interface Environment {
	pg: ScratchPostgres;
	databaseUrl: string;
	sql: postgres.Sql;
	servers: AppServer[];
	buildDir: string;
	close(): Promise<void>;
}

/**
 * A scratch Postgres cluster on `pgPort`, one database, and app servers on `appPorts` (not started).
 * `env` goes to every server (SEED_DEMO and so on).
 */
export async function environment(options: {
	buildDir: string;
	pgPort: number;
	appPorts: number[];
	env?: Record<string, string>;
	database?: string;
}): Promise<Environment> {
	const pg = await scratchPostgres(options.pgPort);
	try {
		const databaseUrl = await pg.database(options.database ?? 'govlearn');
		const sql = postgres(databaseUrl, { max: 4, onnotice: () => {} });
		const servers = options.appPorts.map((port) =>
			appServer({ buildDir: options.buildDir, port, env: { DATABASE_URL: databaseUrl, DB_POOL_SIZE: '20', ...options.env } })
		);
		return {
			pg,
			databaseUrl,
			sql,
			servers,
			buildDir: options.buildDir,
			async close() {
				await Promise.all(servers.map((s) => s.stop()));
				await sql.end({ timeout: 2 });
				pg.destroy();
			}
		};
	} catch (e) {
		pg.destroy();
		throw e;
	}
}

/** The published courses and their visible lessons, read from content/ as the server bundles them. */
export function courseRoutes(): CourseRoute[] {
	const library = loadLibrary(readContentFiles());
	return library.courses
		.filter((c) => !c.draft && c.errors.length === 0)
		.map((c) => ({ slug: c.slug, lessons: c.lessons.filter((l) => !l.draft).map((l) => l.slug) }))
		.filter((c) => c.lessons.length > 0);
}

/** `count` learners made directly in the database, all with one argon2 hash of LOAD_PASSWORD. */
export async function createLearners(sql: postgres.Sql, count: number, prefix = 'load'): Promise<string[]> {
	const hash = await hashPassword(LOAD_PASSWORD);
	const [dept] = await sql<{ id: number }[]>`
		insert into department (code, name_zh, name_en, path, depth) values (${prefix.toUpperCase()}, '压力测试', 'Load test', '/', 0)
		on conflict (code) do update set name_en = excluded.name_en returning id`;
	await sql`update department set path = ${`/${dept.id}/`} where id = ${dept.id}`;
	const usernames = Array.from({ length: count }, (_, i) => `${prefix}-${String(i + 1).padStart(4, '0')}`);
	const values = usernames.map((username) => ({
		username,
		display_name: username,
		department_id: dept.id,
		roles: '{learner}',
		password_hash: hash
	}));
	await sql`insert into "user" ${sql(values, 'username', 'display_name', 'department_id', 'roles', 'password_hash')} on conflict (username) do nothing`;
	return usernames;
}

export interface Stored {
	/** Submitted attempts of the load's learners in the database. */
	stored: number;
	/** Acknowledged attempt ids that are not submitted in the database. */
	lost: number[];
	/** Submitted attempts no client was told about. */
	unacknowledged: number[];
	/** Submitted attempts without exactly one answer row per question shown. */
	badAnswers: number[];
}

/** Compares what the clients were told with what the database holds. */
export async function verifyStored(sql: postgres.Sql, result: LoadResult): Promise<Stored> {
	const usernames = [...new Set([...result.acknowledgedIds.keys()])];
	const rows = usernames.length
		? await sql<{ id: number; username: string; questions: number; answers: number }[]>`
			select a.id, u.username, jsonb_array_length(a.slots) as questions,
				(select count(*)::int from attempt_answer x where x.attempt_id = a.id) as answers
			from quiz_attempt a join "user" u on u.id = a.user_id
			where a.submitted_at is not null and u.username = any(${sql.array(usernames)})`
		: [];
	const acknowledged = new Set([...result.acknowledgedIds.values()].flat());
	const stored = new Set(rows.map((r) => r.id));
	return {
		stored: rows.length,
		lost: [...acknowledged].filter((id) => !stored.has(id)),
		unacknowledged: rows.filter((r) => !acknowledged.has(r.id)).map((r) => r.id),
		badAnswers: rows.filter((r) => r.answers !== r.questions).map((r) => r.id)
	};
}

/** Every learner who took part (submitted at all) may have been acknowledged only for their own attempts. */
function lossProblems(result: LoadResult, stored: Stored): string[] {
	const problems: string[] = [];
	if (result.errorCount) problems.push(`${result.errorCount} errors, e.g.:\n  ${result.errors.slice(0, 8).join('\n  ')}`);
	if (result.acknowledged === 0) problems.push('no submission was acknowledged');
	if (result.acknowledged !== result.sent) problems.push(`${result.sent} submissions sent but ${result.acknowledged} acknowledged`);
	if (stored.lost.length) problems.push(`acknowledged but not stored: attempts ${stored.lost.slice(0, 20).join(', ')}`);
	if (stored.unacknowledged.length)
		problems.push(`stored but never acknowledged: attempts ${stored.unacknowledged.slice(0, 20).join(', ')}`);
	if (stored.stored !== result.acknowledged) problems.push(`${result.acknowledged} acknowledged, ${stored.stored} stored`);
	if (stored.badAnswers.length)
		problems.push(`attempts without exactly one answer per question: ${stored.badAnswers.slice(0, 20).join(', ')}`);
	return problems;
}

/** Server log lines that mean a request failed on the server (500s). */
function serverErrors(servers: AppServer[], since: number): string[] {
	return servers.flatMap((s) =>
		s
			.events()
			.filter((e) => e.event === 'server.error' && Date.parse(String(e.at)) >= since)
			.map((e) => `${s.port}: ${String(e.error ?? e.path).split('\n')[0]}`)
	);
}

/** What the servers logged about the database's availability (db.down, db.unavailable, db.recovered). */
function outageEvents(servers: AppServer[], since: number): string {
	const events = servers.flatMap((s) =>
		s
			.events()
			.filter((e) => /^db\./.test(String(e.event)) && Date.parse(String(e.at)) >= since)
			.map((e) => `${s.port} ${e.at} ${e.event} ${e.path ?? ''}`)
	);
	return events.length ? events.slice(0, 10).join('; ') : 'nothing';
}

/** The last lines a server wrote that are not routine log events (stack traces, crash messages). */
function diagnostics(server: AppServer): string {
	return server
		.output()
		.split('\n')
		.filter((l) => l && !/^\{"at":"[^"]+","event":"(auth\.|server\.start|user\.|db\.unavailable)/.test(l))
		.slice(-25)
		.join('\n');
}

export interface LoadFigures {
	learners: number;
	seconds: number;
	sent: number;
	acknowledged: number;
	stored: number;
	retries: number;
	unavailable: number;
	signInsDeferred: number;
	resubmitted: number;
	requests: number;
	signIns: number;
	lessonsRead: number;
}

function figures(result: LoadResult, stored: Stored, ms: number): LoadFigures {
	return {
		learners: result.learners,
		seconds: Math.round(ms / 100) / 10,
		sent: result.sent,
		acknowledged: result.acknowledged,
		stored: stored.stored,
		retries: result.retries,
		unavailable: result.unavailable,
		signInsDeferred: result.signInsDeferred,
		resubmitted: result.resubmitted,
		requests: result.requests,
		signIns: result.signIns,
		lessonsRead: result.lessonsRead
	};
}

export interface Outcome<T = LoadFigures> {
	figures: T;
	problems: string[];
}

/** N learners for `durationMs` against the running servers: no errors, every acknowledgement stored once. */
export async function loadWithoutLoss(
	env: Environment,
	usernames: string[],
	durationMs: number
): Promise<Outcome<LoadFigures & { healthChecks: number }>> {
	const since = Date.now();
	const load = runLoad({ servers: env.servers.map((s) => s.url), usernames, password: LOAD_PASSWORD, courses: courseRoutes(), durationMs });
	// A load balancer keeps asking /healthz meanwhile: a busy server must not look broken.
	let done = false;
	const health: string[] = [];
	let healthChecks = 0;
	const sampler = (async () => {
		while (!done) {
			for (const s of env.servers) {
				healthChecks++;
				// As a load balancer does, a server counts as down after two failed checks in a row.
				const failures: string[] = [];
				for (let attempt = 0; attempt < 2 && failures.length === attempt; attempt++) {
					const reply = await fetch(`${s.url}/healthz`, { headers: { connection: 'close' }, signal: AbortSignal.timeout(10_000) }).catch(
						(e: Error) => ({ status: `${e.name}: ${String((e.cause as Error | undefined)?.message ?? e.message)}` })
					);
					if (reply.status !== 200) failures.push(String(reply.status));
				}
				if (failures.length === 2) health.push(`${s.port}: ${failures.join(', ')}`);
			}
			await new Promise((r) => setTimeout(r, 1000));
		}
	})();
	const result = await load;
	done = true;
	await sampler;
	const stored = await verifyStored(env.sql, result);
	const problems = lossProblems(result, stored);
	if (health.length)
		problems.push(`/healthz failed ${health.length} of ${healthChecks} times under load: ${health.slice(0, 5).join(', ')}`);
	if (result.retries)
		problems.push(
			`${result.retries} requests had to be retried although nothing was disrupted; the servers said: ${outageEvents(env.servers, since)}`
		);
	problems.push(...serverErrors(env.servers, since));
	return { figures: { ...figures(result, stored, Date.now() - since), healthChecks }, problems };
}

/** The same load; at `killAfterMs` the first server is SIGKILLed and restarted `downMs` later. */
export async function crashDuringLoad(
	env: Environment,
	usernames: string[],
	durationMs: number,
	killAfterMs: number,
	downMs: number
): Promise<Outcome<LoadFigures & { restartMs: number }>> {
	const since = Date.now();
	const victim = env.servers[0];
	const load = runLoad({ servers: env.servers.map((s) => s.url), usernames, password: LOAD_PASSWORD, courses: courseRoutes(), durationMs });
	await new Promise((r) => setTimeout(r, killAfterMs));
	await victim.kill();
	await new Promise((r) => setTimeout(r, downMs));
	const restartAt = Date.now();
	await victim.start();
	const restartMs = Date.now() - restartAt;
	const result = await load;
	const stored = await verifyStored(env.sql, result);
	const problems = lossProblems(result, stored);
	if (result.retries === 0) problems.push('the kill interrupted nothing (no retries): the scenario proved nothing');
	problems.push(...serverErrors(env.servers, since));
	return { figures: { ...figures(result, stored, Date.now() - since), restartMs }, problems };
}

export interface OutageFigures extends LoadFigures {
	/** Page answers and /healthz answers seen while Postgres was down. */
	duringOutage: { pages: Record<string, number>; healthz: Record<string, number> };
	recoveredMs: number;
}

/**
 * The same load; at `stopAfterMs` Postgres is stopped for `downMs` and started again. Meanwhile pages
 * must answer 503 with Retry-After and /healthz "degraded"; afterwards the app recovers without a restart.
 */
export async function postgresRestartDuringLoad(
	env: Environment,
	usernames: string[],
	durationMs: number,
	stopAfterMs: number,
	downMs: number
): Promise<Outcome<OutageFigures>> {
	const since = Date.now();
	const problems: string[] = [];
	const processes = env.servers.map((s) => s.running());
	const load = runLoad({ servers: env.servers.map((s) => s.url), usernames, password: LOAD_PASSWORD, courses: courseRoutes(), durationMs });
	await new Promise((r) => setTimeout(r, stopAfterMs));
	env.pg.stop('fast');
	const pages: Record<string, number> = {};
	const healthz: Record<string, number> = {};
	const probe = new Client(env.servers[0].url, { timeoutMs: 10_000 });
	const downUntil = Date.now() + downMs;
	while (Date.now() < downUntil) {
		const page = await probe.get('/login').catch(() => undefined);
		const health = await probe.get('/healthz').catch(() => undefined);
		const p = String(page?.status ?? 'no answer');
		const h = `${health?.status ?? 'no answer'} ${health ? (JSON.parse(health.text || '{}').status ?? '') : ''}`.trim();
		pages[p] = (pages[p] ?? 0) + 1;
		healthz[h] = (healthz[h] ?? 0) + 1;
		if (page?.status === 503 && !page.headers.get('retry-after')) problems.push('a 503 without Retry-After');
		await new Promise((r) => setTimeout(r, 200));
	}
	env.pg.start();
	const back = Date.now();
	let recoveredMs = -1;
	while (Date.now() - back < 60_000) {
		const health = await probe.get('/healthz').catch(() => undefined);
		if (health?.status === 200) {
			recoveredMs = Date.now() - back;
			break;
		}
		await new Promise((r) => setTimeout(r, 100));
	}
	const result = await load;
	const stored = await verifyStored(env.sql, result);
	problems.push(...lossProblems(result, stored));
	if (!pages['503']) problems.push(`no 503 while Postgres was down (pages answered ${JSON.stringify(pages)})`);
	if (Object.keys(pages).some((s) => s !== '503'))
		problems.push(`pages answered other than 503 while Postgres was down: ${JSON.stringify(pages)}`);
	if (!healthz['503 degraded'] || Object.keys(healthz).some((s) => s !== '503 degraded'))
		problems.push(`/healthz while Postgres was down: ${JSON.stringify(healthz)}`);
	if (recoveredMs < 0) problems.push('the app did not recover within a minute of Postgres coming back');
	for (const [i, s] of env.servers.entries())
		if (s.running() !== processes[i]) problems.push(`app server ${s.port} ended during the Postgres restart:\n${diagnostics(s)}`);
	problems.push(...serverErrors(env.servers, since));
	return { figures: { ...figures(result, stored, Date.now() - since), duringOutage: { pages, healthz }, recoveredMs }, problems };
}

export interface ClusterFigures {
	servers: number;
	contentSyncedBy: number;
	demoSeededBy: number;
	courses: number;
	sessionAcross: boolean;
	throttledAcross: boolean;
	retryAfter: number | null;
}

/**
 * Two (or more) app servers started at the same moment on an empty database: both come up, the content
 * is synced once; a session made on one works on the other; sign-in failures on one throttle the other.
 */
export async function severalServers(env: Environment, username: string, password: string): Promise<Outcome<ClusterFigures>> {
	const problems: string[] = [];
	for (const s of env.servers) s.spawn();
	await Promise.all(env.servers.map((s) => s.waitHealthy()));
	const starts = env.servers.map((s) => s.events().find((e) => e.event === 'server.start'));
	const contentSyncedBy = starts.filter((e) => e?.contentSynced === true).length;
	const demoSeededBy = starts.filter((e) => e?.demoSeeded === true).length;
	if (contentSyncedBy !== 1) problems.push(`content synced by ${contentSyncedBy} servers (expected exactly 1)`);
	if (demoSeededBy > 1) problems.push(`demo seeded by ${demoSeededBy} servers`);
	const library = loadLibrary(readContentFiles());
	const [{ courses }] = await env.sql<{ courses: number }[]>`select count(*)::int as courses from course where present`;
	const [{ versions }] = await env.sql<{ versions: number }[]>`select count(*)::int as versions from content_state`;
	if (courses !== library.courses.length) problems.push(`${courses} courses in the database, ${library.courses.length} in content/`);
	if (versions !== 1) problems.push(`${versions} content_state rows`);

	const [a, b] = env.servers;
	const client = new Client(a.url);
	const signIn = await client.signIn(username, password);
	if (signIn.status !== 303) problems.push(`sign-in on ${a.port}: ${signIn.status}`);
	client.use(b.url);
	const me = await client.get('/me');
	const sessionAcross = me.status === 200;
	if (!sessionAcross) problems.push(`the session made on ${a.port} is refused on ${b.port}: ${me.status} ${me.location ?? ''}`);
	// Sign out on B ends the session on A too.
	await client.post('/logout', {});
	client.use(a.url);
	const after = await client.get('/me');
	if (after.status !== 303) problems.push(`signed out on ${b.port} but still signed in on ${a.port}`);

	// Wrong passwords alternate between the servers; then the right one is refused by both.
	const attacker = new Client(a.url);
	for (let i = 0; i < 5; i++) {
		attacker.use(env.servers[i % env.servers.length].url);
		await attacker.signIn(username, `wrong-${i}`);
	}
	let throttledAcross = true;
	let retryAfter: number | null = null;
	for (const s of env.servers) {
		const reply = await new Client(s.url).signIn(username, password);
		if (reply.status !== 429) {
			throttledAcross = false;
			problems.push(`after 5 failures spread over the servers, ${s.port} answered ${reply.status} to the right password`);
		} else retryAfter = Number(reply.headers.get('retry-after'));
	}
	if (throttledAcross && !(retryAfter && retryAfter > 0 && retryAfter <= 300)) problems.push(`Retry-After ${retryAfter}`);
	return {
		figures: { servers: env.servers.length, contentSyncedBy, demoSeededBy, courses, sessionAcross, throttledAcross, retryAfter },
		problems
	};
}
