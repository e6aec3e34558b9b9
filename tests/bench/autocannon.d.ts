// The little of autocannon's API the benchmark uses (the package ships no types).
declare module 'autocannon' {
	namespace autocannon {
		interface Options {
			url: string;
			connections?: number;
			duration?: number;
			amount?: number;
			method?: string;
			headers?: Record<string, string>;
			body?: string;
			timeout?: number;
			setupClient?: (client: { setHeaders(headers: Record<string, string>): void }) => void;
			requests?: { setupRequest?: (request: Record<string, unknown>) => Record<string, unknown> }[];
		}
		interface Result {
			errors: number;
			timeouts: number;
		}
		interface Instance extends PromiseLike<Result> {
			on(event: 'response', fn: (client: unknown, status: number, bytes: number, time: number) => void): void;
		}
	}
	function autocannon(options: autocannon.Options): autocannon.Instance;
	export default autocannon;
}
