import { json } from '@sveltejs/kit';
import { connection } from '$lib/server/db';
import type { RequestHandler } from './$types';

/** Public by design: load balancers call it without a session. */
export const GET: RequestHandler = async () => {
	const conn = connection();
	try {
		await Promise.race([conn.ping(), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000))]);
		return json({ status: 'ok', db: conn.kind }, { headers: { 'cache-control': 'no-store' } });
	} catch {
		return json({ status: 'degraded', db: conn.kind }, { status: 503, headers: { 'cache-control': 'no-store', 'retry-after': '5' } });
	}
};
