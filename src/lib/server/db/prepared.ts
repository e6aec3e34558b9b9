// drizzle runs every query through postgres.js `unsafe(…, { prepare: false })` unless it was named
// with `.prepare()`. An unprepared query with parameters costs two round trips: postgres.js first asks
// the server for the parameter types (Parse/Describe, wait), then binds and executes. Prepared, a
// statement is described once per connection and afterwards takes one round trip: the benchmark saw
// half the socket writes on every page and quiz submission. Plans are still made per execution
// (plan_cache_mode = force_custom_plan, set on the connection), so a subtree query planned for a small
// district is never reused for the whole province. DB_PREPARE=false turns it off (for a pooler in
// transaction mode, which cannot keep prepared statements).
import type { Sql, TransactionSql } from 'postgres';

export const preparedStatements = process.env.DB_PREPARE !== 'false';

type Client = Sql | TransactionSql;

/** The client with `unsafe` (what drizzle calls) preparing its statements, in transactions too. */
export function preparing<T extends Client>(client: T): T {
	if (!preparedStatements) return client;
	return new Proxy(client, {
		get(target, prop) {
			if (prop === 'unsafe') {
				return (query: string, args: unknown[] = [], options: Record<string, unknown> = {}) =>
					target.unsafe(query, args as never[], { ...options, prepare: true });
			}
			if (prop === 'begin' || prop === 'savepoint') {
				const original = Reflect.get(target, prop) as (...a: unknown[]) => unknown;
				return (...params: unknown[]) => {
					const fn = params.pop() as (tx: TransactionSql) => unknown;
					return original.call(target, ...params, (tx: TransactionSql) => fn(preparing(tx)));
				};
			}
			const value = Reflect.get(target, prop);
			return typeof value === 'function' ? value.bind(target) : value;
		}
	});
}
