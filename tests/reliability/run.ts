// `npm run test:reliability`: the reliability scenarios at full length against a real Postgres.
//   1. two app servers started at the same moment on an empty database (content synced once, demo
//      seeded once), a session made on one used on the other, throttling shared between them;
//   2. 200 virtual learners for 60 s across both servers: no errors, every acknowledged submission stored once;
//   3. the same while one app server is SIGKILLed and restarted;
//   4. the same while Postgres is stopped and started again (503 + degraded meanwhile, recovery without restart).
// Postgres: a scratch cluster made with initdb in a temporary folder (port RELIABILITY_PG_PORT, default
// 4279), so restarting it disturbs nobody. Options: --learners N --seconds S --only load,crash,postgres,cluster
import { port } from '../helpers/ports';
import { parseArgs } from 'node:util';
import { ensureBuild } from './app';
import {
	createLearners,
	crashDuringLoad,
	environment,
	loadWithoutLoss,
	postgresRestartDuringLoad,
	severalServers,
	type Outcome
} from './scenarios';

const { values } = parseArgs({
	options: {
		learners: { type: 'string', default: process.env.RELIABILITY_LEARNERS ?? '200' },
		seconds: { type: 'string', default: process.env.RELIABILITY_SECONDS ?? '60' },
		only: { type: 'string', default: 'cluster,load,crash,postgres' }
	}
});
const learners = Number(values.learners);
const durationMs = Number(values.seconds) * 1000;
const only = new Set(values.only!.split(','));
const buildDir = process.env.RELIABILITY_BUILD_DIR ?? 'build-reliability';
const pgPort = Number(process.env.RELIABILITY_PG_PORT ?? port(4279));
const appPorts = (process.env.RELIABILITY_APP_PORTS ?? `${port(4260)},${port(4261)}`).split(',').map(Number);

process.env.GOVLEARN_QUIET_LOG = '1';
ensureBuild(buildDir);

const report: { scenario: string; outcome: Outcome<object> }[] = [];
function print(scenario: string, outcome: Outcome<object>): void {
	report.push({ scenario, outcome });
	console.log(`\n=== ${scenario}: ${outcome.problems.length ? 'FAILED' : 'passed'} ===`);
	console.log(JSON.stringify(outcome.figures, null, 2));
	for (const p of outcome.problems) console.log(`  problem: ${p}`);
}

const env = await environment({ buildDir, pgPort, appPorts });
try {
	// 1. Both servers start at once on the empty database; the demo organisation gives the accounts.
	const cluster = await severalServers(env, 'learner', 'govlearn-demo');
	if (only.has('cluster')) print(`${appPorts.length} app servers on one Postgres`, cluster);
	if (cluster.problems.some((p) => /exited|not healthy/.test(p))) throw new Error('servers did not start');

	if (only.has('load')) {
		const users = await createLearners(env.sql, learners, 'load');
		print(
			`load: ${learners} learners for ${durationMs / 1000} s on ${env.servers.length} servers`,
			await loadWithoutLoss(env, users, durationMs)
		);
	}
	if (only.has('crash')) {
		const users = await createLearners(env.sql, learners, 'crash');
		print(
			`crash: ${learners} learners for ${durationMs / 1000} s, app server ${env.servers[0].port} SIGKILLed at ${Math.round(durationMs / 3000)} s and restarted 3 s later`,
			await crashDuringLoad(env, users, durationMs, durationMs / 3, 3000)
		);
	}
	if (only.has('postgres')) {
		const users = await createLearners(env.sql, learners, 'pgrestart');
		print(
			`Postgres restart: ${learners} learners for ${durationMs / 1000} s, Postgres down for 5 s at ${Math.round(durationMs / 3000)} s`,
			await postgresRestartDuringLoad(env, users, durationMs, durationMs / 3, 5000)
		);
	}
} finally {
	await env.close();
}

const failed = report.filter((r) => r.outcome.problems.length);
console.log(`\n${report.length - failed.length} passed, ${failed.length} failed`);
process.exit(failed.length ? 1 : 0);
