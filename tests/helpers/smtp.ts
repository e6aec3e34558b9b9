// A real SMTP server for the tests (smtp-server), every message read back with mailparser.
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';

export interface Received {
	to: string;
	from: string;
	subject: string;
	text: string;
	html: string;
	messageId: string;
	kind: string;
}

export interface SmtpSink {
	url: string;
	port: number;
	received: Received[];
	/** Refuse RCPT for these addresses with 550 (a bounce at the door). */
	reject: Set<string>;
	stop(): Promise<void>;
	/** Listen again on the same port (after stop: "SMTP back up"). */
	start(): Promise<void>;
	waitFor(n: number, timeoutMs?: number): Promise<Received[]>;
}

export async function smtpSink(port = 0): Promise<SmtpSink> {
	const received: Received[] = [];
	const reject = new Set<string>();
	let server: SMTPServer;
	let actualPort = port;
	const make = () =>
		new SMTPServer({
			authOptional: true,
			disabledCommands: ['STARTTLS'],
			logger: false,
			onRcptTo(address, _session, cb) {
				if (reject.has(address.address)) return cb(Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }));
				cb();
			},
			onData(stream, _session, cb) {
				simpleParser(stream).then(
					(m) => {
						received.push({
							to: (Array.isArray(m.to) ? m.to.map((t) => t.text).join(', ') : m.to?.text) ?? '',
							from: m.from?.text ?? '',
							subject: m.subject ?? '',
							text: m.text ?? '',
							html: typeof m.html === 'string' ? m.html : '',
							messageId: m.messageId ?? '',
							kind: String(m.headers.get('x-govlearn-kind') ?? '')
						});
						cb();
					},
					(e) => cb(e)
				);
			}
		});
	const start = () =>
		new Promise<void>((resolve, reject) => {
			server = make();
			server.once('error', reject);
			server.listen(actualPort, '127.0.0.1', () => {
				actualPort = (server.server.address() as AddressInfo).port;
				resolve();
			});
		});
	await start();
	return {
		get url() {
			return `smtp://127.0.0.1:${actualPort}`;
		},
		get port() {
			return actualPort;
		},
		received,
		reject,
		stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
		start,
		async waitFor(n, timeoutMs = 20_000) {
			const until = Date.now() + timeoutMs;
			while (received.length < n && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
			return received;
		}
	};
}
