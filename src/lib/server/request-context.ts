// Services run both inside requests and in commands (tsx), where `$app/server` does not exist.
// The server hooks register SvelteKit's getRequestEvent here; commands leave it unset.
export interface RequestInfo {
	locals: App.Locals;
	getClientAddress(): string;
}

let source: (() => RequestInfo) | undefined;

export function setRequestSource(fn: () => RequestInfo): void {
	source = fn;
}

/** The current request, or undefined outside one (commands, seeds, tests). */
export function currentRequest(): RequestInfo | undefined {
	try {
		return source?.();
	} catch {
		return undefined;
	}
}
