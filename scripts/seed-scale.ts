// `npm run seed:scale -- --learners N [--force] [--now YYYY-MM-DD] [--seed S]`: a generated province of
// N learners (default 100,000) with a year of learning, into the Postgres that DATABASE_URL names.
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { connect, LOCKS, migrate } from '../src/lib/server/db';
import { readContentFiles } from '../src/lib/server/content/files';
import { loadLibrary } from '../src/lib/server/content/library';
import { assertPublishable, syncContent } from '../src/lib/server/content/sync';
import { postgresJsDb } from '../seeds/copy';
import { ScaleRefused, seedScale } from '../seeds/scale';

const { values } = parseArgs({
	options: {
		learners: { type: 'string', default: '100000' },
		force: { type: 'boolean', default: false },
		now: { type: 'string' },
		seed: { type: 'string' }
	}
});
const url = process.env.DATABASE_URL;
if (!url) {
	console.error(
		'seed:scale needs DATABASE_URL (a Postgres database you can fill, e.g. postgres://postgres@127.0.0.1:5432/govlearn_scale).'
	);
	process.exit(2);
}
const learners = Number(values.learners!.replace(/[_,]/g, ''));
const now = values.now ? new Date(`${values.now}T00:00:00Z`) : undefined;
if (!Number.isInteger(learners) || learners < 10 || (now && Number.isNaN(now.getTime()))) {
	console.error('Usage: npm run seed:scale -- --learners N [--force] [--now YYYY-MM-DD] [--seed S]   (N ≥ 10)');
	process.exit(2);
}

const library = loadLibrary(readContentFiles());
assertPublishable(library);
const conn = await connect({ url });
const sql = postgres(url, { max: 2, onnotice: () => {} });
const started = Date.now();
try {
	await migrate(conn);
	await conn.exclusive(LOCKS.content, (db) => syncContent(db, library));
	const summary = await seedScale(postgresJsDb(sql), library, {
		learners,
		force: values.force,
		now,
		seed: values.seed ? Number(values.seed) : undefined,
		log: (line) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)}s] ${line}`)
	});
	console.log(
		`\nGenerated ${summary.learners.toLocaleString('en')} learners in ${summary.departments} departments in ${summary.seconds.toFixed(1)} s.`
	);
	for (const [table, n] of Object.entries(summary.rows)) console.log(`  ${table.padEnd(16)} ${n.toLocaleString('en').padStart(12)}`);
	console.log(
		`Accounts (password "${summary.accounts.password}"): ${summary.accounts.admin}, trainer, ${summary.accounts.hr[0]}…${summary.accounts.hr.at(-1)} (whole province), ${summary.accounts.hrDistrict[0]}…${summary.accounts.hrDistrict.at(-1)} (city ${summary.accounts.district}), learners S0000001…`
	);
} catch (error) {
	if (error instanceof ScaleRefused) {
		console.error(error.message);
		process.exitCode = 1;
	} else throw error;
} finally {
	await sql.end({ timeout: 5 });
	await conn.close();
}
