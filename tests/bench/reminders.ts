// `npm run bench -- --reminders`: the reminder scan and mail delivery at scale. Against the generated
// data set in DATABASE_URL, the production build runs with SMTP_URL pointing at a local SMTP sink in this
// process (it accepts and counts, no parsing); the recurring reminder job is made due, and we measure how
// long the scan takes to queue every reminder, how fast the app's mail worker delivers them, the app's
// RSS meanwhile, and a learner page's p95 before and during delivery.
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import type { Sql } from 'postgres';
import { createSessions, learners } from './fixtures';
import { load, type LoadResult } from './load';
import { AppServer } from './server';
import type { Row } from './report';

export interface ReminderBench {
	rows: Row[];
	meta: Record<string, unknown>;
}

function sink(): Promise<{ port: number; count: () => number; close: () => Promise<void> }> {
	let n = 0;
	const server = new SMTPServer({
		authOptional: true,
		disabledCommands: ['STARTTLS'],
		logger: false,
		onData(stream, _session, cb) {
			stream.on('data', () => {});
			stream.on('end', () => {
				n++;
				cb();
			});
		}
	});
	return new Promise((resolve) =>
		server.listen(0, '127.0.0.1', () =>
			resolve({
				port: (server.server.address() as AddressInfo).port,
				count: () => n,
				close: () => new Promise((r) => server.close(() => r()))
			})
		)
	);
}

export async function runReminders(options: {
	sql: Sql;
	url: string;
	port: number;
	nodeArgs: string[];
	/** Stop measuring delivery after this many messages or seconds (the rest is delivered or cleared). */
	deliver: number;
	seconds: number;
	log: (s: string) => void;
}): Promise<ReminderBench> {
	const { sql, log } = options;
	// A clean queue: earlier bench messages and reminder runs are removed.
	await sql`delete from message`;
	await sql`delete from job`;
	const smtp = await sink();
	const app = await AppServer.start({
		port: options.port,
		nodeArgs: options.nodeArgs,
		env: {
			DATABASE_URL: options.url,
			SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
			MAIL_FROM: 'bench@example.gov.cn',
			REMINDER_SCAN_SECONDS: '3600'
		}
	});
	const rows: Row[] = [];
	const meta: Record<string, unknown> = {};
	try {
		const people = await learners(sql, 20);
		const cookies = await createSessions(
			sql,
			people.map((p) => p.id)
		);
		const page = (duration: number): Promise<LoadResult> =>
			load({ url: `${app.url}/me`, connections: 4, duration, clientHeaders: (i) => ({ cookie: cookies[i % cookies.length] }) });
		log('learner page /me before any mail…');
		const before = await page(8);

		// Make the reminder job due: the app's scheduler (ticking every 30 s) claims and runs it.
		await sql`update job set run_after = now() where name = 'reminders'`;
		log('waiting for the reminder scan…');
		let scan: { ran: Date; seconds: number } | undefined;
		const deadline = Date.now() + 300_000;
		while (!scan && Date.now() < deadline) {
			await new Promise((r) => setTimeout(r, 250));
			// The scan is done when the app logs the job's run (its inserts are then committed).
			if (!/"event":"job.run","job":"reminders"/.test(app.output())) continue;
			const [j] = await sql<{ last_run_at: Date }[]>`select last_run_at from job where name = 'reminders'`;
			// From the job's claim to the moment its run is logged (an upper bound: polled every 250 ms).
			scan = { ran: j.last_run_at, seconds: (Date.now() - j.last_run_at.getTime()) / 1000 };
		}
		if (!scan) throw new Error(`the reminder scan did not run:\n${app.output()}`);
		const kinds = await sql<{ kind: string; n: string }[]>`select kind, count(*)::text as n from message group by kind order by kind`;
		const [people100k] = await sql<{ n: string }[]>`select count(distinct user_id)::text as n from message`;
		const total = kinds.reduce((s, k) => s + Number(k.n), 0);
		log(
			`queued ${total.toLocaleString('en')} messages for ${Number(people100k.n).toLocaleString('en')} people in ≤ ${scan.seconds.toFixed(1)} s`
		);
		meta.queued = Object.fromEntries(kinds.map((k) => [k.kind, Number(k.n)]));
		meta.recipients = Number(people100k.n);
		rows.push({
			name: 'reminder scan: queued',
			note: `${total.toLocaleString('en')} in ${scan.seconds.toFixed(1)} s`,
			target: '≤ 60 s',
			met: scan.seconds <= 60
		});

		// Delivery: count at the sink, sample RSS, and load the learner page meanwhile.
		const start = Date.now();
		const startCount = smtp.count();
		let peakRss = 0;
		const sampler = setInterval(() => {
			peakRss = Math.max(peakRss, app.memory().rssMb);
		}, 200);
		const during = page(8);
		while (smtp.count() - startCount < Math.min(options.deliver, total) && Date.now() - start < options.seconds * 1000) {
			await new Promise((r) => setTimeout(r, 250));
		}
		const delivered = smtp.count() - startCount;
		const seconds = (Date.now() - start) / 1000;
		const duringLoad = await during;
		clearInterval(sampler);
		const rate = delivered / seconds;
		log(
			`delivered ${delivered.toLocaleString('en')} in ${seconds.toFixed(1)} s: ${rate.toFixed(0)} messages/s, peak RSS ${peakRss.toFixed(0)} MB`
		);
		rows.push({
			name: 'mail delivery to a local SMTP sink',
			note: `${rate.toFixed(0)} msg/s (${delivered.toLocaleString('en')} in ${seconds.toFixed(0)} s)`,
			target: '≥ 200 msg/s',
			met: rate >= 200
		});
		rows.push({ name: 'app RSS while delivering', note: `${peakRss.toFixed(0)} MB`, target: '≤ 300 MB', met: peakRss <= 300 });
		rows.push({
			name: '/me p95 before → during delivery',
			p95: duringLoad.p95,
			rps: duringLoad.rps,
			note: `${before.p95.toFixed(0)} → ${duringLoad.p95.toFixed(0)} ms (${before.rps.toFixed(0)} → ${duringLoad.rps.toFixed(0)} req/s)`,
			target: 'unchanged',
			met: duringLoad.p95 <= before.p95 * 1.5 + 20
		});
		meta.delivery = { delivered, seconds, rate, peakRssMb: peakRss };
		meta.page = { before, during: duringLoad };
		const [dupes] = await sql<{ n: string }[]>`select count(*)::text as n from message where mail_status = 'sent'`;
		meta.sentRows = Number(dupes.n);
	} finally {
		await app.stop();
		await smtp.close();
		await sql`delete from session where id like 'bench%'`;
		await sql`delete from message`;
		await sql`delete from job`;
	}
	return { rows, meta };
}
