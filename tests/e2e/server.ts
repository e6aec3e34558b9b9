// Builds the app (into BUILD_DIR, default build-e2e) and serves it on E2E_PORT with a fresh embedded
// database and the demo organisation, the way `npm start` does on a new machine.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const buildDir = path.resolve(process.env.BUILD_DIR ?? 'build-e2e');
if (process.env.E2E_SKIP_BUILD !== '1') {
	const result = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build'], {
		stdio: 'inherit',
		env: { ...process.env, BUILD_DIR: buildDir, SVELTEKIT_OUT_DIR: process.env.SVELTEKIT_OUT_DIR ?? '.svelte-kit-e2e' }
	});
	if (result.status !== 0) process.exit(result.status ?? 1);
}
const port = process.env.E2E_PORT ?? String(4173 + Number(process.env.TEST_PORT_OFFSET ?? 0));
process.env.PORT = port;
process.env.ORIGIN = `http://localhost:${port}`;
process.env.DATA_DIR = mkdtempSync(path.join(os.tmpdir(), 'govlearn-e2e-'));
process.env.BODY_SIZE_LIMIT ??= '60M';
delete process.env.DATABASE_URL;
await import(path.join(buildDir, 'index.js'));
