import type { HandleServerError, ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { getRequestEvent } from '$app/server';
import { setRequestSource } from '$lib/server/request-context';
import { startServer } from '$lib/server/startup';
import { securityLog } from '$lib/server/security/log';
import { isDatabaseUnavailable } from '$lib/server/db/errors';
import { handleAuth } from './hooks/auth';
import { handleAvailability } from './hooks/availability';
import { handleLibrary } from './hooks/library';
import { handleParaglide } from './hooks/paraglide';
import { handleQueryStats } from './hooks/query-stats';
import { queryStatsEnabled } from '$lib/server/db/query-stats';
import { handleBody, handleSecurity } from './hooks/security';
import { handleBodyLimit, handleOrigin } from './hooks/requests';

export const init: ServerInit = async () => {
	setRequestSource(getRequestEvent);
	await startServer();
};

export const handle = sequence(
	...(queryStatsEnabled ? [handleQueryStats] : []),
	handleSecurity,
	handleOrigin,
	handleAvailability,
	handleLibrary,
	handleParaglide,
	handleAuth,
	handleBodyLimit,
	handleBody
);

export const handleError: HandleServerError = ({ error, event, status }) => {
	if (isDatabaseUnavailable(error)) {
		event.locals.dbUnavailable = true;
		securityLog('db.unavailable', { requestId: event.locals.requestId, path: event.url.pathname });
		return { message: 'database unavailable', requestId: event.locals.requestId };
	}
	// 4xx (a missing page, a malformed request) are the client's; only failures of the server are logged as such.
	if (status >= 500)
		securityLog('server.error', {
			requestId: event.locals.requestId,
			path: event.url.pathname,
			status,
			error: String((error as Error)?.stack ?? error)
		});
	return { message: 'internal error', requestId: event.locals.requestId };
};
