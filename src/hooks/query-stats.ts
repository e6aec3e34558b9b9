import type { Handle } from '@sveltejs/kit';
import { withQueryCount } from '$lib/server/db/query-stats';

/**
 * With GOVLEARN_QUERY_STATS=1, every response carries `x-query-count`: the SQL statements the request
 * issued before its headers went out (a streamed body's later fetches are not in it). Installed only
 * when enabled (see hooks.server.ts).
 */
export const handleQueryStats: Handle = async ({ event, resolve }) => {
	const { result, count } = withQueryCount(() => resolve(event));
	const response = await result;
	try {
		response.headers.set('x-query-count', String(count()));
	} catch {
		// Immutable headers (a proxied fetch response): nothing to add.
	}
	return response;
};
