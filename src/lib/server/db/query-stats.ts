// Opt-in statement counting per request (GOVLEARN_QUERY_STATS=1), for the benchmark's "queries per
// request". Off by default, and then nothing is installed: no logger, no hook, no cost.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from 'drizzle-orm/logger';

export const queryStatsEnabled = process.env.GOVLEARN_QUERY_STATS === '1';

const counters = new AsyncLocalStorage<{ count: number }>();

/** A drizzle logger that counts statements into the current request's counter (undefined when off). */
export function queryStatsLogger(): Logger | undefined {
	if (!queryStatsEnabled) return undefined;
	return {
		logQuery() {
			const counter = counters.getStore();
			if (counter) counter.count++;
		}
	};
}

/** Runs fn with a fresh counter; `count()` reads it (statements issued so far). */
export function withQueryCount<T>(fn: () => T): { result: T; count: () => number } {
	const counter = { count: 0 };
	const result = counters.run(counter, fn);
	return { result, count: () => counter.count };
}
