// First minute: the sign-in page lists the demo accounts only where the demo organisation was seeded.
import { eq } from 'drizzle-orm';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { db, schema } from '../../src/lib/server/db';
import { load } from '../../src/routes/(public)/login/+page.server';
import { resetDatabase, testDatabase } from '../helpers/db';
import { createDepartment, createUser, syncLibrary } from '../helpers/factories';
import { DEMO_ACCOUNTS_SETTING, recordDemoAccounts } from '../../src/lib/server/auth/demo';
import { demoAccountsShown, seedDemoIfEmpty } from '../../seeds/demo';

type LoadEvent = Parameters<typeof load>[0];
const visit = async () =>
	(await load({ locals: { user: null, session: null }, url: new URL('http://localhost/login') } as unknown as LoadEvent)) as {
		demo: { password: string; accounts: { username: string; roles: string[] }[] } | null;
	};

beforeAll(async () => {
	await testDatabase();
});
beforeEach(resetDatabase);

describe('sign-in page', () => {
	it('shows no demo accounts on a production database', async () => {
		expect((await visit()).demo).toBeNull();
		await db.insert(schema.setting).values({ key: 'demo', value: 'false' });
		expect((await visit()).demo).toBeNull();
	});

	it('lists the demo accounts and their password once the demo seed ran', async () => {
		await db.insert(schema.setting).values({ key: 'demo', value: 'true' });
		await recordDemoAccounts(db, demoAccountsShown());
		const { demo } = await visit();
		expect(demo?.password).toBe('govlearn-demo');
		expect(demo?.accounts.map((a) => a.username)).toEqual(['admin', 'trainer', 'reviewer', 'hr', 'hr-east', 'learner']);
		expect(demo?.accounts.find((a) => a.username === 'hr')?.roles).toContain('hr');
	});

	it('reads the list from the setting the demo seed writes, not from the seed itself', async () => {
		await recordDemoAccounts(db, { password: 'another-password', accounts: [{ username: 'only-one', roles: ['learner'] }] });
		expect((await visit()).demo).toEqual({ password: 'another-password', accounts: [{ username: 'only-one', roles: ['learner'] }] });
		// A value that is not the expected shape lists nothing rather than breaking the sign-in page.
		await db.update(schema.setting).set({ value: 'true' }).where(eq(schema.setting.key, DEMO_ACCOUNTS_SETTING));
		expect((await visit()).demo).toBeNull();
	});

	it('a database seeded before the list moved to the setting table gets it at the next start', async () => {
		await createUser({ department: await createDepartment() });
		await db.insert(schema.setting).values({ key: 'demo', value: 'true' });
		expect((await visit()).demo).toBeNull();
		expect(await seedDemoIfEmpty(db, await syncLibrary())).toEqual({ seeded: false, present: true });
		expect((await visit()).demo?.accounts.map((a) => a.username)).toEqual(['admin', 'trainer', 'reviewer', 'hr', 'hr-east', 'learner']);
	});
});
