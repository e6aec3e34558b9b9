// The demo accounts the sign-in page lists. The demo seed (seeds/demo.ts) writes them into the setting
// table, so the app needs no copy of the seed and a production database (never seeded) lists none.
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { db, schema, type Executor } from '../db';

export const DEMO_ACCOUNTS_SETTING = 'demo_accounts';

const demoAccountsSchema = z.object({
	password: z.string(),
	accounts: z.array(z.object({ username: z.string(), roles: z.array(z.string()) }))
});
export type DemoAccounts = z.infer<typeof demoAccountsSchema>;

/** Records the demo accounts for the sign-in page (once: an existing row is kept). */
export async function recordDemoAccounts(executor: Executor, demo: DemoAccounts): Promise<void> {
	await executor
		.insert(schema.setting)
		.values({ key: DEMO_ACCOUNTS_SETTING, value: JSON.stringify(demo) })
		.onConflictDoNothing();
}

/** The demo accounts and their password, or null where the demo organisation was never seeded. */
export async function demoAccounts(executor: Executor = db): Promise<DemoAccounts | null> {
	const [row] = await executor
		.select({ value: schema.setting.value })
		.from(schema.setting)
		.where(eq(schema.setting.key, DEMO_ACCOUNTS_SETTING));
	if (!row) return null;
	try {
		const parsed = demoAccountsSchema.safeParse(JSON.parse(row.value));
		return parsed.success ? parsed.data : null;
	} catch {
		return null;
	}
}
