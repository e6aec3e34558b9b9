// Mail over a real SMTP server (smtp-server, read back with mailparser): every kind of message arrives
// once in the recipient's language with a link that works; two workers (two app servers) and a stop
// mid-batch send nothing twice; SMTP down then up delivers everything; refusals are visible and can be
// sent again; without SMTP_URL messages wait in the outbox; reset links are single-use and expire.
import { eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useLibrary } from '../../src/lib/server/content';
import { check as checkActivation } from '../../src/lib/server/admin/activation';
import { issueToken } from '../../src/lib/server/admin/tokens';
import { createAssignment } from '../../src/lib/server/assignments';
import { checkReset, requestReset, resetPassword } from '../../src/lib/server/auth/password-reset';
import { createSession, validateSessionToken } from '../../src/lib/server/auth/session';
import { connect, db, rows, schema, type Connection } from '../../src/lib/server/db';
import { mailSettings, type MailSettings } from '../../src/lib/server/mail/config';
import { MailWorker } from '../../src/lib/server/mail/worker';
import { notifyActivation, notifyCertificate, scanDigests, scanReminders } from '../../src/lib/server/notifications/events';
import { inbox, markAllRead, openMessage, unreadCount } from '../../src/lib/server/notifications/inbox';
import { outbox, sendAgain } from '../../src/lib/server/notifications/outbox';
import { setMailPreferences } from '../../src/lib/server/notifications/preferences';
import { queueMessages } from '../../src/lib/server/notifications/queue';
import { resetDatabase, testDatabase } from '../helpers/db';
import { withDatabase } from '../helpers/global-setup';
import { createDepartment, createUser, syncLibrary } from '../helpers/factories';
import { smtpSink, type SmtpSink } from '../helpers/smtp';

let sink: SmtpSink;
let conn: Connection;
const ORIGIN = 'http://govlearn.test';
const workers: MailWorker[] = [];

function settings(extra: Partial<MailSettings> = {}): MailSettings {
	return {
		...mailSettings(),
		smtpUrl: sink.url,
		origin: ORIGIN,
		from: 'GovLearn <govlearn@example.gov.cn>',
		pollMs: 20,
		retryBaseSeconds: 0.2,
		retryMaxSeconds: 1,
		...extra
	};
}
function worker(database = db, extra: Partial<MailSettings> = {}) {
	const w = new MailWorker(database, settings(extra));
	workers.push(w);
	return w;
}
/** Runs a worker until nothing is queued or sending. */
async function drain(w: MailWorker, timeoutMs = 20_000) {
	const until = Date.now() + timeoutMs;
	while (Date.now() < until) {
		await w.tick();
		const [left] = await rows<{ n: string | number }>(
			db,
			sql`select count(*) as n from message where mail_status in ('queued', 'sending')`
		);
		if (Number(left.n) === 0) return;
		await new Promise((r) => setTimeout(r, 50));
	}
	throw new Error('queue did not drain');
}
const iso = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
const linkIn = (text: string) => text.match(/https?:\/\/\S+/)?.[0] ?? '';

beforeAll(async () => {
	conn = await testDatabase();
	sink = await smtpSink();
	process.env.SMTP_URL = sink.url;
	process.env.ORIGIN = ORIGIN;
});
afterAll(async () => {
	delete process.env.SMTP_URL;
	delete process.env.ORIGIN;
	await sink.stop();
});
beforeEach(async () => {
	await resetDatabase();
	useLibrary(await syncLibrary());
	sink.received.length = 0;
	sink.reject.clear();
	process.env.SMTP_URL = sink.url;
});
afterEach(async () => {
	await Promise.all(workers.splice(0).map((w) => w.stop()));
});

async function person(
	username: string,
	locale: 'zh-CN' | 'en',
	department: { id: number },
	extra: { roles?: ('learner' | 'hr')[]; email?: string | null } = {}
) {
	const u = await createUser({ username, department, roles: extra.roles });
	const email = extra.email === undefined ? `${username}@example.gov.cn` : extra.email;
	await db.update(schema.user).set({ email, locale }).where(eq(schema.user.id, u.id));
	return { ...u, email, locale };
}

describe('every kind of message', () => {
	it('arrives once, in the recipient’s language, with a link that works', async () => {
		const root = await createDepartment({ nameZh: '市政府', nameEn: 'City Hall' });
		const zh = await person('zhang', 'zh-CN', root);
		const en = await person('smith', 'en', root);
		const hr = await person('hr1', 'en', root, { roles: ['learner', 'hr'] });
		const admin = { id: hr.id, username: hr.username };
		// activation (a new account), password reset
		const pending = await person('newbie', 'zh-CN', root);
		await db.update(schema.user).set({ status: 'pending', passwordHash: null }).where(eq(schema.user.id, pending.id));
		const link = await issueToken(db, pending.id);
		await notifyActivation(db, new Map([[pending.id, link.token]]), link.expiresAt);
		expect((await requestReset('smith', '127.0.0.1')).status).toBe('sent');
		// a new required course (due in 3 days: the 3-day reminder too), one overdue, a digest, a certificate
		await createAssignment(
			{ courseId: 'fixture-basics', departmentId: root.id, dueDate: iso(3), recurrence: 'none', required: true },
			admin
		);
		await db.insert(schema.assignment).values({ courseId: 'fixture-advanced', departmentId: root.id, dueDate: iso(-10), required: true });
		const scan = await scanReminders();
		expect(scan.due).toBe(3);
		expect(scan.overdue).toBe(3);
		expect(await scanDigests()).toBe(1);
		const [completion] = await db
			.insert(schema.completion)
			.values({
				userId: en.id,
				courseId: 'fixture-basics',
				completedAt: new Date(),
				year: new Date().getFullYear(),
				departmentId: root.id,
				hours: 1,
				score: 90,
				contentVersion: 'v',
				certificateCode: 'abcdefgh23456789'
			})
			.returning();
		await notifyCertificate(db, completion.id);

		await drain(worker());
		const got = sink.received;
		const byKind = (kind: string, to: string) => got.filter((g) => g.kind === kind && g.to.includes(to));
		// Each message exactly once.
		const keys = got.map((g) => `${g.kind}:${g.to}:${g.subject}`);
		expect(new Set(keys).size).toBe(keys.length);
		expect(byKind('activation', 'newbie@')).toHaveLength(1);
		expect(byKind('password_reset', 'smith@')).toHaveLength(1);
		for (const who of ['zhang@', 'smith@', 'hr1@']) {
			// One per course: the new assignment, and (a new account) the one that already applied.
			expect(byKind('assignment_new', who)).toHaveLength(2);
			expect(byKind('reminder_due', who)).toHaveLength(1);
			expect(byKind('reminder_overdue', who)).toHaveLength(1);
		}
		expect(byKind('hr_digest', 'hr1@')).toHaveLength(1);
		expect(byKind('certificate', 'smith@')).toHaveLength(1);

		// Language: zh-CN for zhang and the new account, English for smith and hr1.
		expect(byKind('activation', 'newbie@')[0].subject).toBe('请激活您的政务数字能力学院账号');
		expect(byKind('password_reset', 'smith@')[0].subject).toBe('Reset your GovLearn password');
		expect(byKind('assignment_new', 'zhang@')[0].subject).toMatch(/^新的必修课程：/);
		expect(byKind('assignment_new', 'smith@')[0].subject).toMatch(/^New required course: /);
		expect(byKind('reminder_due', 'zhang@')[0].text).toContain('3 天后');
		expect(byKind('reminder_overdue', 'smith@')[0].subject).toMatch(/^Overdue: /);
		expect(byKind('hr_digest', 'hr1@')[0].subject).toBe('Weekly learning report: City Hall');
		expect(byKind('certificate', 'smith@')[0].text).toContain('abcdefgh23456789');
		for (const g of got) {
			expect(g.from).toContain('govlearn@example.gov.cn');
			expect(g.html).toContain('<a href="http://govlearn.test/');
		}

		// Links work: the activation and reset tokens are valid, the course and certificate exist.
		const activationUrl = new URL(linkIn(byKind('activation', 'newbie@')[0].text));
		expect(activationUrl.origin).toBe(ORIGIN);
		expect((await checkActivation(activationUrl.pathname.split('/')[2])).status).toBe('valid');
		const resetUrl = new URL(linkIn(byKind('password_reset', 'smith@')[0].text));
		expect(resetUrl.pathname).toMatch(/^\/password-reset\/[a-z2-7]{32}$/);
		expect((await checkReset(resetUrl.pathname.split('/')[2])).status).toBe('valid');
		expect(new URL(linkIn(byKind('reminder_due', 'zhang@')[0].text)).pathname).toBe('/courses/fixture-basics');
		expect(new URL(linkIn(byKind('certificate', 'smith@')[0].text)).pathname).toBe('/certificates/abcdefgh23456789');
		expect(new URL(linkIn(byKind('hr_digest', 'hr1@')[0].text)).pathname).toBe('/insights');

		// Delivered one-time tokens leave the database.
		const secrets = await rows<{ params: Record<string, unknown> }>(
			db,
			sql`select params from message where kind in ('activation', 'password_reset')`
		);
		for (const s of secrets) expect(s.params.token).toBeUndefined();

		// A second scan queues nothing new (dedupe keys).
		expect(await scanReminders()).toEqual({ assigned: 0, due: 0, overdue: 0 });
		expect(await scanDigests()).toBe(0);
		void zh;
	});

	it('puts the same events in the inbox (not one-time links), in the reader’s language, with an unread count', async () => {
		const root = await createDepartment();
		const a = await person('reader', 'en', root);
		await createAssignment(
			{ courseId: 'fixture-basics', departmentId: root.id, dueDate: iso(20), recurrence: 'none', required: true },
			{ id: a.id, username: 'x' }
		);
		await requestReset('reader', null);
		expect(await unreadCount(a.id)).toBe(1);
		const box = await inbox(a.id, 'zh-CN');
		expect(box.items).toHaveLength(1);
		expect(box.items[0].subject).toMatch(/^新的必修课程：/);
		const opened = await openMessage(a.id, box.items[0].id, 'en');
		expect(opened.path).toBe('/courses/fixture-basics');
		expect(await unreadCount(a.id)).toBe(0);
		const other = await person('other', 'en', root);
		await expect(openMessage(other.id, box.items[0].id, 'en')).rejects.toMatchObject({ kind: 'not-found' });
		await markAllRead(a.id);
	});
});

describe('delivery', () => {
	async function queueMany(n: number) {
		const root = await createDepartment();
		const u = await person('many', 'en', root);
		await queueMessages(
			db,
			'certificate',
			sql`select ${u.id}::int as user_id, jsonb_build_object('courseId', 'c', 'slug', 'c', 'titleZh', '课程' || g, 'titleEn', 'Course ' || g, 'code', 'code' || g) as params,
				'bulk:' || g as dedupe_key from generate_series(1, ${n}) g`
		);
		return u;
	}

	it('two app servers and a restart mid-batch send each message exactly once', async () => {
		await queueMany(300);
		// A second app server: its own connection pool on Postgres (PGlite has one connection: shared).
		let second: Connection | null = null;
		if (conn.kind === 'postgres') {
			const [{ name }] = await rows<{ name: string }>(db, sql`select current_database() as name`);
			second = await connect({ url: withDatabase(process.env.TEST_DATABASE_URL!, name), poolSize: 4 });
		}
		const a = worker(db, { concurrency: 4 });
		const b = worker(second?.db ?? db, { concurrency: 4 });
		a.start();
		b.start();
		await sink.waitFor(60);
		await a.stop(); // a restart of server A mid-batch: it hands back what it had not started
		const a2 = worker(db, { concurrency: 4 });
		a2.start();
		await sink.waitFor(300, 30_000);
		await new Promise((r) => setTimeout(r, 300));
		await b.stop();
		await a2.stop();
		await second?.close();
		const ids = sink.received.map((r) => r.messageId);
		expect(ids).toHaveLength(300);
		expect(new Set(ids).size).toBe(300);
		expect(b.stats.sent).toBeGreaterThan(0);
		const [sent] = await rows<{ n: string | number }>(db, sql`select count(*) as n from message where mail_status = 'sent'`);
		expect(Number(sent.n)).toBe(300);
	});

	it('SMTP down, then up: retried with backoff, everything delivered once', async () => {
		await queueMany(20);
		await sink.stop();
		const w = worker(db, { retryBaseSeconds: 0.5, retryMaxSeconds: 0.5 });
		await w.tick();
		const waiting = await rows<{ attempts: number; last_error: string; mail_status: string; later: boolean }>(
			db,
			sql`select attempts, last_error, mail_status, run_after > now() as later from message`
		);
		expect(waiting).toHaveLength(20);
		for (const m of waiting) {
			expect(m.mail_status).toBe('queued');
			expect(m.attempts).toBe(1);
			expect(m.last_error).toMatch(/ECONNREFUSED|ECONNECTION|ESOCKET/);
			expect(m.later).toBe(true);
		}
		await sink.start();
		await drain(w);
		expect(sink.received).toHaveLength(20);
		expect(new Set(sink.received.map((r) => r.messageId)).size).toBe(20);
	});

	it('a refused or impossible address fails visibly with its error; “send again” delivers it', async () => {
		const root = await createDepartment();
		const bounced = await person('bounce', 'en', root);
		const broken = await person('broken', 'en', root, { email: 'not an address' });
		sink.reject.add('bounce@example.gov.cn');
		await createAssignment(
			{ courseId: 'fixture-basics', departmentId: root.id, dueDate: iso(30), recurrence: 'none', required: true },
			{ id: bounced.id, username: 'x' }
		);
		const w = worker();
		await drain(w);
		const failed = (await outbox({ status: 'failed' })).rows;
		expect(failed.map((f) => f.username).sort()).toEqual(['bounce', 'broken']);
		expect(failed.find((f) => f.username === 'bounce')!.error).toMatch(/550/);
		expect(failed.find((f) => f.username === 'broken')!.error).toMatch(/not a mail address/);
		expect(failed[0].text).toContain('/courses/fixture-basics');
		sink.reject.clear();
		await sendAgain(failed.find((f) => f.username === 'bounce')!.id, { id: bounced.id, username: 'admin' });
		await expect(sendAgain(failed.find((f) => f.username === 'bounce')!.id, { id: bounced.id, username: 'admin' })).rejects.toMatchObject({
			kind: 'conflict'
		});
		await drain(w);
		expect(sink.received.filter((r) => r.to.includes('bounce@'))).toHaveLength(1);
		void broken;
	});

	it('without SMTP_URL every message is kept in the outbox; an opt-out keeps only the inbox entry', async () => {
		delete process.env.SMTP_URL;
		const root = await createDepartment();
		const u = await person('quiet', 'zh-CN', root);
		const v = await person('optout', 'zh-CN', root);
		await setMailPreferences(v, ['reminder_due']);
		await createAssignment(
			{ courseId: 'fixture-basics', departmentId: root.id, dueDate: iso(30), recurrence: 'none', required: true },
			{ id: u.id, username: 'x' }
		);
		const kept = (await outbox()).rows;
		expect(kept).toHaveLength(1);
		expect(kept[0]).toMatchObject({ username: 'quiet', status: 'outbox' });
		expect(kept[0].subject).toMatch(/^新的必修课程：/);
		expect(await unreadCount(v.id)).toBe(1);
		const [mail] = await rows<{ mail_status: string }>(db, sql`select mail_status from message where user_id = ${v.id}`);
		expect(mail.mail_status).toBe('none');
	});
});

describe('password reset', () => {
	it('gives the same answer for unknown names and accounts without an address, and mails only a real one', async () => {
		const root = await createDepartment();
		await person('known', 'en', root);
		await person('noaddress', 'en', root, { email: null });
		expect(await requestReset('nobody-here', '10.0.0.1')).toEqual({ status: 'sent' });
		expect(await requestReset('noaddress', '10.0.0.1')).toEqual({ status: 'sent' });
		expect(await requestReset('known', '10.0.0.1')).toEqual({ status: 'sent' });
		const [n] = await rows<{ n: string | number }>(db, sql`select count(*) as n from message where kind = 'password_reset'`);
		expect(Number(n.n)).toBe(1);
	});

	it('is throttled per username (known or not) after three requests', async () => {
		for (const name of ['ghost', 'ghost', 'ghost']) expect((await requestReset(name, '10.0.0.2')).status).toBe('sent');
		const fourth = await requestReset('ghost', '10.0.0.2');
		expect(fourth.status).toBe('throttled');
	});

	it('a link works once, ends every other session, and signs the person in; an expired link does not work', async () => {
		const root = await createDepartment();
		const u = await person('forgetful', 'en', root);
		const other = await createSession(u.id, u.roles);
		await requestReset('forgetful', null);
		await drain(worker());
		const token = new URL(linkIn(sink.received[0].text)).pathname.split('/')[2];
		expect(await resetPassword(token, 'short', 'short')).toMatchObject({ ok: false, problem: 'short' });
		const done = await resetPassword(token, 'a long new passphrase 42', 'a long new passphrase 42');
		expect(done.ok).toBe(true);
		expect(await validateSessionToken(other.token)).toBeNull();
		if (done.ok) expect(await validateSessionToken(done.session.token)).not.toBeNull();
		expect(await resetPassword(token, 'another passphrase 43', 'another passphrase 43')).toMatchObject({ ok: false, problem: 'used' });

		await requestReset('forgetful', null);
		await drain(worker());
		const second = new URL(linkIn(sink.received[1].text)).pathname.split('/')[2];
		await db.execute(sql`update password_reset set expires_at = now() - interval '1 second' where used_at is null`);
		expect((await checkReset(second)).status).toBe('expired');
		expect(await resetPassword(second, 'another passphrase 43', 'another passphrase 43')).toMatchObject({ ok: false, problem: 'expired' });
		expect((await checkReset('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa')).status).toBe('unknown');
	});
});
