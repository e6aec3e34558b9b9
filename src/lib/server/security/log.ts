/**
 * Security and operations events as JSON lines on stdout (UTC timestamps), for the operator's log
 * collector; see README "Security log" for the retention to keep.
 */
export function securityLog(event: string, fields: Record<string, unknown> = {}): void {
	if (process.env.GOVLEARN_QUIET_LOG === '1') return;
	process.stdout.write(JSON.stringify({ at: new Date().toISOString(), event, ...fields }) + '\n');
}
