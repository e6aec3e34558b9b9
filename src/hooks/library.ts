import type { Handle } from '@sveltejs/kit';
import { refreshLibrary } from '$lib/server/content/runtime';
import { db } from '$lib/server/db';

/**
 * Each request first compares the library counter in the database with the library this server holds
 * (one small read) and rebuilds it after a publish anywhere: no server serves a stale course.
 */
export const handleLibrary: Handle = async ({ event, resolve }) => {
	if (event.url.pathname !== '/healthz') await refreshLibrary(db);
	return resolve(event);
};
