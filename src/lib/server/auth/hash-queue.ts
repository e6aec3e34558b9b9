// Password hashing (argon2id, ~30 ms of CPU each) is the one step a crowd of sign-ins can pile up on.
// Hashes run at most `PARALLEL` at a time (the libuv pool they run on); the others wait in line. A
// sign-in that would wait longer than the budget is told at once to come back (503 + Retry-After)
// instead of joining a queue that would end in timeouts. Per process by nature: it is this server's
// CPU being shared out, nothing another server needs to know.
const PARALLEL = Math.max(1, Number(process.env.UV_THREADPOOL_SIZE) || 4);
/** How long a sign-in may wait for its hash before we rather say "busy". */
export const HASH_WAIT_BUDGET_MS = Number(process.env.SIGNIN_WAIT_BUDGET_MS) || 400;

let running = 0;
const waiting: (() => void)[] = [];
/** Sign-ins let in and not finished: they will each need a hash soon, if not already in line. */
let admitted = 0;
/** Recent duration of one hash while `PARALLEL` share the CPU (moving average). */
let serviceMs = 40;

/** Runs a hash when a slot is free. */
export async function hashSlot<T>(fn: () => Promise<T>): Promise<T> {
	if (running >= PARALLEL) await new Promise<void>((resolve) => waiting.push(resolve));
	running++;
	const started = performance.now();
	try {
		return await fn();
	} finally {
		serviceMs = 0.8 * serviceMs + 0.2 * (performance.now() - started);
		running--;
		waiting.shift()?.();
	}
}

/** How long a new hash would wait: everyone ahead of it (queued, or admitted and about to queue). */
function expectedWait(): number {
	const ahead = Math.max(waiting.length + running, admitted);
	return (Math.max(0, ahead + 1 - PARALLEL) / PARALLEL) * serviceMs;
}

/** Seconds to suggest in Retry-After when a new hash would wait beyond the budget; 0 when it can go ahead. */
export function hashBacklog(budgetMs = HASH_WAIT_BUDGET_MS): number {
	const wait = expectedWait();
	return wait > budgetMs ? Math.max(1, Math.ceil(wait / 1000)) : 0;
}

/**
 * Lets a sign-in in, or says how many seconds to come back in. Admission counts at once, before the
 * sign-in's first database query, so a crowd arriving together cannot all slip in ahead of the queue.
 * Call `done` when the sign-in is over.
 */
export function admitSignIn(budgetMs = HASH_WAIT_BUDGET_MS): { done: () => void } | { retryAfter: number } {
	const busy = hashBacklog(budgetMs);
	if (busy > 0) return { retryAfter: busy };
	admitted++;
	let open = true;
	return {
		done: () => {
			if (open) admitted--;
			open = false;
		}
	};
}
