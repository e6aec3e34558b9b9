// Recurring background work in Postgres (table `job`): every app server ticks, and the one whose
// UPDATE moves a job's `run_after` forward runs it; the others see nothing to do. A job that fails
// keeps its error for the log and runs again at its next time.
import { sql } from 'drizzle-orm';
import { rows, type Database } from '../db';
import { securityLog } from '../security/log';

export interface RecurringJob {
	name: string;
	everySeconds: number;
	run(db: Database): Promise<unknown>;
}

/**
 * Claims `job` if it is due; true when this caller is to run it now. A job seen for the first time first
 * runs one interval later, so a freshly started (or freshly seeded) installation does not mail everyone
 * in its first minute.
 */
export async function claimJob(db: Database, job: Pick<RecurringJob, 'name' | 'everySeconds'>): Promise<boolean> {
	await db.execute(
		sql`insert into job (name, run_after) values (${job.name}, now() + make_interval(secs => ${job.everySeconds})) on conflict (name) do nothing`
	);
	const claimed = await rows<{ name: string }>(
		db,
		sql`update job set run_after = now() + make_interval(secs => ${job.everySeconds}), last_run_at = now(), runs = runs + 1
		where name = ${job.name} and run_after <= now() returning name`
	);
	return claimed.length > 0;
}

export class Scheduler {
	private timer: ReturnType<typeof setInterval> | null = null;
	private busy: Promise<void> | null = null;

	constructor(
		private readonly db: Database,
		private readonly jobs: RecurringJob[],
		private readonly tickMs = 30_000
	) {}

	start(): void {
		if (this.timer) return;
		this.timer = setInterval(() => void this.tick(), this.tickMs);
		this.timer.unref?.();
		void this.tick();
	}

	async stop(): Promise<void> {
		if (this.timer) clearInterval(this.timer);
		this.timer = null;
		await this.busy;
	}

	/** Runs every due job once (those another server claimed first are skipped). */
	tick(): Promise<void> {
		if (this.busy) return this.busy;
		this.busy = (async () => {
			for (const job of this.jobs) {
				try {
					if (!(await claimJob(this.db, job))) continue;
					const result = await job.run(this.db);
					securityLog('job.run', { job: job.name, result });
				} catch (e) {
					const error = String((e as Error)?.message ?? e).slice(0, 500);
					securityLog('job.error', { job: job.name, error });
					await this.db.execute(sql`update job set last_error = ${error} where name = ${job.name}`).catch(() => {});
				}
			}
		})().finally(() => {
			this.busy = null;
		});
		return this.busy;
	}
}
