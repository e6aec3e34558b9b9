// Some registry mirrors lack @lix-js/sdk's optional packages for other platforms (darwin/win32/arm64),
// so `npm install` leaves them out of package-lock.json and `npm ci` then refuses the lock.
// This puts their (never installed here) entries back. Run after `npm install` changes the lock.
import { readFileSync, writeFileSync } from 'node:fs';

const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
const base = lock.packages['node_modules/@lix-js/sdk'];
const platforms = { darwin: ['arm64'], linux: ['arm64', 'x64'], win32: ['x64'] };
const out = {};
for (const [key, value] of Object.entries(lock.packages)) {
	out[key] = value;
	if (key !== 'node_modules/@lix-js/sdk' || !base) continue;
	for (const [os, cpus] of Object.entries(platforms))
		for (const cpu of cpus) {
			const name = `node_modules/@lix-js/sdk-${os}-${cpu}`;
			if (!lock.packages[name]) out[name] = { version: base.version, cpu: [cpu], dev: true, license: 'MIT', optional: true, os: [os] };
		}
}
lock.packages = out;
writeFileSync('package-lock.json', JSON.stringify(lock, null, 2) + '\n');
console.log('package-lock.json: optional platform entries of @lix-js/sdk present');
