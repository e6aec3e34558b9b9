import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as oidc from '../../src/lib/server/auth/oidc';
import { oidcSettings, OidcConfigError, type OidcSettings } from '../../src/lib/server/auth/oidc-config';
import { validateSessionToken } from '../../src/lib/server/auth/session';
import { refusedGovernmentSignIns } from '../../src/lib/server/admin/audit-log';
import { db, schema } from '../../src/lib/server/db';
import { resetDatabase, testDatabase } from '../helpers/db';
import { createDepartment, createUser } from '../helpers/factories';
import {
	CLIENT_ID,
	CLIENT_SECRET,
	closedPort,
	signInAtProvider,
	startFakeProvider,
	startProvider,
	type FakeProvider,
	type RealProvider
} from '../helpers/oidc';

const APP = 'http://localhost:3999';
let real: RealProvider;
let fake: FakeProvider;

function settingsFor(issuer: string, timeout = 2): OidcSettings {
	return oidcSettings({
		OIDC_ISSUER: issuer,
		OIDC_CLIENT_ID: CLIENT_ID,
		OIDC_CLIENT_SECRET: CLIENT_SECRET,
		OIDC_TIMEOUT: String(timeout)
	})!;
}

beforeAll(async () => {
	await testDatabase();
	real = await startProvider(APP);
	fake = await startFakeProvider();
});
afterAll(async () => {
	oidc.useOidcSettings(undefined);
	await real.close();
	await fake.close();
});
beforeEach(async () => {
	await resetDatabase();
	oidc.useOidcSettings(settingsFor(real.issuer));
	real.people.clear();
	fake.mode = 'valid';
});

/** Starts at GovLearn, signs in at the real provider as `login`, and finishes at GovLearn. */
async function governmentSignIn(login: string) {
	const started = await oidc.beginSignIn(APP, '/me');
	if ('reason' in started) throw new Error(started.reason);
	const callback = await signInAtProvider(started.url, login, APP);
	return { started, callback, result: await oidc.finishSignIn(new URL(callback), started.loginId) };
}

async function failures() {
	return db.select().from(schema.auditLog).where(eq(schema.auditLog.action, 'auth.login.failure'));
}

describe('configuration', () => {
	it('accepts http:// only on loopback and uses the default claim names', () => {
		const ok = oidcSettings({ OIDC_ISSUER: 'http://127.0.0.1:4390', OIDC_CLIENT_ID: 'c', OIDC_CLIENT_SECRET: 's' });
		expect(ok?.claims).toEqual({ username: 'preferred_username', name: 'name', email: 'email', department: 'department_code' });
		expect(
			oidcSettings({
				OIDC_ISSUER: 'https://sso.example.gov.cn',
				OIDC_CLIENT_ID: 'c',
				OIDC_CLIENT_SECRET: 's',
				OIDC_CLAIM_USERNAME: 'employee_number'
			})?.claims.username
		).toBe('employee_number');
		expect(() => oidcSettings({ OIDC_ISSUER: 'http://sso.example.gov.cn', OIDC_CLIENT_ID: 'c', OIDC_CLIENT_SECRET: 's' })).toThrow(
			OidcConfigError
		);
		expect(() => oidcSettings({ OIDC_ISSUER: 'https://sso.example.gov.cn' })).toThrow(/OIDC_CLIENT_ID/);
		expect(oidcSettings({})).toBeNull();
	});

	it('sends PKCE (S256), state and nonce in the authorization request', async () => {
		const started = await oidc.beginSignIn(APP, null);
		if ('reason' in started) throw new Error(started.reason);
		const url = new URL(started.url);
		expect(url.origin).toBe(real.issuer);
		expect(url.searchParams.get('code_challenge_method')).toBe('S256');
		for (const p of ['code_challenge', 'state', 'nonce']) expect(url.searchParams.get(p)?.length).toBeGreaterThan(20);
		expect(url.searchParams.get('client_id')).toBe(CLIENT_ID);
		expect(url.searchParams.get('redirect_uri')).toBe(`${APP}/login/oidc/callback`);
		// The verifier stays on the server: it is not derivable from anything the browser sees.
		const [row] = await db.select().from(schema.oidcLogin).where(eq(schema.oidcLogin.id, started.loginId));
		expect(row.state).toBe(url.searchParams.get('state'));
		expect(started.url).not.toContain(row.codeVerifier);
	});
});

describe('first and later sign-ins', () => {
	it('creates the account on first sign-in, placed by the department claim, with a normal session', async () => {
		const east = await createDepartment({ code: 'EAST' });
		real.people.set('S1001', { name: '林晓', department: 'EAST', email: 'linxiao@example.gov.cn' });
		const { result } = await governmentSignIn('S1001');
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(result.redirectTo).toBe('/me');
		const [user] = await db.select().from(schema.user).where(eq(schema.user.username, 'S1001'));
		expect(user).toMatchObject({
			displayName: '林晓',
			departmentId: east.id,
			status: 'active',
			roles: ['learner'],
			email: 'linxiao@example.gov.cn',
			passwordHash: null
		});
		const session = await validateSessionToken(result.token);
		expect(session?.user.id).toBe(user.id);
		const [row] = await db.select().from(schema.session).where(eq(schema.session.userId, user.id));
		expect(row.idToken).toMatch(/^ey/);
		const actions = (await db.select().from(schema.auditLog)).map((a) => a.action);
		expect(actions).toEqual(expect.arrayContaining(['user.create', 'auth.login.success']));
	});

	it('links the second sign-in to the existing account with that employee number (an imported, pending one becomes active)', async () => {
		const dept = await createDepartment({ code: 'WEST' });
		const existing = await createUser({ username: 'S2001', displayName: '王芳', department: dept, password: null, status: 'pending' });
		real.people.set('S2001', { name: '王芳', department: 'WEST' });
		const first = await governmentSignIn('S2001');
		const second = await governmentSignIn('S2001');
		expect(first.result.ok && second.result.ok).toBe(true);
		if (!second.result.ok) return;
		expect(second.result.userId).toBe(existing.id);
		expect(await db.$count(schema.user)).toBe(1);
		const [user] = await db.select().from(schema.user).where(eq(schema.user.id, existing.id));
		expect(user.status).toBe('active');
	});

	it('moves the account when the department or name claim changes, and audits the change', async () => {
		const east = await createDepartment({ code: 'EAST' });
		const west = await createDepartment({ code: 'WEST' });
		real.people.set('S3001', { name: '张伟', department: 'EAST' });
		await governmentSignIn('S3001');
		real.people.set('S3001', { name: '张伟华', department: 'west' });
		const { result } = await governmentSignIn('S3001');
		expect(result.ok).toBe(true);
		const [user] = await db.select().from(schema.user).where(eq(schema.user.username, 'S3001'));
		expect(user.departmentId).toBe(west.id);
		expect(user.displayName).toBe('张伟华');
		const [change] = await db.select().from(schema.auditLog).where(eq(schema.auditLog.action, 'user.update'));
		expect(change.before).toEqual({ name: '张伟', departmentId: east.id });
		expect(change.after).toMatchObject({ name: '张伟华', departmentId: west.id, department: 'WEST', source: 'oidc' });
	});

	it('refuses an unknown department with a clear reason, creates nothing, and shows the admin the refusal', async () => {
		real.people.set('S4001', { name: '新人', department: 'NOWHERE' });
		const { result } = await governmentSignIn('S4001');
		expect(result).toEqual({ ok: false, reason: 'unknown_department' });
		expect(await db.$count(schema.user)).toBe(0);
		expect(await db.$count(schema.session)).toBe(0);
		const [refused] = await refusedGovernmentSignIns();
		expect(refused.after).toMatchObject({ method: 'oidc', reason: 'unknown_department', username: 'S4001', department: 'NOWHERE' });
	});

	it('refuses a deactivated account (a leaver) even though the provider still knows them', async () => {
		const dept = await createDepartment({ code: 'EAST' });
		await createUser({ username: 'S5001', department: dept, status: 'inactive' });
		real.people.set('S5001', { name: '离职者', department: 'EAST' });
		const { result } = await governmentSignIn('S5001');
		expect(result).toEqual({ ok: false, reason: 'inactive' });
		expect(await db.$count(schema.session)).toBe(0);
	});

	it('gives the provider end-session URL with the ID token hint at sign-out', async () => {
		await createDepartment({ code: 'EAST' });
		real.people.set('S6001', { name: '退出', department: 'EAST' });
		const { result } = await governmentSignIn('S6001');
		if (!result.ok) throw new Error(result.reason);
		const [row] = await db.select().from(schema.session).where(eq(schema.session.userId, result.userId));
		const url = new URL((await oidc.endSessionUrl(APP, row.idToken))!);
		expect(url.origin).toBe(real.issuer);
		expect(url.searchParams.get('id_token_hint')).toBe(row.idToken);
		expect(url.searchParams.get('post_logout_redirect_uri')).toBe(`${APP}/`);
		expect(await oidc.endSessionUrl(APP, null)).toBeNull();
	});
});

describe('bad replies', () => {
	it('refuses a tampered state and a callback without a sign-in in progress', async () => {
		await createDepartment({ code: 'EAST' });
		real.people.set('S7001', { name: '甲', department: 'EAST' });
		const started = await oidc.beginSignIn(APP, '/');
		if ('reason' in started) throw new Error(started.reason);
		const callback = new URL(await signInAtProvider(started.url, 'S7001', APP));
		callback.searchParams.set('state', 'tampered');
		expect(await oidc.finishSignIn(callback, started.loginId)).toEqual({ ok: false, reason: 'state' });
		// The attempt is used up: the right state afterwards does not work either.
		callback.searchParams.set('state', new URL(started.url).searchParams.get('state')!);
		expect(await oidc.finishSignIn(callback, started.loginId)).toEqual({ ok: false, reason: 'state' });
		expect(await oidc.finishSignIn(new URL(`${APP}/login/oidc/callback?code=forged&state=x`), undefined)).toEqual({
			ok: false,
			reason: 'state'
		});
		expect(await db.$count(schema.session)).toBe(0);
		expect((await failures()).every((f) => (f.after as { reason: string }).reason === 'state')).toBe(true);
		expect(await failures()).toHaveLength(3);
	});

	it('refuses a replayed authorization code', async () => {
		await createDepartment({ code: 'EAST' });
		real.people.set('S8001', { name: '乙', department: 'EAST' });
		const started = await oidc.beginSignIn(APP, '/');
		if ('reason' in started) throw new Error(started.reason);
		const [pending] = await db.select().from(schema.oidcLogin).where(eq(schema.oidcLogin.id, started.loginId));
		const callback = new URL(await signInAtProvider(started.url, 'S8001', APP));
		expect((await oidc.finishSignIn(callback, started.loginId)).ok).toBe(true);
		// Someone who captured the callback and the sign-in cookie tries the same code again.
		await db.insert(schema.oidcLogin).values({ ...pending, id: 'replayed' });
		expect(await oidc.finishSignIn(callback, 'replayed')).toEqual({ ok: false, reason: 'rejected' });
		expect(await db.$count(schema.session)).toBe(1);
	});

	describe('ID tokens from a provider that lies', () => {
		beforeEach(async () => {
			oidc.useOidcSettings(settingsFor(fake.issuer, 1));
			await createDepartment({ code: 'EAST' });
			fake.claims = { preferred_username: 'S9001', name: '丙', department_code: 'EAST' };
		});

		async function callbackFromFake() {
			const started = await oidc.beginSignIn(APP, '/');
			if ('reason' in started) throw new Error(started.reason);
			const url = new URL(started.url);
			fake.nonce = url.searchParams.get('nonce')!;
			return oidc.finishSignIn(new URL(`${APP}/login/oidc/callback?code=abc&state=${url.searchParams.get('state')}`), started.loginId);
		}

		it('accepts a correct one (so the refusals below are about the token)', async () => {
			expect((await callbackFromFake()).ok).toBe(true);
		});

		for (const mode of ['wrong_issuer', 'wrong_audience', 'expired', 'alg_none', 'bad_signature', 'wrong_nonce'] as const) {
			it(`refuses ${mode.replace('_', ' ')}`, async () => {
				fake.mode = mode;
				expect(await callbackFromFake()).toEqual({ ok: false, reason: 'token' });
				expect(await db.$count(schema.session)).toBe(0);
				expect(await db.$count(schema.user)).toBe(0);
				const [logged] = await failures();
				expect(logged.after).toMatchObject({ method: 'oidc', reason: 'token' });
			});
		}

		it('gives up on a slow provider after the timeout', async () => {
			fake.mode = 'slow';
			const t0 = Date.now();
			expect(await callbackFromFake()).toEqual({ ok: false, reason: 'unavailable' });
			expect(Date.now() - t0).toBeLessThan(2900);
			expect(await db.$count(schema.session)).toBe(0);
			expect(((await failures())[0].after as { reason: string }).reason).toBe('unavailable');
		});
	});

	it('says the provider is unavailable when it is down, before sending anyone there', async () => {
		oidc.useOidcSettings(settingsFor(`http://127.0.0.1:${await closedPort()}`, 1));
		expect(await oidc.beginSignIn(APP, '/')).toEqual({ reason: 'unavailable' });
		expect(await db.$count(schema.oidcLogin)).toBe(0);
		expect(((await failures())[0].after as { reason: string }).reason).toBe('unavailable');
	});
});
