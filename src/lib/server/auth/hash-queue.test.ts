import { describe, expect, it } from 'vitest';
import { hashBacklog, hashSlot } from './hash-queue';

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
});
