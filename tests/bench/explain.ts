// `tsx tests/bench/explain.ts [P|P-01]`: every statement the overview, completion, skills and
// drill-down pages issue, with its planning and execution time (EXPLAIN ANALYZE) on DATABASE_URL.
// A tuning tool: where a page's database time goes.
import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import { schema, useConnection, type Connection, type Database } from '../../src/lib/server/db';
import * as insights from '../../src/lib/server/insights';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL');
const client = postgres(url, { max: 1, onnotice: () => {} });
const captured: { query: string; params: unknown[] }[] = [];
const db = drizzle(client, { schema, logger: { logQuery: (query, params) => captured.push({ query, params }) } }) as Database;
useConnection({ db, kind: 'postgres', close: () => client.end(), exclusive: (_k, fn) => fn(db), ping: async () => {} } as Connection);
const code = process.argv[2] ?? 'P';
const [dept] = await client<{ id: number }[]>`select id from department where code = ${code}`;
const ctx = await insights.context({ departmentId: dept.id }, new URL('http://x/insights'), 'zh-CN');
const pages: [string, () => Promise<unknown>][] = [
	['overview', () => Promise.all([insights.overview(ctx), insights.filterOptions(ctx)])],
	['completion', () => Promise.all([insights.completionMatrix(ctx, []), insights.filterOptions(ctx)])],
	['skills', () => Promise.all([insights.heatmap(ctx, []), insights.largestGaps(ctx, 5), insights.filterOptions(ctx)])],
	[
		'drill-down',
		() =>
			Promise.all([
				insights.departmentStaff(ctx, 1),
				insights.completionMatrix(ctx),
				insights.heatmap(ctx),
				insights.breadcrumbs(ctx, ctx.root.path),
				insights.filterOptions(ctx)
			])
	]
];
for (const [name, run] of pages) {
	captured.length = 0;
	await run();
	let plan = 0;
	let exec = 0;
	const lines: string[] = [];
	for (const q of captured) {
		const [row] = await client.unsafe(`explain (analyze, format json) ${q.query}`, q.params as never[]);
		const out = (row as Record<string, { 'Planning Time': number; 'Execution Time': number }[]>)['QUERY PLAN'][0];
		plan += out['Planning Time'];
		exec += out['Execution Time'];
		lines.push(
			`   plan ${out['Planning Time'].toFixed(1).padStart(6)}  exec ${out['Execution Time'].toFixed(1).padStart(7)}  ${q.query.replace(/\s+/g, ' ').slice(0, 110)}`
		);
	}
	console.log(`${code} ${name}: ${captured.length} statements, planning ${plan.toFixed(1)} ms, execution ${exec.toFixed(1)} ms`);
	for (const l of lines) console.log(l);
}
await client.end();
