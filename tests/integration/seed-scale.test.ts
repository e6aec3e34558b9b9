// The scale generator (npm run seed:scale): a consistent organisation and learning history, the same
// every time, and never beside real accounts unless asked.
import { sql } from 'drizzle-orm';
import type { PGlite } from '@electric-sql/pglite';
import type { Sql } from 'postgres';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { connection, db, rows } from '../../src/lib/server/db';
import type { Library } from '../../src/lib/server/content/library';
import { verifyPassword } from '../../src/lib/server/auth/password';
import { normalizeAnswer } from '../../src/lib/server/quiz/grade';
import { pgliteDb, postgresJsDb, type ScaleDb } from '../../seeds/copy';
import { ScaleRefused, SCALE_PASSWORD, seedScale } from '../../seeds/scale';
import { resetDatabase, testDatabase } from '../helpers/db';
import { createDepartment, createUser, syncLibrary } from '../helpers/factories';

let library: Library;
let scaleDb: ScaleDb;
const NOW = new Date('2026-11-25T00:00:00Z');

beforeAll(async () => {
	await testDatabase();
	const client = (db as unknown as { $client: unknown }).$client;
	scaleDb = connection().kind === 'postgres' ? postgresJsDb(client as Sql) : pgliteDb(client as PGlite);
});
beforeEach(async () => {
	await resetDatabase();
	library = await syncLibrary('content');
});

const count = async (query: ReturnType<typeof sql>) => Number((await rows<{ n: number }>(db, query))[0].n);

/** A digest of everything generated, to compare two runs. */
async function fingerprint(): Promise<string> {
	const [r] = await rows<{ f: string }>(
		db,
		sql`select md5(concat(
			(select string_agg(concat_ws('|', code, path, name_zh), ',' order by id) from department),
			(select string_agg(concat_ws('|', username, display_name, department_id, status, roles::text), ',' order by id) from "user"),
			(select string_agg(concat_ws('|', user_id, course_id, attempt_no, score, passed, started_at, submitted_at, slots::text), ',' order by id) from quiz_attempt),
			(select string_agg(concat_ws('|', attempt_id, question_id, correct, response::text), ',' order by attempt_id, question_id) from attempt_answer),
			(select string_agg(concat_ws('|', user_id, course_id, completed_at, department_id, certificate_code), ',' order by id) from completion)
		)) as f`
	);
	return r.f;
}

describe('npm run seed:scale', () => {
	it('builds four department levels, generated accounts and a year of learning that is consistent with the courses', async () => {
		const summary = await seedScale(scaleDb, library, { learners: 400, now: NOW });
		expect(summary.learners).toBe(400);
		expect(await count(sql`select count(*) as n from "user" where not generated`)).toBe(0);
		expect(await count(sql`select count(*) as n from "user" where username like 'S%'`)).toBe(400);
		const depths = await rows<{ depth: number; n: number }>(
			db,
			sql`select depth, count(*)::int as n from department group by depth order by depth`
		);
		expect(depths.map((d) => Number(d.depth))).toEqual([0, 1, 2, 3]);
		expect(
			await count(sql`select count(*) as n from department d join department p on p.id = d.parent_id where d.path <> p.path || d.id || '/'`)
		).toBe(0);

		// The known password signs in every generated account.
		const [someone] = await rows<{ password_hash: string }>(db, sql`select password_hash from "user" where username = 'S0000001'`);
		expect(await verifyPassword(someone.password_hash, SCALE_PASSWORD)).toBe(true);

		// About 60% of the staff did something.
		const active = await count(sql`select count(distinct user_id) as n from enrollment`);
		expect(active / 400).toBeGreaterThan(0.45);
		expect(active / 400).toBeLessThan(0.75);

		// Every answer agrees with the answer key of its question, in the language the attempt was in.
		const answers = await rows<{
			course_id: string;
			question_id: string;
			competency_id: string;
			correct: boolean;
			points_earned: number;
			response: unknown;
			locale: 'zh-CN' | 'en';
		}>(db, sql`select course_id, question_id, competency_id, correct, points_earned, response, locale from attempt_answer`);
		expect(answers.length).toBeGreaterThan(1000);
		for (const a of answers) {
			const course = library.courses.find((c) => c.id === a.course_id)!;
			const key = course.quiz['zh-CN']!.find((q) => q.id === a.question_id)!;
			const shown = course.quiz[a.locale]!.find((q) => q.id === a.question_id)!;
			const response = typeof a.response === 'string' && a.response.startsWith('[') ? JSON.parse(a.response) : a.response;
			const accepted = [...key.accepted, ...shown.accepted].map(normalizeAnswer);
			const right =
				key.type === 'short'
					? accepted.includes(normalizeAnswer(response as string))
					: JSON.stringify(response) === JSON.stringify(key.options.flatMap((o, i) => (o.correct ? [i] : [])));
			expect({ q: a.question_id, correct: a.correct, points: a.points_earned, competency: a.competency_id }).toEqual({
				q: a.question_id,
				correct: right,
				points: right ? 1 : 0,
				competency: key.competency
			});
		}

		// Scores add up; a completion has every lesson done and a passing attempt of the same person.
		expect(
			await count(
				sql`select count(*) as n from quiz_attempt a where a.submitted_at is not null and a.score <> (select floor(100.0 * sum(points_earned) / sum(points_possible)) from attempt_answer x where x.attempt_id = a.id)`
			)
		).toBe(0);
		expect(
			await count(
				sql`select count(*) as n from quiz_attempt a join course c on c.id = a.course_id where a.submitted_at is not null and a.passed <> (a.score >= c.pass_score)`
			)
		).toBe(0);
		expect(
			await count(
				sql`select count(*) as n from (select 1 from quiz_attempt where submitted_at is null group by user_id, course_id having count(*) > 1) x`
			)
		).toBe(0);
		const completions = await count(sql`select count(*) as n from completion`);
		expect(completions).toBeGreaterThan(50);
		expect(
			await count(sql`select count(*) as n from completion c left join quiz_attempt a on a.id = c.attempt_id
				where a.id is null or not a.passed or a.user_id <> c.user_id or a.course_id <> c.course_id or a.score <> c.score
					or (select count(*) from lesson_progress l where l.user_id = c.user_id and l.course_id = c.course_id) < (select count(*) from lesson l where l.course_id = c.course_id and not l.draft)`)
		).toBe(0);
		expect(await count(sql`select count(distinct certificate_code) as n from completion`)).toBe(completions);
		expect(await count(sql`select count(*) as n from completion where completed_at > ${NOW.toISOString()}::timestamptz`)).toBe(0);
		// Assignments at several levels, one of them yearly; the department rollups agree with the accounts.
		expect(
			await count(sql`select count(distinct d.depth) as n from assignment a join department d on d.id = a.department_id`)
		).toBeGreaterThanOrEqual(3);
		expect(await count(sql`select count(*) as n from assignment where recurrence = 'yearly'`)).toBeGreaterThan(0);
		expect(await count(sql`select coalesce(sum(staff), 0) as n from insight_dept_staff`)).toBe(
			await count(sql`select count(*) as n from "user" where status <> 'inactive'`)
		);
	});

	it('gives the same data every time for the same size and date', async () => {
		await seedScale(scaleDb, library, { learners: 150, now: NOW });
		const first = await fingerprint();
		await seedScale(scaleDb, library, { learners: 150, now: NOW });
		expect(await fingerprint()).toBe(first);
		await seedScale(scaleDb, library, { learners: 150, now: new Date('2026-06-01T00:00:00Z') });
		expect(await fingerprint()).not.toBe(first);
	});

	it('refuses a database with real accounts, and with --force adds beside them without touching them', async () => {
		const dept = await createDepartment({ code: 'REAL' });
		const real = await createUser({ username: 'real-person', department: dept });
		await expect(seedScale(scaleDb, library, { learners: 50, now: NOW })).rejects.toBeInstanceOf(ScaleRefused);
		expect(await count(sql`select count(*) as n from "user"`)).toBe(1);

		await seedScale(scaleDb, library, { learners: 50, now: NOW, force: true });
		await seedScale(scaleDb, library, { learners: 60, now: NOW, force: true });
		expect(await count(sql`select count(*) as n from "user" where username like 'S%'`)).toBe(60);
		const [still] = await rows<{ id: number; department_id: number }>(
			db,
			sql`select id, department_id from "user" where username = 'real-person'`
		);
		expect({ id: Number(still.id), department: Number(still.department_id) }).toEqual({ id: real.id, department: dept.id });
		expect(await count(sql`select count(*) as n from department where code = 'REAL'`)).toBe(1);
	});
});
