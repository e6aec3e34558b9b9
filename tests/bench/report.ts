// The benchmark's one table (stdout) and the rows behind it (also written as JSON).
export interface Row {
	name: string;
	connections?: number;
	requests?: number;
	seconds?: number;
	p50?: number;
	p95?: number;
	p99?: number;
	rps?: number;
	errors?: number;
	timeouts?: number;
	successRps?: number;
	successP95?: number;
	statuses?: Record<string, number>;
	/** Largest server RSS sampled while the case ran. */
	peakRssMb?: number;
	ttfbMs?: number;
	totalMs?: number;
	rssGrowthMb?: number;
	/** "at 1,000 / at N" statements per request. */
	queries?: string;
	target?: string;
	met?: boolean;
	note?: string;
}

const ms = (v?: number) => (v === undefined || Number.isNaN(v) ? '' : v >= 100 ? v.toFixed(0) : v.toFixed(1));
const num = (v?: number, digits = 0) => (v === undefined || Number.isNaN(v) ? '' : v.toFixed(digits));

export function printTable(rows: Row[], meta: Record<string, unknown>): void {
	const header = ['case', 'conn', 'requests', 'p50 ms', 'p95 ms', 'p99 ms', 'req/s', 'errors', 'peak RSS MB', 'target', 'met', 'notes'];
	const body = rows.map((r) => {
		const extra = [
			r.ttfbMs !== undefined ? `TTFB ${ms(r.ttfbMs)} ms, total ${ms(r.totalMs)} ms, RSS +${num(r.rssGrowthMb)} MB` : '',
			r.queries ? `queries 1k / N: ${r.queries}` : '',
			r.timeouts ? `${r.timeouts} timeouts` : '',
			r.note ?? ''
		].filter(Boolean);
		return [
			r.name,
			num(r.connections),
			num(r.requests),
			ms(r.p50),
			ms(r.p95),
			ms(r.p99),
			num(r.rps),
			num(r.errors),
			num(r.peakRssMb),
			r.target ?? '',
			r.met === undefined ? '' : r.met ? 'yes' : 'NO',
			extra.join('; ')
		];
	});
	const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
	const line = (cells: string[]) =>
		'| ' + cells.map((c, i) => (i >= 1 && i <= 8 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(' | ') + ' |';
	const m = meta.machine as Record<string, unknown>;
	console.log(
		`\nGovLearn benchmark · ${meta.mode}${meta.learners ? ` · ${Number(meta.learners).toLocaleString('en')} learners` : ''} · ${m.cpus}× ${m.cpu} · ${m.memoryGb} GB · Node ${m.node}`
	);
	if (meta.database) console.log(String((meta.database as { version: string }).version).split(',')[0]);
	console.log(
		`load average at the end ${(m.loadAverage as number[]).join(' / ')}${(meta.nodeArgs as string[] | undefined)?.length ? ` · app server: node ${(meta.nodeArgs as string[]).join(' ')}` : ''}`
	);
	console.log(line(header));
	console.log('|' + widths.map((w, i) => (i >= 1 && i <= 8 ? '-'.repeat(w + 1) + ':' : '-'.repeat(w + 2))).join('|') + '|');
	for (const b of body) console.log(line(b));
	const judged = rows.filter((r) => r.met !== undefined);
	console.log(`\n${judged.filter((r) => r.met).length} of ${judged.length} targets met.`);
}
