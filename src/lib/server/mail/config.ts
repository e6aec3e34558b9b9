// Mail settings from the environment (PRODUCT.md §6.3). Without SMTP_URL nothing is sent: every message
// is kept in the outbox the admin reads at /admin/outbox.

export interface MailSettings {
	/** smtp://user:pass@host:port or smtps://…; null: outbox only. */
	smtpUrl: string | null;
	from: string;
	/** The public address links in messages point to (ORIGIN). */
	origin: string;
	/** Messages sent at the same time by one app server. */
	concurrency: number;
	/** SMTP connections kept open by one app server. */
	connections: number;
	/** First retry after this many seconds, doubling each time, at most `retryMaxSeconds` apart. */
	retryBaseSeconds: number;
	retryMaxSeconds: number;
	/** Tries before a message is given up (failed, listed for the admin). */
	maxAttempts: number;
	/** Idle workers look for new mail this often (ms). */
	pollMs: number;
}

function num(value: string | undefined, fallback: number, min = 0): number {
	const n = Number(value);
	return value !== undefined && value !== '' && Number.isFinite(n) && n >= min ? n : fallback;
}

export function mailSettings(env: Record<string, string | undefined> = process.env): MailSettings {
	const port = env.PORT ?? '3000';
	return {
		smtpUrl: env.SMTP_URL?.trim() || null,
		from: env.MAIL_FROM?.trim() || 'GovLearn <noreply@localhost>',
		origin: (env.ORIGIN?.trim() || `http://localhost:${port}`).replace(/\/+$/, ''),
		concurrency: num(env.MAIL_CONCURRENCY, 16, 1),
		connections: num(env.MAIL_CONNECTIONS, 8, 1),
		retryBaseSeconds: num(env.MAIL_RETRY_SECONDS, 30, 0),
		retryMaxSeconds: num(env.MAIL_RETRY_MAX_SECONDS, 1800, 0),
		maxAttempts: num(env.MAIL_MAX_ATTEMPTS, 12, 1),
		pollMs: num(env.MAIL_POLL_MS, 1000, 10)
	};
}

/** Seconds before try number `attempts + 1`: base, 2 × base, 4 × base … capped (30 s … 30 min: 12 tries span about 3 hours). */
export function retryDelaySeconds(attempts: number, s: Pick<MailSettings, 'retryBaseSeconds' | 'retryMaxSeconds'>): number {
	return Math.min(s.retryMaxSeconds, s.retryBaseSeconds * 2 ** Math.max(0, Math.min(attempts - 1, 20)));
}

const ADDRESS = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;
/** A plain address a mail server can take (no display name, no spaces, a dot in the domain). */
export function plausibleAddress(address: string | null | undefined): boolean {
	return typeof address === 'string' && address.length <= 254 && ADDRESS.test(address);
}
