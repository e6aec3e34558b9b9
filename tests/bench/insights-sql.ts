// `tsx tests/bench/insights-sql.ts`: times each insights service against DATABASE_URL for the province
// root and the first city, without HTTP, to see which SQL dominates a page (a tool for tuning).
import postgres from 'postgres';
import { connect, useConnection } from '../../src/lib/server/db';
import * as insights from '../../src/lib/server/insights';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL');
const conn = await connect({ url, poolSize: 4 });
useConnection(conn);
const sql = postgres(url, { max: 1 });
const depts = await sql<{ code: string; id: number }[]>`select code, id from department where code in ('P', 'P-01')`;
await sql.end();
const runs = Number(process.env.RUNS ?? 5);
for (const code of ['P', 'P-01']) {
	const id = depts.find((d) => d.code === code)!.id;
	const ctx = await insights.context({ departmentId: id }, new URL('http://x/insights'), 'zh-CN');
	const cases: [string, () => Promise<unknown>][] = [
		['context', () => insights.context({ departmentId: id }, new URL('http://x/insights'), 'zh-CN')],
		['overview', () => insights.overview(ctx)],
		['completionMatrix', () => insights.completionMatrix(ctx)],
		['heatmap', () => insights.heatmap(ctx)],
		['largestGaps', () => insights.largestGaps(ctx, 5)],
		['departmentStaff p1', () => insights.departmentStaff(ctx, 1)],
		['departmentStaff p100', () => insights.departmentStaff(ctx, 100)],
		['weeklyTrend', () => insights.weeklyTrend(ctx)],
		['filterOptions', () => insights.filterOptions(ctx)],
		['visibleTree', () => insights.visibleTree(ctx, [])]
	];
	for (const [name, fn] of cases) {
		const times: number[] = [];
		try {
			for (let i = 0; i < runs; i++) {
				const t = performance.now();
				await fn();
				times.push(performance.now() - t);
			}
		} catch (error) {
			console.log(`${code.padEnd(5)} ${name.padEnd(22)} FAILED: ${String((error as Error & { cause?: Error }).cause?.message ?? error)}`);
			continue;
		}
		times.sort((a, b) => a - b);
		console.log(
			`${code.padEnd(5)} ${name.padEnd(22)} median ${times[Math.floor(times.length / 2)].toFixed(1).padStart(7)} ms  max ${times.at(-1)!.toFixed(1).padStart(7)} ms`
		);
	}
}
await conn.close();
