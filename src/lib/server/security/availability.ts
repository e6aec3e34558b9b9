// Whether the database is reachable, as this app server sees it. While Postgres is away (restart,
// failover) postgres.js holds new queries until it can reconnect, so requests would hang for as long
// as the outage lasts. Instead, once a query fails as "unreachable" or a request has waited suspiciously
// long and a probe confirms it, the server is marked down: requests answer 503 with Retry-After at once,
// and a probe on its own connection (not the busy pool) watches for Postgres to come back.
import postgres from 'postgres';
import { connection } from '../db';
import { securityLog } from './log';

const PROBE_TIMEOUT_MS = 2000;
const RETRY_MS = 250;

let down = false;
let downSince = 0;
let recovering: Promise<void> | undefined;
let suspecting: Promise<void> | undefined;
let probeClient: postgres.Sql | undefined;
let pendingPing: Promise<boolean> | undefined;
/** Requests waiting to hear of an outage; each removes itself when it is done. */
const downListeners = new Set<() => void>();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One probe query at a time; a probe held up by the outage is awaited again, not repeated. */
function ping(): Promise<boolean> {
	pendingPing ??= (async () => {
		try {
			const url = process.env.DATABASE_URL;
			if (url) {
				// Its own connection, reconnecting quickly, so a busy pool never looks like an outage.
				probeClient ??= postgres(url, { max: 1, connect_timeout: 5, idle_timeout: 30, backoff: () => 0.2, onnotice: () => {} });
				await probeClient`select 1`;
			} else await connection().ping();
			return true;
		} catch {
			return false;
		} finally {
			pendingPing = undefined;
		}
	})();
	return pendingPing;
}

/** True when the database answers within the probe timeout. */
export async function databaseReachable(timeoutMs = PROBE_TIMEOUT_MS): Promise<boolean> {
	let timer: NodeJS.Timeout | undefined;
	// After a busy stretch the timer can fire before the answer that arrived meanwhile is read:
	// setImmediate lets pending I/O go first, so a slow event loop is not taken for a lost database.
	const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => setImmediate(() => resolve(false)), timeoutMs)));
	try {
		return await Promise.race([ping(), timeout]);
	} finally {
		clearTimeout(timer);
	}
}

/** The database is known to be away: answer 503 without trying it. */
export function databaseDown(): boolean {
	return down;
}

/**
 * A promise that resolves when the database is next marked down (requests already waiting give up
 * then), and `cancel` to call once the request is done. Per request, not one shared promise: every
 * reaction attached to a long-lived promise stays reachable until it settles, and with it the
 * request's whole state (a leak of tens of KB per request, found by the benchmark).
 */
export function whenDown(): { promise: Promise<void>; cancel: () => void } {
	let listener!: () => void;
	const promise = new Promise<void>((resolve) => (listener = resolve));
	downListeners.add(listener);
	return { promise, cancel: () => void downListeners.delete(listener) };
}

/** A query failed because the database is unreachable. */
export function markUnavailable(): void {
	if (down) return;
	down = true;
	downSince = Date.now();
	securityLog('db.down', {});
	for (const wake of downListeners) wake();
	downListeners.clear();
	recovering ??= (async () => {
		while (!(await databaseReachable())) await sleep(RETRY_MS);
		down = false;
		recovering = undefined;
		securityLog('db.recovered', { afterMs: Date.now() - downSince });
	})();
}

/**
 * A request is taking long: find out whether the database is the reason. Two probes in a row must go
 * unanswered (a busy server is slow, not down).
 */
export function suspectOutage(): void {
	// Embedded PGlite cannot go away, and one long query there would look like an outage.
	if (down || suspecting || !process.env.DATABASE_URL) return;
	suspecting = (async () => {
		if (!(await databaseReachable()) && !(await databaseReachable())) markUnavailable();
		suspecting = undefined;
	})();
}
