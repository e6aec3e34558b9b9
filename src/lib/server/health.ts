// What `GET /healthz` reports to load balancers: whether this server's database answers in time.
import { connection, type DbKind } from './db';

const PING_TIMEOUT_MS = 2000;

/** Pings the database; `ok` is false when it fails or takes longer than two seconds. */
export async function health(): Promise<{ ok: boolean; db: DbKind }> {
	const conn = connection();
	try {
		await Promise.race([conn.ping(), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), PING_TIMEOUT_MS))]);
		return { ok: true, db: conn.kind };
	} catch {
		return { ok: false, db: conn.kind };
	}
}
