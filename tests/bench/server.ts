// Builds the production app into its own folder and runs it as a child process, so the benchmark can
// read the server's memory from /proc and stop it cleanly.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sourceStamp } from '../../scripts/source-stamp';

const root = process.cwd();
export const BUILD_DIR = path.resolve(process.env.BUILD_DIR ?? 'build-performance');
const OUT_DIR = process.env.SVELTEKIT_OUT_DIR ?? '.svelte-kit-performance';

/** Builds unless the build is newer than every source (or `reuse` says to take whatever is there). */
export function ensureBuild(options: { reuse?: boolean; log: (s: string) => void }): void {
	const stampFile = path.join(BUILD_DIR, '.source-stamp');
	const exists = existsSync(path.join(BUILD_DIR, 'index.js'));
	if (exists && options.reuse) return;
	const stamp = sourceStamp();
	if (exists && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) return;
	options.log(`building the app into ${path.relative(root, BUILD_DIR)}…`);
	const result = spawnSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
		stdio: ['ignore', 'pipe', 'pipe'],
		env: { ...process.env, BUILD_DIR, SVELTEKIT_OUT_DIR: OUT_DIR },
		maxBuffer: 64 * 1024 * 1024
	});
	if (result.status !== 0) throw new Error(`build failed:\n${result.stdout}\n${result.stderr}`);
	writeFileSync(stampFile, stamp);
}

export interface Memory {
	rssMb: number;
	hwmMb: number;
}

/** VmRSS and VmHWM (peak resident set) of a process, in MB. */
export function memoryOf(pid: number): Memory {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
	return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
}

export class AppServer {
	private log: string[] = [];
	private constructor(
		readonly proc: ChildProcess,
		readonly url: string
	) {
		const keep = (chunk: Buffer) => {
			this.log.push(chunk.toString());
			if (this.log.length > 200) this.log.splice(0, 100);
		};
		proc.stdout?.on('data', keep);
		proc.stderr?.on('data', keep);
	}

	get pid(): number {
		return this.proc.pid!;
	}

	/** Starts `node <build>/index.js` on `port` and waits for /healthz. */
	static async start(options: { port: number; env: Record<string, string | undefined>; nodeArgs?: string[] }): Promise<AppServer> {
		const url = `http://127.0.0.1:${options.port}`;
		const proc = spawn(process.execPath, [...(options.nodeArgs ?? []), path.join(BUILD_DIR, 'index.js')], {
			env: { ...process.env, PORT: String(options.port), HOST: '127.0.0.1', ORIGIN: url, BODY_SIZE_LIMIT: '60M', ...options.env },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		const server = new AppServer(proc, url);
		const deadline = Date.now() + 120_000;
		while (Date.now() < deadline) {
			if (proc.exitCode !== null) throw new Error(`server exited (${proc.exitCode}):\n${server.output()}`);
			try {
				const res = await fetch(`${url}/healthz`);
				if (res.ok) return server;
			} catch {
				// not listening yet
			}
			await new Promise((r) => setTimeout(r, 200));
		}
		await server.stop();
		throw new Error(`server did not become healthy:\n${server.output()}`);
	}

	memory(): Memory {
		return memoryOf(this.pid);
	}

	output(): string {
		return this.log.join('').slice(-4000);
	}

	async stop(): Promise<void> {
		if (this.proc.exitCode !== null) return;
		const exited = new Promise((r) => this.proc.once('exit', r));
		this.proc.kill('SIGTERM');
		const timer = setTimeout(() => this.proc.kill('SIGKILL'), 10_000);
		await exited;
		clearTimeout(timer);
	}
}

/** Samples a process's RSS every 50 ms while fn runs; returns fn's result and the largest RSS seen. */
export async function sampled<T>(pid: number, fn: () => Promise<T>): Promise<{ result: T; before: Memory; peakRssMb: number }> {
	const before = memoryOf(pid);
	let peak = before.rssMb;
	const timer = setInterval(() => {
		try {
			peak = Math.max(peak, memoryOf(pid).rssMb);
		} catch {
			// process gone
		}
	}, 50);
	try {
		const result = await fn();
		peak = Math.max(peak, memoryOf(pid).rssMb);
		return { result, before, peakRssMb: peak };
	} finally {
		clearInterval(timer);
	}
}
