// `npm run bench -- --embedded`: the demo organisation on PGlite, as `npm start` runs it with no
// database server, and every page of the app requested by the account that would open it.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { connect, LOCKS, migrate, rows } from '../../src/lib/server/db';
import { readContentFiles } from '../../src/lib/server/content/files';
import { loadLibrary } from '../../src/lib/server/content/library';
import { syncContent } from '../../src/lib/server/content/sync';
import { DEMO_PASSWORD, seedDemoIfEmpty } from '../../seeds/demo';
import { hashToken, newToken } from '../../src/lib/server/admin/tokens';
import { load } from './load';
import type { Row } from './report';
import { AppServer, sampled } from './server';

type Account = 'learner' | 'hr' | 'hr-east' | 'trainer' | 'admin' | null;

/** Every page route of the app (a folder with +page.svelte), without its (group) segments. */
export function pageRoutes(dir = 'src/routes'): { id: string; group: string | null }[] {
	const out: { id: string; group: string | null }[] = [];
	const walk = (rel: string[]) => {
		const full = path.join(dir, ...rel);
		const names = readdirSync(full);
		if (names.includes('+page.svelte')) {
			const group = rel.find((s) => /^\(.+\)$/.test(s))?.slice(1, -1) ?? null;
			out.push({ id: '/' + rel.filter((s) => !/^\(.+\)$/.test(s)).join('/'), group });
		}
		for (const name of names) if (statSync(path.join(full, name)).isDirectory()) walk([...rel, name]);
	};
	walk([]);
	return out.sort((a, b) => a.id.localeCompare(b.id));
}

interface Samples {
	course: string;
	lesson: string;
	courseId: string;
	code: string | null;
	department: number;
	eastDepartment: number;
	learnerId: number;
	staffId: number;
	attempt: number | null;
	assignment: number | null;
	question: string | null;
	competency: string;
	batch: number | null;
	token: string;
	eastStaffId: number;
}

/** A value for each route parameter, from the seeded demo data. Undefined: the route is skipped. */
function fill(id: string, s: Samples): string | undefined {
	const segments = id.split('/');
	let ok = true;
	const filled = segments.map((seg, i) => {
		const m = /^\[{1,2}(?:\.\.\.)?([A-Za-z_]+)(?:=[A-Za-z_]+)?\]{1,2}$/.exec(seg);
		if (!m) return seg;
		const name = m[1].toLowerCase();
		const parent = (segments[i - 1] ?? '').toLowerCase();
		const value = name.includes('lesson')
			? s.lesson
			: name.includes('course')
				? parent.includes('studio') || parent === 'courses'
					? s.course
					: s.course
				: name.includes('code')
					? s.code
					: name.includes('dep')
						? s.department
						: name.includes('user') || name.includes('person') || name.includes('staff')
							? s.staffId
							: name.includes('attempt')
								? s.attempt
								: name.includes('assignment')
									? s.assignment
									: name.includes('question')
										? s.question
										: name.includes('competenc')
											? s.competency
											: name.includes('batch') || name.includes('import')
												? s.batch
												: name.includes('token')
													? s.token
													: name === 'id'
														? parent.includes('dep')
															? s.department
															: parent.includes('user') || parent.includes('people') || parent.includes('staff')
																? s.staffId
																: parent.includes('assign')
																	? s.assignment
																	: parent.includes('import')
																		? s.batch
																		: undefined
														: undefined;
		if (value === undefined || value === null) ok = false;
		return String(value);
	});
	return ok ? filled.join('/') || '/' : undefined;
}

function accountFor(route: { id: string; group: string | null }): Account {
	if (route.group === 'insights' || route.id.startsWith('/insights')) return 'hr';
	if (route.group === 'studio' || route.id.startsWith('/studio')) return 'trainer';
	if (route.group === 'admin' || route.id.startsWith('/admin')) return 'admin';
	if (route.id.startsWith('/certificates')) return 'learner';
	if (route.group === 'public') return null;
	return 'learner';
}

export async function runEmbedded(options: {
	port: number;
	duration: number;
	log: (s: string) => void;
	wanted: (n: string) => boolean;
	nodeArgs?: string[];
}): Promise<{ rows: Row[]; meta: Record<string, unknown> }> {
	const { log } = options;
	const dataDir = mkdtempSync(path.join(os.tmpdir(), 'govlearn-bench-'));
	log(`seeding the demo organisation into PGlite (${dataDir})…`);
	const library = loadLibrary(readContentFiles());
	const conn = await connect({ dataDir });
	let samples: Samples;
	try {
		await migrate(conn);
		await conn.exclusive(LOCKS.content, (db) => syncContent(db, library));
		await seedDemoIfEmpty(conn.db, library);
		const one = async <T>(query: ReturnType<typeof sql>) => (await rows<T>(conn.db, query))[0];
		const course = library.courses.find((c) => !c.draft && c.errors.length === 0)!;
		const learner = await one<{ id: number }>(sql`select id from "user" where username = 'learner'`);
		const staff = await one<{ id: number; department_id: number }>(
			sql`select id, department_id from "user" where username like 'G%' order by id limit 1`
		);
		const east = await one<{ id: number; path: string }>(sql`select id, path from department where code = 'EAST'`);
		const eastStaff = await one<{ id: number }>(
			sql`select u.id from "user" u join department d on d.id = u.department_id where d.path like ${east.path + '%'} and u.username like 'G%' order by u.id limit 1`
		);
		const code = await one<{ certificate_code: string }>(
			sql`select certificate_code from completion where revoked_at is null order by user_id = ${learner.id} desc, id limit 1`
		);
		const attempt = await one<{ id: number }>(
			sql`select id from quiz_attempt where user_id = ${learner.id} and submitted_at is not null order by id limit 1`
		);
		const assignment = await one<{ id: number }>(sql`select id from assignment order by id limit 1`);
		// A staff import waiting for review and an unused activation link, so those pages have something to show.
		const [batch] = await rows<{ id: number }>(
			conn.db,
			sql`insert into import_batch (source, file_name, file_hash, file_size, format, encoding, total_rows)
				values ('web', 'staff.csv', ${'0'.repeat(64)}, 64, 'csv', 'utf-8', 0) returning id`
		);
		const token = newToken();
		const [pending] = await rows<{ id: number }>(
			conn.db,
			sql`insert into "user" (username, display_name, department_id, status) values ('bench-pending', '待激活', ${staff.department_id}, 'pending') returning id`
		);
		await conn.db.execute(
			sql`insert into activation_token (token_hash, user_id, expires_at) values (${hashToken(token)}, ${pending.id}, now() + interval '7 days')`
		);
		samples = {
			course: course.slug,
			courseId: course.id,
			lesson: course.lessons.find((l) => !l.draft)!.slug,
			code: code?.certificate_code ?? null,
			department: staff.department_id,
			eastDepartment: east.id,
			learnerId: learner.id,
			staffId: staff.id,
			attempt: attempt?.id ?? null,
			assignment: assignment?.id ?? null,
			question: (course.quiz['zh-CN'] ?? [])[0]?.id ?? null,
			competency: course.competencies[0],
			batch: batch?.id ?? null,
			token,
			eastStaffId: eastStaff.id
		};
	} finally {
		await conn.close();
	}

	const server = await AppServer.start({
		port: options.port,
		env: { DATABASE_URL: '', DATA_DIR: dataDir, GOVLEARN_QUIET_LOG: '1' },
		nodeArgs: options.nodeArgs
	});
	const result: Row[] = [];
	try {
		const cookies: Partial<Record<Exclude<Account, null>, string>> = {};
		for (const username of ['learner', 'hr', 'hr-east', 'trainer', 'admin'] as const) {
			const res = await fetch(`${server.url}/login`, {
				method: 'POST',
				redirect: 'manual',
				headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url, accept: 'text/html' },
				body: new URLSearchParams({ username, password: DEMO_PASSWORD }).toString()
			});
			const cookie = res.headers.getSetCookie().find((c) => c.startsWith('govlearn_session='));
			if (!cookie) throw new Error(`cannot sign in as ${username} (HTTP ${res.status})`);
			cookies[username] = cookie.split(';')[0];
		}
		const pages: { path: string; account: Account }[] = [];
		for (const route of pageRoutes()) {
			const p = fill(route.id, samples);
			if (!p) {
				result.push({ name: route.id, note: 'no sample value for a parameter: not measured' });
				continue;
			}
			const account = accountFor(route);
			pages.push({ path: p, account });
			if (account === 'hr' && route.id.startsWith('/insights')) {
				const district = fill(route.id, { ...samples, department: samples.eastDepartment, staffId: samples.eastStaffId });
				if (district) pages.push({ path: district, account: 'hr-east' });
			}
		}
		for (const page of pages) {
			const name = `${page.path} (${page.account ?? 'anonymous'})`;
			if (!options.wanted(name)) continue;
			log(name);
			const headers: Record<string, string> = page.account ? { cookie: cookies[page.account]! } : {};
			const probe = await fetch(server.url + page.path, { headers: { ...headers, accept: 'text/html' }, redirect: 'manual' });
			await probe.arrayBuffer();
			await load({ url: server.url + page.path, connections: 1, amount: 3, headers });
			const { result: r, peakRssMb } = await sampled(server.pid, () =>
				load({ url: server.url + page.path, connections: 1, duration: options.duration, headers, ok: (s) => s === probe.status && s < 400 })
			);
			result.push({
				name,
				connections: 1,
				requests: r.requests,
				p50: r.p50,
				p95: r.p95,
				p99: r.p99,
				rps: r.rps,
				errors: r.errors,
				peakRssMb,
				target: 'p95 ≤ 200 ms',
				met: r.p95 <= 200 && r.errors === 0,
				note: probe.status === 200 ? undefined : `HTTP ${probe.status}`
			});
		}
		const memory = server.memory();
		result.push({ name: 'server peak RSS (VmHWM), whole run', peakRssMb: memory.hwmMb });
	} finally {
		await server.stop();
		rmSync(dataDir, { recursive: true, force: true });
	}
	return { rows: result, meta: { pages: result.length, nodeArgs: options.nodeArgs ?? [] } };
}
