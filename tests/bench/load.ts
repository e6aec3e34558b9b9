// A thin layer over autocannon: exact percentiles from every response time, status counts, timeouts.
import autocannon from 'autocannon';

export interface LoadOptions {
	url: string;
	connections: number;
	/** Seconds; or `amount` requests in all. */
	duration?: number;
	amount?: number;
	method?: 'GET' | 'POST';
	headers?: Record<string, string>;
	body?: string;
	/** Per connection: its own headers (a different signed-in user on each). */
	clientHeaders?: (index: number) => Record<string, string>;
	/** Per request: method, path, headers, body (e.g. each quiz submission its own attempt). */
	next?: () => { method?: string; path: string; headers?: Record<string, string>; body?: string } | undefined;
	/** Statuses that are not errors (default 2xx). */
	ok?: (status: number) => boolean;
	/** Statuses that did what was asked (default: `ok`); their own p95 is reported too. */
	success?: (status: number) => boolean;
	timeoutSeconds?: number;
}

export interface LoadResult {
	requests: number;
	seconds: number;
	rps: number;
	p50: number;
	p95: number;
	p99: number;
	max: number;
	/** Responses that did what was asked, per second, and their p95. */
	successRps: number;
	successP95: number;
	/** Responses with an unexpected status, connection errors and timeouts. */
	errors: number;
	timeouts: number;
	statuses: Record<string, number>;
}

export function percentile(sorted: number[], p: number): number {
	if (sorted.length === 0) return NaN;
	const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
	return sorted[i];
}

export async function load(options: LoadOptions): Promise<LoadResult> {
	const latencies: number[] = [];
	const successLatencies: number[] = [];
	const statuses: Record<string, number> = {};
	const ok = options.ok ?? ((s: number) => s >= 200 && s < 300);
	const success = options.success ?? ok;
	let bad = 0;
	let clients = 0;
	const started = performance.now();
	const instance = autocannon({
		url: options.url,
		connections: options.connections,
		...(options.amount ? { amount: options.amount } : { duration: options.duration ?? 10 }),
		method: options.method ?? 'GET',
		// As a browser sends it: without it SvelteKit answers form actions as JSON, not with a redirect.
		headers: { accept: 'text/html,application/xhtml+xml', ...options.headers },
		body: options.body,
		timeout: options.timeoutSeconds ?? 10,
		setupClient: options.clientHeaders
			? (client) =>
					client.setHeaders({ accept: 'text/html,application/xhtml+xml', ...(options.headers ?? {}), ...options.clientHeaders!(clients++) })
			: undefined,
		requests: options.next
			? [
					{
						setupRequest: (request: Record<string, unknown>) => {
							const next = options.next!();
							if (!next) return request;
							return {
								...request,
								method: next.method ?? request.method,
								path: next.path,
								headers: { ...(request.headers as object), ...next.headers },
								body: next.body
							};
						}
					}
				]
			: undefined
	});
	instance.on('response', (_client, status, _bytes, time) => {
		latencies.push(time);
		statuses[status] = (statuses[status] ?? 0) + 1;
		if (!ok(status)) bad++;
		if (success(status)) successLatencies.push(time);
	});
	const result = await instance;
	const seconds = (performance.now() - started) / 1000;
	latencies.sort((a, b) => a - b);
	successLatencies.sort((a, b) => a - b);
	return {
		requests: latencies.length,
		seconds,
		rps: latencies.length / seconds,
		p50: percentile(latencies, 50),
		p95: percentile(latencies, 95),
		p99: percentile(latencies, 99),
		max: latencies[latencies.length - 1] ?? NaN,
		successRps: successLatencies.length / seconds,
		successP95: percentile(successLatencies, 95),
		errors: bad + result.errors,
		timeouts: result.timeouts,
		statuses
	};
}
