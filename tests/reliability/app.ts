// App servers as separate processes from a built app (`node <build>/index.js`), as production runs
// them: start, wait for /healthz, SIGKILL, restart; their JSON log lines are kept for assertions.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

export interface LogEvent {
	at?: string;
	event?: string;
	[key: string]: unknown;
}

export interface AppServer {
	port: number;
	url: string;
	/** Starts the process (again); resolves once it listens and /healthz answers 200. */
	start(): Promise<void>;
	/** Starts without waiting (several servers started at the same moment). */
	spawn(): void;
	waitHealthy(timeoutMs?: number): Promise<void>;
	/** SIGKILL: no shutdown hooks, connections cut mid-request. */
	kill(): Promise<void>;
	/** SIGTERM and wait for the exit. */
	stop(): Promise<void>;
	events(): LogEvent[];
	output(): string;
	running(): boolean;
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
	for (const child of live) child.kill('SIGKILL');
});

const root = path.resolve(import.meta.dirname, '../..');

/** A server on `port` from `buildDir`, with `env` on top of a clean production-like environment. */
export function appServer(options: { buildDir: string; port: number; env: Record<string, string> }): AppServer {
	const url = `http://127.0.0.1:${options.port}`;
	let child: ChildProcess | undefined;
	let exited: Promise<void> = Promise.resolve();
	let out = '';
	const events: LogEvent[] = [];
	let partial = '';

	const onData = (chunk: Buffer) => {
		const text = chunk.toString('utf8');
		out += text;
		partial += text;
		const lines = partial.split('\n');
		partial = lines.pop() ?? '';
		for (const line of lines) {
			if (!line.startsWith('{')) continue;
			try {
				events.push(JSON.parse(line));
			} catch {
				// not a log line
			}
		}
	};

	const server: AppServer = {
		port: options.port,
		url,
		spawn() {
			if (child) throw new Error(`server on ${options.port} is already running`);
			const env: NodeJS.ProcessEnv = {
				PATH: process.env.PATH,
				HOME: process.env.HOME,
				NODE_ENV: 'production',
				PORT: String(options.port),
				HOST: '127.0.0.1',
				ORIGIN: `http://127.0.0.1:${options.port}`,
				BODY_SIZE_LIMIT: '60M',
				...options.env
			};
			const proc = spawn(process.execPath, [path.join(path.resolve(root, options.buildDir), 'index.js')], {
				cwd: root,
				env,
				stdio: ['ignore', 'pipe', 'pipe']
			});
			child = proc;
			live.add(proc);
			proc.stdout!.on('data', onData);
			proc.stderr!.on('data', onData);
			exited = new Promise((resolve) =>
				proc.once('exit', () => {
					live.delete(proc);
					if (child === proc) child = undefined;
					resolve();
				})
			);
		},
		async start() {
			server.spawn();
			await server.waitHealthy();
		},
		async waitHealthy(timeoutMs = 120_000) {
			const end = Date.now() + timeoutMs;
			while (Date.now() < end) {
				if (!child) throw new Error(`server on ${options.port} exited:\n${out.slice(-3000)}`);
				try {
					const response = await fetch(`${url}/healthz`, { headers: { connection: 'close' }, signal: AbortSignal.timeout(2000) });
					if (response.status === 200) return;
				} catch {
					// not listening yet
				}
				await new Promise((r) => setTimeout(r, 100));
			}
			throw new Error(`server on ${options.port} not healthy after ${timeoutMs} ms:\n${out.slice(-3000)}`);
		},
		async kill() {
			child?.kill('SIGKILL');
			await exited;
		},
		async stop() {
			child?.kill('SIGTERM');
			const timer = setTimeout(() => child?.kill('SIGKILL'), 10_000);
			await exited;
			clearTimeout(timer);
		},
		events: () => [...events],
		output: () => out,
		running: () => Boolean(child)
	};
	return server;
}

function newest(dir: string): number {
	let latest = 0;
	for (const name of readdirSync(dir)) {
		const full = path.join(dir, name);
		const stat = statSync(full);
		latest = Math.max(latest, stat.isDirectory() ? newest(full) : stat.mtimeMs);
	}
	return latest;
}

/** Builds the app into `buildDir` unless a build newer than src/, content/ and drizzle/ is there. */
export function ensureBuild(buildDir: string, outDir = `.svelte-kit-${path.basename(buildDir)}`): void {
	const index = path.resolve(root, buildDir, 'index.js');
	const sources = Math.max(...['src', 'content', 'drizzle', 'seeds', 'messages'].map((d) => newest(path.join(root, d))));
	if (existsSync(index) && statSync(index).mtimeMs > sources) return;
	console.log(`building the app into ${buildDir} …`);
	const result = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build'], {
		cwd: root,
		stdio: ['ignore', 'ignore', 'inherit'],
		env: { ...process.env, BUILD_DIR: buildDir, SVELTEKIT_OUT_DIR: outDir }
	});
	if (result.status !== 0) throw new Error('build failed');
}

/** The build the Playwright web server made (tests/e2e/server.ts), for e2e files that start their own servers. */
export function e2eBuildDir(): string {
	return process.env.BUILD_DIR ?? 'build-e2e';
}
