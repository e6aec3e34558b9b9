// Runs once per vitest project: migrate one database, then every test file starts from a copy.
// PGlite: a migrated data dir dumped to a file (cold PGlite + migrations take seconds; a load is fast).
// Postgres: a migrated template database; each file gets CREATE DATABASE … TEMPLATE.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { connect, migrate } from '../../src/lib/server/db';

declare module 'vitest' {
	export interface ProvidedContext {
		pgliteImage: string;
		postgresTemplate: string;
	}
}

export default async function setup(project: TestProject) {
	const kind = project.config.env?.TEST_DB ?? 'pglite';
	if (kind === 'postgres') {
		const url = process.env.TEST_DATABASE_URL;
		if (!url) throw new Error('TEST_DATABASE_URL is not set');
		const template = `govlearn_tpl_${process.pid}_${Date.now()}`;
		const admin = postgres(url, { max: 1, onnotice: () => {} });
		await admin.unsafe(`CREATE DATABASE ${template}`);
		const conn = await connect({ url: withDatabase(url, template), poolSize: 2 });
		await migrate(conn);
		await conn.close();
		project.provide('postgresTemplate', template);
		project.provide('pgliteImage', '');
		return async () => {
			const leftovers = await admin<{ datname: string }[]>`select datname from pg_database where datname like ${template + '%'}`;
			for (const { datname } of leftovers) await admin.unsafe(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
			await admin.end();
		};
	}
	const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'govlearn-pglite-')), 'image.tar');
	const made = spawnSync(process.execPath, ['--import', 'tsx', 'tests/helpers/pglite-image.ts', file], { stdio: 'inherit' });
	if (made.status !== 0) throw new Error('could not build the migrated PGlite image');
	project.provide('pgliteImage', file);
	project.provide('postgresTemplate', '');
}

export function withDatabase(url: string, database: string): string {
	const u = new URL(url);
	u.pathname = `/${database}`;
	return u.toString();
}
