// `npm start`: build when the build is missing or older than the sources, then serve it.
// Migrations, the content sync and the demo seed run inside the server at start (hooks `init`).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sourceStamp } from './source-stamp';

const root = process.cwd();
const buildDir = path.resolve(process.env.BUILD_DIR ?? 'build');

const stampFile = path.join(buildDir, '.source-stamp');
const stamp = sourceStamp();
const current = existsSync(stampFile) ? readFileSync(stampFile, 'utf8') : '';
if (!existsSync(path.join(buildDir, 'index.js')) || current !== stamp) {
	console.log(
		existsSync(path.join(buildDir, 'index.js')) ? 'Sources changed since the last build: rebuilding…' : 'No build yet: building…'
	);
	const result = spawnSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build'], { stdio: 'inherit' });
	if (result.status !== 0) {
		console.error('Build failed; see the messages above.');
		process.exit(result.status ?? 1);
	}
	writeFileSync(stampFile, stamp);
}

process.env.PORT ??= '3000';
process.env.ORIGIN ??= `http://localhost:${process.env.PORT}`;
process.env.BODY_SIZE_LIMIT ??= '60M';
await import(path.join(buildDir, 'index.js'));
