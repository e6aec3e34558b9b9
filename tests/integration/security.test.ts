// Sign-in hardening and the security log, at the service level on PGlite and Postgres: throttling per
// account and per address held in the database (also against parallel bursts), sessions rotated and
// expired by role, the `__Host-` cookie, and structured UTC log lines with the request id.
import { eq } from 'drizzle-orm';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { audit } from '../../src/lib/server/audit';
import { signIn } from '../../src/lib/server/auth/login';
import { createSession, sessionCookie, validateSessionToken } from '../../src/lib/server/auth/session';
import {
	ACCOUNT_FREE_FAILURES,
	IP_FREE_FAILURES,
	MAX_BLOCK_SECONDS,
	accountKey,
	beginAttempt,
	ipKey,
	recordAddressFailure,
	recordSuccess,
	retryAfter,
	sweep
} from '../../src/lib/server/auth/throttle';
import { db, schema } from '../../src/lib/server/db';
import { isDatabaseUnavailable } from '../../src/lib/server/db/errors';
import { setRequestSource } from '../../src/lib/server/request-context';
import { securityLog } from '../../src/lib/server/security/log';
import { resetDatabase, testDatabase } from '../helpers/db';
import { createDepartment, createUser } from '../helpers/factories';

beforeAll(async () => {
	await testDatabase();
});
beforeEach(resetDatabase);

const seconds = (n: number, from = new Date()) => new Date(from.getTime() + n * 1000);

describe('sign-in throttling', () => {
	it(`admits ${ACCOUNT_FREE_FAILURES} free failures, then backs off 30 s, 60 s … and never more than 5 minutes`, async () => {
		let now = new Date('2030-01-01T08:00:00Z');
		for (let i = 0; i < ACCOUNT_FREE_FAILURES; i++) expect(await beginAttempt('G100', `10.0.0.${i}`, now)).toBe(0);
		// The fifth attempt is admitted and starts the back-off for the sixth.
		expect(await beginAttempt('G100', '10.0.1.1', now)).toBe(0);
		expect(await beginAttempt('G100', '10.0.1.2', now)).toBe(30);
		const waits: number[] = [];
		for (let i = 0; i < 12; i++) {
			now = seconds(MAX_BLOCK_SECONDS + 1, now);
			expect(await beginAttempt('G100', '10.0.2.1', now)).toBe(0);
			waits.push(await beginAttempt('G100', '10.0.2.1', now));
		}
		expect(waits.slice(0, 4)).toEqual([60, 120, 240, 300]);
		expect(Math.max(...waits)).toBe(MAX_BLOCK_SECONDS);
	});

	it('does not lengthen a block with attempts made while blocked (the victim waits at most the back-off)', async () => {
		const now = new Date('2030-01-01T08:00:00Z');
		for (let i = 0; i <= ACCOUNT_FREE_FAILURES; i++) await beginAttempt('victim', '10.9.9.9', now);
		for (let i = 0; i < 200; i++) await beginAttempt('victim', `10.9.${i % 250}.1`, seconds(i % 29, now));
		const [row] = await db
			.select()
			.from(schema.loginThrottle)
			.where(eq(schema.loginThrottle.key, accountKey('victim')));
		expect(row.failures).toBe(ACCOUNT_FREE_FAILURES + 1);
		expect(await beginAttempt('victim', '10.1.1.1', seconds(31, now))).toBe(0);
	});

	it('admits no more than the free attempts from a parallel burst', async () => {
		const now = new Date();
		const results = await Promise.all(Array.from({ length: 40 }, (_, i) => beginAttempt('burst', `10.2.${i}.1`, now)));
		expect(results.filter((w) => w === 0)).toHaveLength(ACCOUNT_FREE_FAILURES + 1);
		expect(results.filter((w) => w > 0).every((w) => w <= 30)).toBe(true);
	});

	it('blocks an address after many failures across accounts, but not one whose sign-ins succeed', async () => {
		const now = new Date();
		// Two hundred colleagues behind one office address all sign in at once.
		const office = await Promise.all(Array.from({ length: 200 }, (_, i) => beginAttempt(`staff-${i}`, '192.0.2.1', now)));
		expect(office.every((w) => w === 0)).toBe(true);
		for (let i = 0; i < IP_FREE_FAILURES; i++) {
			expect(await beginAttempt(`spray-${i}`, '192.0.2.7', now)).toBe(0);
			await recordAddressFailure('192.0.2.7');
		}
		expect(await beginAttempt('spray-x', '192.0.2.7', now)).toBe(0);
		await recordAddressFailure('192.0.2.7');
		expect(await beginAttempt('spray-y', '192.0.2.7', now)).toBeGreaterThan(0);
		// Another address is not affected.
		expect(await beginAttempt('spray-y', '192.0.2.8', now)).toBe(0);
	});

	it('clears the account count on success and forgets old failures', async () => {
		const now = new Date();
		for (let i = 0; i <= ACCOUNT_FREE_FAILURES; i++) await beginAttempt('G200', '10.3.0.1', now);
		expect(await retryAfter([accountKey('G200')])).toBeGreaterThan(0);
		await recordSuccess('G200');
		expect(await retryAfter([accountKey('G200'), ipKey('10.3.0.1')])).toBe(0);
		// Failures older than 15 minutes count from zero again.
		for (let i = 0; i < ACCOUNT_FREE_FAILURES; i++) await beginAttempt('G201', '10.3.0.2', new Date(now.getTime() - 20 * 60_000));
		expect(await beginAttempt('G201', '10.3.0.2', now)).toBe(0);
		expect(await beginAttempt('G201', '10.3.0.2', now)).toBe(0);
	});

	it('counts usernames case-insensitively, so "Admin" and "admin" share one count', async () => {
		const now = new Date();
		for (let i = 0; i <= ACCOUNT_FREE_FAILURES; i++) await beginAttempt(i % 2 ? 'Admin' : ' admin ', '10.4.0.1', now);
		expect(await beginAttempt('ADMIN', '10.4.0.2', now)).toBeGreaterThan(0);
	});

	it('sweeps counts nobody needs and expired sessions', async () => {
		const old = new Date(Date.now() - 60 * 60_000);
		await beginAttempt('random-1', '10.5.0.1', old);
		const dept = await createDepartment();
		const user = await createUser({ department: dept });
		const { session } = await createSession(user.id, user.roles);
		await db.update(schema.session).set({ expiresAt: old }).where(eq(schema.session.id, session.id));
		await sweep();
		expect(await db.select().from(schema.loginThrottle)).toEqual([]);
		expect(await db.select().from(schema.session)).toEqual([]);
	});
});

describe('sessions', () => {
	it('opens a new session at every sign-in (the token rotates)', async () => {
		const dept = await createDepartment();
		await createUser({ username: 'rot', department: dept });
		const a = await signIn('rot', 'test-password');
		const b = await signIn('rot', 'test-password');
		expect(a.ok && b.ok).toBe(true);
		if (!a.ok || !b.ok) return;
		expect(a.token.split('.')[0]).not.toBe(b.token.split('.')[0]);
	});

	it('ends HR and admin sessions after 30 minutes idle or 8 hours in all; learners keep theirs', async () => {
		const dept = await createDepartment();
		const admin = await createUser({ department: dept, roles: ['admin'] });
		const hr = await createUser({ department: dept, roles: ['hr'] });
		const learner = await createUser({ department: dept });
		const idle = await createSession(admin.id, admin.roles);
		const long = await createSession(hr.id, hr.roles);
		const mine = await createSession(learner.id, learner.roles);
		const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000);
		await db
			.update(schema.session)
			.set({ lastSeenAt: ago(31) })
			.where(eq(schema.session.id, idle.session.id));
		await db
			.update(schema.session)
			.set({ createdAt: ago(8 * 60 + 1), lastSeenAt: ago(1) })
			.where(eq(schema.session.id, long.session.id));
		await db
			.update(schema.session)
			.set({ lastSeenAt: ago(31), createdAt: ago(8 * 60 + 1) })
			.where(eq(schema.session.id, mine.session.id));
		expect(await validateSessionToken(idle.token)).toBeNull();
		expect(await validateSessionToken(long.token)).toBeNull();
		expect((await validateSessionToken(mine.token))?.user.id).toBe(learner.id);
		// Expired sessions are gone from the database, not just refused.
		const left = await db.select({ id: schema.session.id }).from(schema.session);
		expect(left.map((s) => s.id)).toEqual([mine.session.id]);
	});

	it('names the cookie __Host- and marks it Secure when served over HTTPS', () => {
		const before = process.env.ORIGIN;
		try {
			process.env.ORIGIN = 'https://govlearn.example.gov.cn';
			expect(sessionCookie()).toMatchObject({
				name: '__Host-govlearn_session',
				options: { secure: true, httpOnly: true, path: '/', sameSite: 'lax' }
			});
			process.env.ORIGIN = 'http://localhost:3000';
			expect(sessionCookie().options.secure).toBe(false);
		} finally {
			if (before === undefined) delete process.env.ORIGIN;
			else process.env.ORIGIN = before;
		}
	});

	it('refuses malformed tokens without touching the database rows of others', async () => {
		const dept = await createDepartment();
		const user = await createUser({ department: dept });
		const { token } = await createSession(user.id, user.roles);
		const [id] = token.split('.');
		for (const bad of ['', '.', `${id}.`, `${id}`, `${id}.x.y`, `${'a'.repeat(65)}.b`, `${id}.${'b'.repeat(65)}`, "' or 1=1 --.x"])
			expect(await validateSessionToken(bad)).toBeNull();
		expect(await validateSessionToken(token)).not.toBeNull();
	});
});

describe('security log', () => {
	let lines: string[] = [];
	beforeEach(() => {
		lines = [];
		vi.stubEnv('GOVLEARN_QUIET_LOG', '0');
		vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
			lines.push(String(chunk));
			return true;
		});
	});
	afterEach(() => {
		vi.restoreAllMocks();
		vi.unstubAllEnvs();
		setRequestSource(() => {
			throw new Error('no request');
		});
	});

	it('writes one JSON object per line with a UTC timestamp', () => {
		securityLog('auth.login.failure', { actor: null, ip: '10.0.0.1', requestId: 'req-12345678', note: 'line\nbreak' });
		expect(lines).toHaveLength(1);
		expect(lines[0].endsWith('\n')).toBe(true);
		expect(lines[0].slice(0, -1)).not.toContain('\n');
		const entry = JSON.parse(lines[0]);
		expect(entry).toMatchObject({ event: 'auth.login.failure', ip: '10.0.0.1', requestId: 'req-12345678' });
		expect(entry.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
	});

	it('logs every audited change with the actor, target, address and request id, and stores it', async () => {
		setRequestSource(() => ({
			locals: { user: { id: 7, username: 'admin' }, requestId: 'req-abcdef12' } as App.Locals,
			getClientAddress: () => '203.0.113.9'
		}));
		await audit({ action: 'department.rename', targetType: 'department', targetId: 12, before: { name: 'a' }, after: { name: 'b' } });
		const entry = JSON.parse(lines.find((l) => l.includes('department.rename'))!);
		expect(entry).toMatchObject({
			event: 'department.rename',
			actor: 'admin',
			target: 'department:12',
			ip: '203.0.113.9',
			requestId: 'req-abcdef12'
		});
		const [row] = await db.select().from(schema.auditLog);
		expect(row).toMatchObject({ action: 'department.rename', actorUsername: 'admin', requestId: 'req-abcdef12', ip: '203.0.113.9' });
	});
});

describe('database outages', () => {
	it('recognises an unreachable database through drizzle’s wrapping', () => {
		const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
		expect(isDatabaseUnavailable(new Error('Failed query', { cause: refused }))).toBe(true);
		expect(isDatabaseUnavailable(Object.assign(new Error('terminating'), { code: '57P01' }))).toBe(true);
		expect(isDatabaseUnavailable(Object.assign(new Error('unique'), { code: '23505' }))).toBe(false);
		expect(isDatabaseUnavailable(undefined)).toBe(false);
	});
});
