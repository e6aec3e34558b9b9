import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it, vi } from 'vitest';

// The counter is installed at connect time only when the variable is set, so set it before any import.
vi.hoisted(() => {
	process.env.GOVLEARN_QUERY_STATS = '1';
});

import { db, rows, schema } from '../../src/lib/server/db';
import { queryStatsEnabled, withQueryCount } from '../../src/lib/server/db/query-stats';
import { testDatabase } from '../helpers/db';

beforeAll(async () => {
	await testDatabase();
});

describe('query statistics per request', () => {
	it('counts each statement a unit of work issues, raw SQL, builders and transactions alike', async () => {
		expect(queryStatsEnabled).toBe(true);
		const { result, count } = withQueryCount(async () => {
			await db.select().from(schema.setting);
			await rows(db, sql`select 1 as one`);
			await db.transaction(async (tx) => {
				await tx.select().from(schema.department);
				await tx.select().from(schema.course);
			});
		});
		await result;
		expect(count()).toBe(4);
	});

	it('keeps concurrent units of work apart', async () => {
		const a = withQueryCount(async () => {
			for (let i = 0; i < 3; i++) await rows(db, sql`select ${i}::int as i`);
		});
		const b = withQueryCount(async () => {
			await rows(db, sql`select 1`);
		});
		await Promise.all([a.result, b.result]);
		expect([a.count(), b.count()]).toEqual([3, 1]);
	});

	it('does not charge statements issued after a unit of work to it', async () => {
		const unit = withQueryCount(() => rows(db, sql`select 1 as one`));
		await expect(unit.result).resolves.toEqual([{ one: 1 }]);
		await rows(db, sql`select 2 as two`);
		expect(unit.count()).toBe(1);
	});
});
