// Starting the background work of one app server: the mail worker and the recurring jobs.
import type { Connection } from '../db';
import { mailSettings } from '../mail/config';
import { MailWorker } from '../mail/worker';
import { scanDigests, scanReminders } from './events';
import { Scheduler, type RecurringJob } from './scheduler';

export { queueMessage, queueMessages } from './queue';
export { notifyAssignment, notifyCertificate, scanDigests, scanReminders } from './events';

export function recurringJobs(): RecurringJob[] {
	const every = Number(process.env.REMINDER_SCAN_SECONDS ?? 900);
	return [
		{ name: 'reminders', everySeconds: every > 0 ? every : 900, run: (db) => scanReminders(db) },
		// Hourly; the digest's dedupe key (ISO week) makes it weekly.
		{ name: 'hr_digest', everySeconds: 3600, run: (db) => scanDigests(db) }
	];
}

export interface Background {
	worker: MailWorker;
	scheduler: Scheduler;
	stop(): Promise<void>;
}

/** Starts the mail worker (with SMTP_URL) and the scheduler; `stop` ends both after the work in hand. */
export function startBackground(conn: Connection): Background {
	const worker = new MailWorker(conn.db, mailSettings());
	const jobs = recurringJobs();
	const scheduler = new Scheduler(conn.db, jobs, Math.min(30_000, ...jobs.map((j) => j.everySeconds * 1000)));
	if (process.env.GOVLEARN_BACKGROUND !== 'off') {
		worker.start();
		scheduler.start();
	}
	return {
		worker,
		scheduler,
		async stop() {
			await Promise.all([worker.stop(), scheduler.stop()]);
		}
	};
}
