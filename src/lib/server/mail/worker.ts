// The mail worker: takes queued messages from Postgres and sends them over SMTP. Each app server runs
// one. A batch is claimed with `FOR UPDATE SKIP LOCKED` and marked `sending` until `locked_until`, so
// two servers never take the same message; each message is marked `sent` as soon as the server accepts
// it. A transient failure (connection refused, timeout, 4xx) puts it back with a growing delay; a
// permanent one (5xx, an impossible address, a missing translation) or the last try marks it `failed`,
// listed for the admin at /admin/outbox. A claim left by a server that died is taken over once its
// lock expires; a server that stops normally hands back what it has not started.
import nodemailer, { type Transporter } from 'nodemailer';
import { sql } from 'drizzle-orm';
import { rows, type Database } from '../db';
import type { MessageKind } from '../db/schema';
import { securityLog } from '../security/log';
import { render, SECRET_KINDS, TemplateError, type Locale } from '../notifications/templates';
import { onQueued } from '../notifications/queue';
import { mailSettings, plausibleAddress, retryDelaySeconds, type MailSettings } from './config';

interface Claimed {
	id: number;
	user_id: number;
	kind: MessageKind;
	params: Record<string, unknown>;
	to_address: string | null;
	locale: Locale;
	attempts: number;
	name: string;
}

/** How long a claim holds before another server may take the message over. */
const LOCK_SECONDS = 120;

export function createTransport(s: MailSettings): Transporter {
	return nodemailer.createTransport({
		url: s.smtpUrl!,
		pool: true,
		maxConnections: s.connections,
		maxMessages: 1000,
		// Fail fast when the server is down or stalls, instead of holding a worker slot.
		connectionTimeout: 10_000,
		greetingTimeout: 10_000,
		socketTimeout: 30_000
	} as Parameters<typeof nodemailer.createTransport>[0]);
}

/** A permanent refusal (5xx): trying again cannot help. */
function permanent(e: unknown): boolean {
	const code = (e as { responseCode?: number }).responseCode;
	return e instanceof TemplateError || (typeof code === 'number' && code >= 500 && code < 600);
}
/** The connection itself broke (refused, timed out, dropped): the pool is rebuilt before the next message. */
function connectionBroken(e: unknown): boolean {
	const code = (e as { code?: string }).code ?? '';
	return ['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNREFUSED', 'ECONNRESET', 'EPROTOCOL'].includes(code);
}
function describe(e: unknown): string {
	const err = e as { code?: string; responseCode?: number; response?: string; message?: string };
	return [err.code, err.responseCode, err.response ?? err.message].filter(Boolean).join(' ').slice(0, 500) || String(e);
}

export class MailWorker {
	private transport: Transporter | null = null;
	private running = false;
	private stopping = false;
	private broken = false;
	private loop: Promise<void> | null = null;
	private wake: (() => void) | null = null;
	private unlisten: (() => void) | null = null;
	/** Claimed by this worker, not yet started: handed back on stop. */
	private pending = new Set<number>();
	readonly stats = { sent: 0, retried: 0, failed: 0 };

	constructor(
		private readonly db: Database,
		private readonly settings: MailSettings = mailSettings()
	) {}

	start(): void {
		if (this.running || !this.settings.smtpUrl) return;
		this.running = true;
		this.stopping = false;
		this.unlisten = onQueued(() => this.wake?.());
		this.loop = this.run();
	}

	/** Stops claiming, finishes the messages being sent, hands the rest back to the queue. */
	async stop(): Promise<void> {
		if (this.running) {
			this.running = false;
			this.stopping = true;
			this.unlisten?.();
			this.wake?.();
			await this.loop;
		}
		this.transport?.close();
		this.transport = null;
	}

	private async run(): Promise<void> {
		while (this.running) {
			let n = 0;
			try {
				n = await this.tick();
			} catch (e) {
				securityLog('mail.worker.error', { error: describe(e) });
			}
			if (!this.running) break;
			if (n === 0)
				await new Promise<void>((resolve) => {
					const t = setTimeout(resolve, this.settings.pollMs);
					this.wake = () => {
						clearTimeout(t);
						resolve();
					};
				});
			this.wake = null;
		}
	}

	/** Claims one batch and sends it; returns how many were claimed. */
	async tick(): Promise<number> {
		const batch = await this.claim(this.settings.concurrency * 4);
		if (!batch.length) return 0;
		for (const b of batch) this.pending.add(b.id);
		let next = 0;
		const lane = async () => {
			while (next < batch.length) {
				const item = batch[next++];
				if (this.stopping) return;
				this.pending.delete(item.id);
				await this.deliver(item);
			}
		};
		await Promise.all(Array.from({ length: Math.min(this.settings.concurrency, batch.length) }, lane));
		if (this.pending.size) await this.release([...this.pending]);
		this.pending.clear();
		if (this.broken) {
			this.transport?.close();
			this.transport = null;
			this.broken = false;
		}
		return batch.length;
	}

	private async claim(limit: number): Promise<Claimed[]> {
		const claimed = await rows<Claimed>(
			this.db,
			sql`update message m set mail_status = 'sending', attempts = m.attempts + 1,
				locked_until = now() + make_interval(secs => ${LOCK_SECONDS})
			from (
				select id from message
				where (mail_status = 'queued' and run_after <= now()) or (mail_status = 'sending' and locked_until < now())
				order by priority desc nulls last, run_after, id
				limit ${limit}
				for update skip locked
			) c, "user" u
			where m.id = c.id and u.id = m.user_id
			returning m.id, m.user_id, m.kind, m.params, m.to_address, m.locale, m.attempts, u.display_name as name`
		);
		return claimed.map((c) => ({ ...c, id: Number(c.id), params: typeof c.params === 'string' ? JSON.parse(c.params) : c.params }));
	}

	private async release(ids: number[]): Promise<void> {
		await this.db.execute(
			sql`update message set mail_status = 'queued', attempts = greatest(attempts - 1, 0), locked_until = null
			where mail_status = 'sending' and id in (select value::bigint from jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))`
		);
	}

	private async deliver(item: Claimed): Promise<void> {
		let subject: string | null = null;
		try {
			if (!plausibleAddress(item.to_address))
				throw Object.assign(new Error(`not a mail address: ${item.to_address}`), { responseCode: 553 });
			const r = render(item.kind, item.params, item.locale, this.settings.origin, item.name);
			subject = r.subject;
			this.transport ??= createTransport(this.settings);
			await withTimeout(
				this.transport.sendMail({
					from: this.settings.from,
					to: item.to_address!,
					subject: r.subject,
					text: r.text,
					html: r.html,
					// The same id on every try: a receiving server that got a message twice can tell.
					messageId: `<message-${item.id}@govlearn>`,
					headers: { 'Auto-Submitted': 'auto-generated', 'X-GovLearn-Kind': item.kind }
				}),
				60_000
			);
			// Sent: the one-time token of an activation or reset link leaves the database.
			const scrub = SECRET_KINDS.includes(item.kind);
			await this.db.execute(
				sql`update message set mail_status = 'sent', sent_at = now(), locked_until = null, last_error = null, subject = ${subject},
					params = case when ${scrub} then params - 'token' else params end
				where id = ${item.id}`
			);
			this.stats.sent++;
		} catch (e) {
			const error = describe(e);
			const giveUp = permanent(e) || item.attempts >= this.settings.maxAttempts;
			// Start a fresh pool for the next batch instead of waiting on a dead one.
			if (connectionBroken(e)) this.broken = true;
			if (giveUp) {
				this.stats.failed++;
				securityLog('mail.failed', { message: item.id, kind: item.kind, attempts: item.attempts, error });
				await this.db.execute(
					sql`update message set mail_status = 'failed', locked_until = null, last_error = ${error}, subject = coalesce(${subject}, subject) where id = ${item.id}`
				);
			} else {
				this.stats.retried++;
				const delay = retryDelaySeconds(item.attempts, this.settings);
				await this.db.execute(
					sql`update message set mail_status = 'queued', locked_until = null, last_error = ${error},
						run_after = now() + make_interval(secs => ${delay}) where id = ${item.id}`
				);
			}
		}
	}
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
	let t: ReturnType<typeof setTimeout>;
	return Promise.race([
		p.finally(() => clearTimeout(t)),
		new Promise<never>((_, reject) => {
			t = setTimeout(() => reject(Object.assign(new Error('SMTP send timed out'), { code: 'ETIMEDOUT' })), ms);
		})
	]);
}
