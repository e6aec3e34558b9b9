/** Cases per property: the default keeps `npm test` quick; FUZZ_RUNS=10000 digs deeper. */
export function fuzzRuns(defaultRuns: number): number {
	const scale = Number(process.env.FUZZ_RUNS);
	return Number.isFinite(scale) && scale > 0 ? Math.round(scale) : defaultRuns;
}
