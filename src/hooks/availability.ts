import type { Handle, RequestEvent } from '@sveltejs/kit';
import { isDatabaseUnavailable } from '$lib/server/db/errors';
import { databaseDown, markUnavailable, suspectOutage, whenDown } from '$lib/server/security/availability';
import { securityLog } from '$lib/server/security/log';

/** A request still waiting after this long makes the server check whether the database is there. */
const SUSPECT_AFTER_MS = 3000;

/**
 * When the database is unreachable (restart, failover) a request answers 503 with Retry-After instead
 * of a 500 or an endless wait: clients and load balancers retry, and the app recovers by itself once
 * Postgres is back (postgres.js reconnects; see $lib/server/security/availability). Requests waiting
 * when the outage is noticed give up with a 503 too; every write the app does is safe to repeat
 * (quiz submissions are idempotent per attempt). Also logs authorization refusals for the security log.
 */
export const handleAvailability: Handle = async ({ event, resolve }) => {
	// The health check reports on the database itself; static files never need it.
	if (event.url.pathname === '/healthz') return resolve(event);
	if (databaseDown()) return unavailable(event);

	let response: Response | undefined;
	const timer = setTimeout(suspectOutage, SUSPECT_AFTER_MS);
	const outage = whenDown();
	try {
		const work = Promise.resolve(resolve(event));
		// The request goes on in the background if the outage wins; its late failure is not unhandled.
		work.catch(() => {});
		response = await Promise.race([work, outage.promise.then(() => undefined)]);
	} catch (error) {
		// Thrown outside load/actions (the session lookup in handleAuth, for one).
		if (!isDatabaseUnavailable(error)) throw error;
		event.locals.dbUnavailable = true;
	} finally {
		clearTimeout(timer);
		outage.cancel();
	}
	if (!response || event.locals.dbUnavailable) {
		markUnavailable();
		return unavailable(event);
	}
	if (response.status === 403 && event.locals.user) {
		securityLog('authz.denied', {
			actor: event.locals.user.username,
			method: event.request.method,
			path: event.url.pathname,
			requestId: event.locals.requestId
		});
	}
	return response;
};

function unavailable(event: RequestEvent): Response {
	const html = event.request.headers.get('accept')?.includes('text/html');
	return new Response(html ? unavailablePage : JSON.stringify({ status: 'unavailable', message: 'database unavailable, retry shortly' }), {
		status: 503,
		headers: {
			'content-type': html ? 'text/html; charset=utf-8' : 'application/json',
			'retry-after': '5',
			'cache-control': 'no-store',
			'content-security-policy':
				"default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'; form-action 'self'"
		}
	});
}

const unavailablePage = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>暂时无法服务 · Temporarily unavailable</title></head>
<body style="font-family:system-ui,'PingFang SC','Microsoft YaHei',sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;line-height:1.7">
<h1>服务暂时不可用</h1><p>数据库正在恢复，请稍后刷新页面。你提交的内容如未显示成功，请重新提交。</p>
<h2 lang="en">Temporarily unavailable</h2><p lang="en">The database is recovering. Please reload in a few seconds; if your last submission did not show as saved, submit it again.</p>
<p><a href="/">返回首页 · Home</a></p></body></html>`;
