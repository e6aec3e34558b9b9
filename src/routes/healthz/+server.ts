import { json } from '@sveltejs/kit';
import { health } from '$lib/server/health';
import type { RequestHandler } from './$types';

/** Public by design: load balancers call it without a session. */
export const GET: RequestHandler = async () => {
	const { ok, db } = await health();
	if (ok) return json({ status: 'ok', db }, { headers: { 'cache-control': 'no-store' } });
	return json({ status: 'degraded', db }, { status: 503, headers: { 'cache-control': 'no-store', 'retry-after': '5' } });
};
