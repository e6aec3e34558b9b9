// A throw-away Postgres cluster on 127.0.0.1 (initdb in a temporary folder), so the reliability and
// security runs can restart "the database" without disturbing anyone else's Postgres.
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';

export interface ScratchPostgres {
	/** postgres://postgres@127.0.0.1:<port>/<database> */
	url: string;
	port: number;
	/** Another database on this cluster (made if missing). */
	database(name: string): Promise<string>;
	stop(mode?: 'fast' | 'immediate'): void;
	start(): void;
	/** A clean restart, as `pg_ctlcluster … restart` does. */
	restart(): void;
	destroy(): void;
}

/** Where initdb and pg_ctl live: PG_BIN, else the newest /usr/lib/postgresql/<n>/bin, else pg_config. */
export function postgresBin(): string {
	if (process.env.PG_BIN) return process.env.PG_BIN;
	const root = '/usr/lib/postgresql';
	if (existsSync(root)) {
		const versions = readdirSync(root)
			.filter((v) => existsSync(path.join(root, v, 'bin', 'initdb')))
			.sort((a, b) => Number(b) - Number(a));
		if (versions[0]) return path.join(root, versions[0], 'bin');
	}
	try {
		return execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
	} catch {
		throw new Error('Postgres server binaries (initdb, pg_ctl) not found: install postgresql (apt-get install postgresql) or set PG_BIN');
	}
}

/** initdb refuses to run as root: run the cluster as the postgres user then. */
function asOwner(): { prefix: string[]; uid?: number; gid?: number } {
	if (process.getuid?.() !== 0) return { prefix: [] };
	const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
	const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
	return { prefix: ['runuser', '-u', 'postgres', '--'], uid, gid };
}

function run(command: string[], what: string): void {
	const [cmd, ...args] = command;
	const result = spawnSync(cmd, args, { encoding: 'utf8' });
	if (result.status !== 0) throw new Error(`${what} failed: ${result.stderr || result.stdout}`);
}

/** Creates and starts a cluster listening on 127.0.0.1:`port`. */
export async function scratchPostgres(port: number, options: { maxConnections?: number } = {}): Promise<ScratchPostgres> {
	const bin = postgresBin();
	const owner = asOwner();
	const dir = mkdtempSync(path.join(os.tmpdir(), 'govlearn-pg-'));
	if (owner.uid !== undefined) chownSync(dir, owner.uid, owner.gid!);
	const data = path.join(dir, 'data');
	run(
		[...owner.prefix, path.join(bin, 'initdb'), '-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C.UTF-8'],
		'initdb'
	);
	const serverOptions = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=${options.maxConnections ?? 200} -c log_min_messages=warning`;
	const ctl = (...args: string[]) =>
		run([...owner.prefix, path.join(bin, 'pg_ctl'), '-D', data, '-l', path.join(dir, 'log'), ...args], `pg_ctl ${args[0]}`);
	ctl('-o', serverOptions, '-w', '-t', '60', 'start');
	const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
	return {
		url,
		port,
		async database(name) {
			const admin = postgres(url, { max: 1, onnotice: () => {} });
			try {
				const [found] = await admin`select 1 from pg_database where datname = ${name}`;
				if (!found) await admin.unsafe(`create database "${name.replace(/"/g, '')}"`);
			} finally {
				await admin.end({ timeout: 2 });
			}
			return `postgres://postgres@127.0.0.1:${port}/${name}`;
		},
		stop: (mode = 'fast') => ctl('-m', mode, '-w', '-t', '60', 'stop'),
		start: () => ctl('-o', serverOptions, '-w', '-t', '60', 'start'),
		restart: () => ctl('-o', serverOptions, '-m', 'fast', '-w', '-t', '60', 'restart'),
		destroy() {
			try {
				ctl('-m', 'immediate', '-w', 'stop');
			} catch {
				// already stopped
			}
			rmSync(dir, { recursive: true, force: true });
		}
	};
}
