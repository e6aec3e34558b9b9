// The authorization matrix against the built app: every route, action and endpoint found in src/routes
// × every kind of caller, allowed or refused as tests/authz/matrix.ts says; then object-level checks
// (another person's attempt, certificate, learning record, export of another subtree). The app runs
// on its own Postgres (a scratch cluster) with the demo organisation, so ids can be looked up directly.
import { expect, test } from '@playwright/test';
import { loadFixtures, type Fixtures } from '../authz/fixtures';
import { ACCOUNTS, CALLERS, MATRIX, entryPath, type Caller, type Entry } from '../authz/matrix';
import { discoverRoutes } from '../authz/routes';
import { e2eBuildDir } from '../reliability/app';
import { Client, formInputs, type Reply } from '../reliability/http';
import { environment, type Environment } from '../reliability/scenarios';
import { port } from '../helpers/ports';

const DEMO_PASSWORD = 'govlearn-demo';
let env: Environment;
let fixtures: Fixtures;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
	test.setTimeout(240_000);
	env = await environment({ buildDir: e2eBuildDir(), pgPort: port(4275), appPorts: [port(4267)], database: 'authz' });
	await env.servers[0].start();
	fixtures = await loadFixtures(env.sql);
});

test.afterAll(async () => {
	await env?.close();
});

async function signedIn(username: string): Promise<Client> {
	const client = new Client(env.servers[0].url);
	const reply = await client.signIn(username, DEMO_PASSWORD);
	expect(reply.status, `sign-in of ${username}`).toBe(303);
	return client;
}

function refusal(reply: Reply, caller: Caller, entry: Entry): boolean {
	const toLogin = (reply.status === 302 || reply.status === 303) && /^\/login\?redirectTo=/.test(reply.location ?? '');
	if (caller === 'anonymous') return toLogin || reply.status === 401 || reply.status === 403;
	return reply.status === (entry.refused ?? 403) || toLogin;
}

test('every route, action and endpoint has an entry in the matrix', () => {
	const discovered = discoverRoutes().map((r) => r.key);
	expect(discovered.length).toBeGreaterThan(30);
	expect(
		discovered.filter((k) => !(k in MATRIX)),
		'routes without an entry in tests/authz/matrix.ts: decide who may use them and add them'
	).toEqual([]);
	expect(
		Object.keys(MATRIX).filter((k) => !discovered.includes(k)),
		'matrix entries for routes that no longer exist'
	).toEqual([]);
});

test('each kind of caller is allowed or refused as the matrix says', async () => {
	test.setTimeout(240_000);
	const routes = discoverRoutes();
	const clients = new Map<Caller, Client>();
	const clientFor = async (caller: Caller) => {
		if (!clients.has(caller))
			clients.set(caller, caller === 'anonymous' ? new Client(env.servers[0].url) : await signedIn(ACCOUNTS[caller]));
		return clients.get(caller)!;
	};
	const failures: string[] = [];
	const table: string[] = [];
	// Calls that end the session go last, so they do not sign anyone out of the rest.
	const ordered = [...routes].sort((a, b) => Number(Boolean(MATRIX[a.key]?.endsSession)) - Number(Boolean(MATRIX[b.key]?.endsSession)));
	for (const r of ordered) {
		const entry = MATRIX[r.key];
		if (!entry) continue; // reported by the test above
		const cells: string[] = [];
		for (const caller of CALLERS) {
			const client = await clientFor(caller);
			const path = await entryPath(r.key, entry, fixtures);
			const reply = r.method === 'GET' ? await client.get(path) : await client.request(r.method, path, { form: entry.form ?? {} });
			const allowed = entry.allow.includes(caller);
			const refused = refusal(reply, caller, entry);
			const detail = `${reply.status}${reply.location ? ` → ${reply.location}` : ''}`;
			cells.push(`${caller}:${reply.status}`);
			if (reply.status >= 500) failures.push(`${r.key} as ${caller}: ${detail} (server error)`);
			else if (allowed && refused) failures.push(`${r.key} as ${caller}: refused (${detail}) but the matrix allows it — ${entry.why}`);
			else if (!allowed && !refused)
				failures.push(`${r.key} as ${caller}: not refused (${detail}) but the matrix says only ${entry.allow.join(', ')} — ${entry.why}`);
			else if (allowed) {
				const expected = entry.expect ?? (r.method === 'GET' ? [200] : undefined);
				if (expected && !expected.includes(reply.status))
					failures.push(`${r.key} as ${caller}: ${detail}, expected ${expected.join(' or ')}`);
			}
			if (entry.endsSession && caller !== 'anonymous') clients.delete(caller);
		}
		table.push(`${r.key.padEnd(56)} ${cells.join(' ')}`);
	}
	console.log(
		`authorization matrix: ${table.length} routes × ${CALLERS.length} callers = ${table.length * CALLERS.length} cells\n${table.join('\n')}`
	);
	expect(failures).toEqual([]);
});

test('another person’s quiz attempt can be neither seen nor submitted', async () => {
	const [course] = [fixtures.params.course];
	const owner = await signedIn('learner');
	const [other] = await env.sql<{ username: string }[]>`
		select u.username from "user" u join department d on d.id = u.department_id where d.code = 'EAST-GSC' and u.username like 'G%' order by u.id limit 1`;
	const intruder = await signedIn(other.username);

	// The owner takes the quiz once (submitted) and opens another attempt elsewhere (left open).
	expect((await owner.post(`/courses/${course}/quiz?/start`, {})).status).toBe(303);
	const page = await owner.get(`/courses/${course}/quiz`);
	const inputs = formInputs(page.text, '?/submit')!;
	const attempt = inputs.find((i) => i.name === 'attempt')!.value;
	const answers: [string, string][] = inputs.filter((i) => i.type === 'hidden').map((i) => [i.name, i.value]);
	for (const name of new Set(inputs.filter((i) => i.type === 'radio' || i.type === 'checkbox').map((i) => i.name)))
		answers.push([name, inputs.find((i) => i.name === name)!.value]);
	for (const i of inputs.filter((x) => x.type === 'text')) answers.push([i.name, 'x']);
	const submitted = await owner.post(`/courses/${course}/quiz?/submit`, answers);
	expect(submitted.status).toBe(303);
	expect(submitted.location).toContain(`attempt=${attempt}`);
	expect((await owner.get(`/courses/${course}/quiz?attempt=${attempt}`)).status).toBe(200);

	// The intruder asks for the owner's result: it does not exist for them.
	const seen = await intruder.get(`/courses/${course}/quiz?attempt=${attempt}`);
	expect(seen.status).toBe(404);

	const second = fixtures.params.course === 'open-government-data' ? 'smart-government-basics' : 'open-government-data';
	expect((await owner.post(`/courses/${second}/quiz?/start`, {})).status).toBe(303);
	const open = formInputs((await owner.get(`/courses/${second}/quiz`)).text, '?/submit')!;
	const openId = Number(open.find((i) => i.name === 'attempt')!.value);
	const hijack = await intruder.post(`/courses/${second}/quiz?/submit`, [
		['attempt', String(openId)],
		['q0', '0'],
		['allowBlank', '1']
	]);
	expect(hijack.status).toBe(404);
	const [row] = await env.sql<{ submitted: boolean; answers: number }[]>`
		select submitted_at is not null as submitted, (select count(*)::int from attempt_answer where attempt_id = ${openId}) as answers from quiz_attempt where id = ${openId}`;
	expect(row).toEqual({ submitted: false, answers: 0 });
});

test('a certificate page opens for its holder, HR over them and admins only; verification shows nothing more', async () => {
	const code = fixtures.ids.outsiderCertificate;
	const statuses: Record<string, number> = {};
	for (const caller of ['learner', 'trainer', 'hrEast', 'hr', 'admin'] as const)
		statuses[caller] = (await (await signedIn(ACCOUNTS[caller])).get(`/certificates/${code}`)).status;
	expect(statuses).toEqual({ learner: 404, trainer: 404, hrEast: 404, hr: 200, admin: 200 });
	const [holder] = await env.sql<{ username: string; dept_zh: string; dept_en: string }[]>`
		select u.username, d.name_zh as dept_zh, d.name_en as dept_en from completion c join "user" u on u.id = c.user_id join department d on d.id = c.department_id where c.certificate_code = ${code}`;
	const verify = await new Client(env.servers[0].url).get(`/verify/${code}`);
	expect(verify.status).toBe(200);
	expect(verify.text).not.toContain(holder.dept_zh);
	expect(verify.text).not.toContain(holder.dept_en);
	expect(verify.text).not.toContain(`>${holder.username}<`);
});

test('HR of a district sees learning records and departments inside its scope only', async () => {
	const { outsiderId, learnerId, westDeptId } = fixtures.ids;
	const east = await signedIn('hr-east');
	const city = await signedIn('hr');
	expect((await east.get(`/insights/people/${learnerId}`)).status).toBe(200);
	expect((await east.get(`/insights/people/${outsiderId}`)).status).toBe(404);
	expect((await city.get(`/insights/people/${outsiderId}`)).status).toBe(200);
	expect((await east.get(`/insights/departments/${westDeptId}`)).status).toBe(404);
	expect((await east.get(`/insights/completion?department=${westDeptId}`)).status).toBe(404);
	expect((await east.get(`/insights/skills/${westDeptId}/${fixtures.params.competency}`)).status).toBe(404);

	// Remediation for a department outside the scope: refused, and no assignment appears.
	const [{ before }] = await env.sql<{ before: number }[]>`select count(*)::int as before from assignment`;
	const assign = await east.post(`/insights/skills/${westDeptId}/${fixtures.params.competency}`, {
		dueDate: '2099-12-31',
		course: fixtures.params.course
	});
	expect(assign.status).toBe(404);
	const [{ after }] = await env.sql<{ after: number }[]>`select count(*)::int as after from assignment`;
	expect(after).toBe(before);
});

test('HR of a district cannot export another subtree or a person outside it', async () => {
	const { outsiderId, westDeptId } = fixtures.ids;
	const east = await signedIn('hr-east');
	const city = await signedIn('hr');
	for (const format of ['csv', 'xlsx']) {
		expect((await east.get(`/insights/export.${format}?view=completion&department=${westDeptId}`)).status).toBe(404);
		expect((await east.get(`/insights/export.${format}?view=staff&department=${westDeptId}`)).status).toBe(404);
		expect((await east.get(`/insights/export.${format}?view=record&person=${outsiderId}`)).status).toBe(404);
		expect((await city.get(`/insights/export.${format}?view=record&person=${outsiderId}`)).status).toBe(200);
	}
	// The district's own export names no department outside the district.
	const own = await east.get('/insights/export.csv?view=staff');
	expect(own.status).toBe(200);
	const outside = await env.sql<
		{ name_zh: string }[]
	>`select name_zh from department where path not like (select path from department where code = 'EAST') || '%' and code <> 'CITY'`;
	for (const d of outside) expect(own.text, `export of hr-east names ${d.name_zh}`).not.toContain(d.name_zh);
});
