// First minute: the sign-in page lists the demo accounts only where the demo organisation was seeded.
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { db, schema } from '../../src/lib/server/db';
import { load } from '../../src/routes/(public)/login/+page.server';
import { resetDatabase, testDatabase } from '../helpers/db';

type LoadEvent = Parameters<typeof load>[0];
const visit = async () => (await load({ locals: { user: null, session: null }, url: new URL('http://localhost/login') } as unknown as LoadEvent)) as { demo: { password: string; accounts: { username: string; roles: string[] }[] } | null };

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
		const { demo } = await visit();
		expect(demo?.password).toBe('govlearn-demo');
		expect(demo?.accounts.map((a) => a.username)).toEqual(['admin', 'trainer', 'hr', 'hr-east', 'learner']);
		expect(demo?.accounts.find((a) => a.username === 'hr')?.roles).toContain('hr');
	});
});
