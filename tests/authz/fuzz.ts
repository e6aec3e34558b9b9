// HTTP fuzzing: random, oversized, malformed and wrongly-typed requests for every route, action and
// endpoint (fast-check generates them from a seed, so a failure can be replayed with FUZZ_SEED), and a
// fingerprint of the database to prove that a refused caller changed nothing and an allowed one
// changed nothing that is not theirs.
import fc from 'fast-check';
import type postgres from 'postgres';
import type { DiscoveredRoute } from './routes';

export interface FuzzRequest {
	method: string;
	/** Path and query. */
	path: string;
	headers: Record<string, string>;
	body?: Uint8Array | string;
	/** What it is, for failure messages. */
	label: string;
}

const FIELD_NAMES = [
	'username',
	'password',
	'attempt',
	'allowBlank',
	'q0',
	'q1',
	'q999',
	'locale',
	'redirectTo',
	'dueDate',
	'course',
	'courseId',
	'department',
	'departmentId',
	'recurrence',
	'required',
	'source',
	'lang',
	'competency',
	'prefix',
	'current',
	'next',
	'confirm',
	'id',
	'file',
	'role',
	'roles',
	'view',
	'person',
	'code',
	'__proto__',
	'constructor'
];

const nasty = fc.constantFrom(
	'',
	' ',
	'0',
	'-1',
	'1.5',
	'1e309',
	'NaN',
	'Infinity',
	'2147483648',
	'9007199254740993',
	'true',
	'on',
	'null',
	'undefined',
	'[]',
	'{}',
	'{"a":1}',
	"' or '1'='1",
	'1; drop table "user"; --',
	'<script>alert(1)</script>',
	'"><img src=x onerror=alert(1)>',
	'../../../../etc/passwd',
	'%00',
	'\u0000',
	'\uFEFF',
	'\uD800',
	'Ａ１２３',
	'东城区',
	'//evil.example',
	'https://evil.example/',
	'javascript:alert(1)',
	'2024-02-30',
	'9999-12-31',
	'0000-00-00',
	'0000-01-01',
	'10000-01-01',
	'admin',
	'learner',
	'zh-CN',
	'en',
	'yearly',
	'none'
);

const value = fc.oneof(
	{ weight: 4, arbitrary: nasty },
	{ weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
	{ weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
	{ weight: 2, arbitrary: fc.integer({ min: -3, max: 3_000_000_000 }).map(String) },
	{ weight: 1, arbitrary: fc.integer({ min: 1, max: 6 }).map((n) => 'x'.repeat(10 ** n)) }
);
const fieldName = fc.oneof(
	{ weight: 4, arbitrary: fc.constantFrom(...FIELD_NAMES) },
	{ weight: 1, arbitrary: fc.string({ maxLength: 12 }) }
);
const fields = fc.array(fc.tuple(fieldName, value), { maxLength: 12 });

/** encodeURIComponent, but a lone surrogate goes out as raw (invalid) UTF-8 bytes instead of throwing. */
function enc(s: string): string {
	try {
		return encodeURIComponent(s);
	} catch {
		return [...s].map((ch) => (/[\uD800-\uDFFF]/.test(ch) ? '%ED%A0%80' : encodeURIComponent(ch))).join('');
	}
}

const pathParam = fc.oneof(
	{ weight: 3, arbitrary: fc.constant(undefined) },
	{ weight: 2, arbitrary: nasty.map((s) => enc(s) || '%20') },
	{ weight: 1, arbitrary: fc.integer({ min: -5, max: 3_000_000_000 }).map(String) },
	{ weight: 1, arbitrary: fc.constant('x'.repeat(3000)) },
	{ weight: 1, arbitrary: fc.constantFrom('%2e%2e', '..%2f..%2f', '%', '%zz', 'a%00b', '%E4%B8') }
);

const query = fc.array(
	fc.tuple(
		fc.oneof(
			fc.constantFrom(
				'department',
				'course',
				'competency',
				'from',
				'to',
				'view',
				'person',
				'expand',
				'attempt',
				'page',
				'sort',
				'q',
				'redirectTo',
				'code',
				'/'
			),
			fc.string({ maxLength: 6 })
		),
		value
	),
	{ maxLength: 5 }
);

function urlencoded(pairs: [string, string][]): string {
	return pairs.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&');
}

function multipart(pairs: [string, string][], files: [string, Uint8Array][], boundary: string): Uint8Array {
	const parts: Buffer[] = [];
	for (const [k, v] of pairs)
		parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k.replace(/["\r\n]/g, '_')}"\r\n\r\n${v}\r\n`));
	for (const [k, bytes] of files) {
		parts.push(
			Buffer.from(
				`--${boundary}\r\nContent-Disposition: form-data; name="${k.replace(/["\r\n]/g, '_')}"; filename="f.gift"\r\nContent-Type: application/octet-stream\r\n\r\n`
			)
		);
		parts.push(Buffer.from(bytes));
		parts.push(Buffer.from('\r\n'));
	}
	parts.push(Buffer.from(`--${boundary}--\r\n`));
	return new Uint8Array(Buffer.concat(parts));
}

type Body = { label: string; contentType?: string; body?: Uint8Array | string };

const body: fc.Arbitrary<Body> = fc.oneof(
	{ weight: 4, arbitrary: fields.map((f) => ({ label: 'form', contentType: 'application/x-www-form-urlencoded', body: urlencoded(f) })) },
	{
		weight: 2,
		arbitrary: fc
			.tuple(
				fields,
				fc.array(fc.tuple(fc.constantFrom('file', 'source', 'username', 'attempt'), fc.uint8Array({ maxLength: 3000 })), { maxLength: 2 })
			)
			.map(([f, files]) => ({
				label: 'multipart',
				contentType: 'multipart/form-data; boundary=fuzzfuzz',
				body: multipart(f, files, 'fuzzfuzz')
			}))
	},
	{ weight: 1, arbitrary: fc.jsonValue().map((v) => ({ label: 'json', contentType: 'application/json', body: JSON.stringify(v) })) },
	{
		weight: 1,
		arbitrary: fc
			.jsonValue()
			.map((v) => ({ label: 'json as form', contentType: 'application/x-www-form-urlencoded', body: JSON.stringify(v) }))
	},
	{ weight: 1, arbitrary: fc.string({ maxLength: 200 }).map((s) => ({ label: 'text/plain', contentType: 'text/plain', body: s })) },
	{ weight: 1, arbitrary: fc.uint8Array({ maxLength: 2000 }).map((b) => ({ label: 'bytes without a type', body: b })) },
	{
		weight: 1,
		arbitrary: fc
			.constantFrom('a=%zz&b=%E4%B8', '%', '&&&==&', 'a'.repeat(100) + '=%')
			.map((s) => ({ label: 'bad escapes', contentType: 'application/x-www-form-urlencoded', body: s }))
	},
	{
		weight: 1,
		arbitrary: fields.map((f) => ({ label: 'broken multipart', contentType: 'multipart/form-data; boundary=nothere', body: urlencoded(f) }))
	},
	{ weight: 1, arbitrary: fc.constant({ label: 'multipart without boundary', contentType: 'multipart/form-data', body: '--x\r\n' }) },
	{
		weight: 1,
		arbitrary: fc.integer({ min: 1, max: 3 }).map((mb) => ({
			label: `${mb} MB field`,
			contentType: 'application/x-www-form-urlencoded',
			body: `username=${'A'.repeat(mb << 20)}&attempt=${'9'.repeat(1000)}`
		}))
	},
	{
		weight: 1,
		arbitrary: fc.constant({
			label: '5000 fields',
			contentType: 'application/x-www-form-urlencoded',
			body: Array.from({ length: 5000 }, (_, i) => `q${i % 40}=${i}`).join('&')
		})
	}
);

/** `count` fuzz requests for one route (same seed, same requests). */
export function fuzzRequests(route: DiscoveredRoute, params: Record<string, string>, count: number, seed: number): FuzzRequest[] {
	const paramNames = [...route.route.matchAll(/\[(?:\.\.\.)?([^\]=]+)/g)].map((m) => m[1]);
	const shape = fc.record({
		params: fc.tuple(...(paramNames.length ? paramNames.map(() => pathParam) : [fc.constant(undefined)])),
		query,
		body,
		wrongMethod: fc.integer({ min: 0, max: 19 })
	});
	return fc.sample(shape, { numRuns: count, seed }).map((s, i) => {
		let p = route.route;
		paramNames.forEach((name, j) => {
			p = p.replace(new RegExp(`\\[(?:\\.\\.\\.)?${name}(?:=[^\\]]+)?\\]`), s.params[j] ?? enc(params[name] ?? 'x'));
		});
		// Oversized URLs go with GETs only: with a body, the server's early 431 races the upload.
		const search = new URLSearchParams(route.method === 'GET' && s.wrongMethod > 1 ? s.query : s.query.filter(([, v]) => v.length < 2000));
		const action = route.action && route.action !== 'default' ? `/${route.action}` : '';
		const qs = [action ? `?${action}` : '', search.toString()].filter(Boolean).join(action ? '&' : '?');
		const path = `${p}${qs.startsWith('?') || qs === '' ? qs : `?${qs}`}`;
		// Now and then the other method: a GET on an action, a POST on a page, a DELETE anywhere.
		const method = s.wrongMethod === 0 ? 'DELETE' : s.wrongMethod === 1 ? (route.method === 'GET' ? 'POST' : 'GET') : route.method;
		const headers: Record<string, string> = {};
		if (method !== 'GET' && method !== 'HEAD' && s.body.contentType) headers['content-type'] = s.body.contentType;
		return {
			method,
			path,
			headers,
			body: method === 'GET' || method === 'HEAD' ? undefined : s.body.body,
			label: `${route.key} #${i} (${method} ${method === 'GET' ? 'query' : s.body.label})`
		};
	});
}

/** Tables whose rows a request never has to keep (they record the request itself). */
export const EPHEMERAL = ['session', 'login_throttle', 'audit_log'];

/**
 * A fingerprint per table: row count and a sum of row hashes (order-independent). `ownUserId` leaves
 * out that person's own rows (their account and whatever has a user_id).
 */
export async function fingerprint(
	sql: postgres.Sql,
	options: { exclude?: string[]; ownUserId?: number } = {}
): Promise<Map<string, string>> {
	const tables = await sql<{ table: string; per_user: boolean }[]>`
		select t.tablename as table, exists (select 1 from information_schema.columns c where c.table_schema = 'public' and c.table_name = t.tablename and c.column_name = 'user_id') as per_user
		from pg_tables t where t.schemaname = 'public' order by 1`;
	const out = new Map<string, string>();
	for (const { table, per_user } of tables) {
		if ([...EPHEMERAL, ...(options.exclude ?? [])].includes(table)) continue;
		const own = options.ownUserId ?? -1;
		const filter = table === 'user' ? sql`where t.id <> ${own}` : per_user ? sql`where t.user_id is distinct from ${own}` : sql``;
		const [row] = await sql<
			{ n: string; h: string | null }[]
		>`select count(*)::text as n, sum(hashtextextended(t::text, 0))::text as h from ${sql(table)} t ${filter}`;
		out.set(table, `${row.n}:${row.h ?? ''}`);
	}
	return out;
}

/** Tables whose fingerprint differs. */
export function changedTables(before: Map<string, string>, after: Map<string, string>): string[] {
	return [...new Set([...before.keys(), ...after.keys()])].filter((t) => before.get(t) !== after.get(t));
}
