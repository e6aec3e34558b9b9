import { describe, expect, it } from 'vitest';
import { admitSignIn, hashBacklog, hashSlot } from './hash-queue';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('hash queue', () => {
	it('runs at most four hashes at once and finishes them all', async () => {
		let running = 0;
		let most = 0;
		const results = await Promise.all(
			Array.from({ length: 12 }, (_, i) =>
				hashSlot(async () => {
					running++;
					most = Math.max(most, running);
					await sleep(10);
					running--;
					return i;
				})
			)
		);
		expect(most).toBe(4);
		expect(results).toEqual(Array.from({ length: 12 }, (_, i) => i));
	});

	it('turns a sign-in away (with seconds to wait) only while the line is longer than the budget', async () => {
		expect(hashBacklog(1)).toBe(0);
		const jobs = Array.from({ length: 40 }, () => hashSlot(() => sleep(20)));
		await sleep(1);
		expect(hashBacklog(1)).toBeGreaterThanOrEqual(1);
		expect(hashBacklog(60_000)).toBe(0);
		await Promise.all(jobs);
		expect(hashBacklog(1)).toBe(0);
	});

	it('counts sign-ins from the moment they are let in, so a crowd arriving at once is turned away in part', () => {
		const results = Array.from({ length: 60 }, () => admitSignIn(50));
		const admitted = results.filter((r) => 'done' in r);
		const refused = results.filter((r) => 'retryAfter' in r);
		expect(admitted.length).toBeGreaterThan(4);
		expect(refused.length).toBeGreaterThan(0);
		expect(refused.every((r) => 'retryAfter' in r && r.retryAfter >= 1)).toBe(true);
		for (const a of admitted) if ('done' in a) a.done();
		expect('done' in admitSignIn(50)).toBe(true);
	});
});
