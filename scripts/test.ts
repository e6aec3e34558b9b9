// `npm test`: the whole suite in one command, the same here and in CI.
//   1. the content check on content/
//   2. vitest: unit tests, integration tests on PGlite, and on Postgres when TEST_DATABASE_URL is set
//   3. lint: ESLint, Prettier and svelte-check (a finding fails the run)
//   4. Playwright end-to-end tests in Debian's Chromium against the built app (SKIP_E2E=1 skips them)
// It ends with one line "N passed, N failed" over every layer.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'govlearn-test-'));
const totals = { passed: 0, failed: 0 };
const layers: string[] = [];
let failed = false;

function run(label: string, command: string, args: string[], env: NodeJS.ProcessEnv = {}): number {
	console.log(`\n=== ${label} ===`);
	const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
	if (result.status !== 0) failed = true;
	return result.status ?? 1;
}

const contentStatus = run('content check', 'npx', ['tsx', 'scripts/content-check.ts']);
totals[contentStatus === 0 ? 'passed' : 'failed'] += 1;
layers.push(`content check: ${contentStatus === 0 ? 'passed' : 'FAILED'}`);

const vitestJson = path.join(tmp, 'vitest.json');
run('unit and integration (vitest)', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]);
if (existsSync(vitestJson)) {
	const report = JSON.parse(readFileSync(vitestJson, 'utf8'));
	const byProject = new Map<string, { passed: number; failed: number }>();
	for (const file of report.testResults ?? []) {
		for (const t of file.assertionResults ?? []) {
			const project = /tests\/integration\//.test(file.name) ? 'integration' : 'unit';
			const entry = byProject.get(project) ?? { passed: 0, failed: 0 };
			if (t.status === 'passed') entry.passed++;
			else if (t.status === 'failed') entry.failed++;
			byProject.set(project, entry);
		}
	}
	for (const [project, counts] of byProject) {
		layers.push(
			`${project} (${process.env.TEST_DATABASE_URL && project === 'integration' ? 'PGlite + Postgres' : project === 'integration' ? 'PGlite' : 'node'}): ${counts.passed} passed, ${counts.failed} failed`
		);
		totals.passed += counts.passed;
		totals.failed += counts.failed;
	}
} else {
	totals.failed += 1;
	layers.push('vitest: no report (crashed?)');
}

// After vitest: its run compiles the Paraglide messages that svelte-check reads.
const eslintStatus = run('lint (ESLint)', 'npx', ['eslint', '.']);
const prettierStatus = run('format (Prettier)', 'npx', ['prettier', '--check', '.', '--log-level', 'warn']);
run('types (generated SvelteKit types)', 'npx', ['svelte-kit', 'sync']);
const typesStatus = run('types (svelte-check)', 'npx', [
	'svelte-check',
	'--tsconfig',
	'./tsconfig.json',
	'--threshold',
	'error',
	'--output',
	'human'
]);
const lintOk = eslintStatus === 0 && prettierStatus === 0 && typesStatus === 0;
totals[lintOk ? 'passed' : 'failed'] += 1;
layers.push(
	`lint: ${lintOk ? 'passed' : `FAILED (${[eslintStatus && 'ESLint', prettierStatus && 'Prettier', typesStatus && 'svelte-check'].filter(Boolean).join(', ')})`}`
);

if (process.env.SKIP_E2E === '1') {
	layers.push('end-to-end: skipped (SKIP_E2E=1)');
} else {
	const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
	if (!existsSync(chromium)) {
		console.error(
			`\nEnd-to-end tests need Chromium at ${chromium}. Install it with:\n  apt-get update && apt-get install -y chromium\nor set SKIP_E2E=1 to skip them.`
		);
		failed = true;
		totals.failed += 1;
		layers.push('end-to-end: Chromium missing');
	} else {
		const pwJson = path.join(tmp, 'playwright.json');
		run('end-to-end (Playwright + Chromium)', 'npx', ['playwright', 'test', '--reporter=list,json'], {
			PLAYWRIGHT_JSON_OUTPUT_NAME: pwJson
		});
		if (existsSync(pwJson)) {
			const stats = JSON.parse(readFileSync(pwJson, 'utf8')).stats ?? {};
			const passed = (stats.expected ?? 0) + (stats.flaky ?? 0);
			const bad = stats.unexpected ?? 0;
			layers.push(`end-to-end: ${passed} passed, ${bad} failed`);
			totals.passed += passed;
			totals.failed += bad;
		} else {
			totals.failed += 1;
			layers.push('end-to-end: no report');
		}
	}
}

console.log('\n=== summary ===');
for (const line of layers) console.log(`  ${line}`);
if (failed && totals.failed === 0) totals.failed = 1;
console.log(`${totals.passed} passed, ${totals.failed} failed`);
process.exit(failed ? 1 : 0);
