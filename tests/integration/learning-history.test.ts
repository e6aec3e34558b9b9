// The demo's twelve months of learning (seeds/history.ts) on the real course library: deterministic,
// with the gaps HR should find, and the demo learner in the promised mixed state.
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { useLibrary } from '../../src/lib/server/content';
import { readContentFiles } from '../../src/lib/server/content/files';
import { loadLibrary, type Library } from '../../src/lib/server/content/library';
import { syncContent } from '../../src/lib/server/content/sync';
import { db, rows } from '../../src/lib/server/db';
import * as learning from '../../src/lib/server/learning';
import { seedDemoIfEmpty } from '../../seeds/demo';
import { resetDatabase, testDatabase } from '../helpers/db';

let library: Library;
const now = new Date();

async function seedFresh() {
	await resetDatabase();
	await syncContent(db, library);
	await seedDemoIfEmpty(db, library, now);
}

/** A fingerprint of the learning rows (ids aside), to compare two seeds. */
async function fingerprint() {
	const [row] = await rows<{ f: string }>(
		db,
		sql`select md5(string_agg(x, '|' order by x)) as f from (
			select concat_ws(',', u.username, qa.course_id, qa.attempt_no, qa.score, qa.passed, qa.submitted_at::text) as x from quiz_attempt qa join "user" u on u.id = qa.user_id
			union all select concat_ws(',', u.username, co.course_id, co.year, co.certificate_code, co.department_id) from completion co join "user" u on u.id = co.user_id
			union all select concat_ws(',', u.username, lp.course_id, lp.lesson_slug) from lesson_progress lp join "user" u on u.id = lp.user_id
		) t`
	);
	return row.f;
}

beforeAll(async () => {
	await testDatabase();
	library = loadLibrary(readContentFiles(process.cwd()));
	useLibrary(library);
}, 120_000);

describe('demo learning history', () => {
	it('is deterministic and fills every learning table', async () => {
		await seedFresh();
		const first = await fingerprint();
		const [counts] = await rows<Record<string, number>>(
			db,
			sql`select (select count(*) from assignment)::int as assignments, (select count(*) from enrollment)::int as enrollments,
				(select count(*) from lesson_progress)::int as progress, (select count(*) from quiz_attempt)::int as attempts,
				(select count(*) from attempt_answer)::int as answers, (select count(*) from completion)::int as completions,
				(select count(distinct user_id) from enrollment)::int as active, (select count(*) from "user")::int as people`
		);
		expect(counts.assignments).toBeGreaterThanOrEqual(8);
		expect(counts.attempts).toBeGreaterThan(300);
		expect(counts.answers).toBeGreaterThan(counts.attempts * 10);
		expect(counts.completions).toBeGreaterThan(150);
		expect(counts.active / counts.people).toBeGreaterThan(0.55);
		expect(counts.active / counts.people).toBeLessThan(0.85);
		await seedFresh();
		expect(await fingerprint()).toBe(first);
	}, 120_000);

	it('shows real gaps: the hotline answers citizens better, the districts share data worse', async () => {
		const mastery = await rows<{ grp: string; competency_id: string; m: number }>(
			db,
			sql`select split_part(d.code, '-', 1) as grp, a.competency_id, sum(a.points_earned)::float8 / sum(a.points_possible) as m
			from attempt_answer a join "user" u on u.id = a.user_id join department d on d.id = u.department_id
			where a.attempt_no = 1 group by 1, 2`
		);
		const m = (grp: string, competency: string) => mastery.find((r) => r.grp === grp && r.competency_id === competency)?.m ?? NaN;
		const districts = (m('EAST', 'data-sharing') + m('WEST', 'data-sharing')) / 2;
		expect(m('HOTLINE', 'citizen-responsiveness')).toBeGreaterThan(m('EAST', 'citizen-responsiveness'));
		expect(m('BIGDATA', 'data-sharing')).toBeGreaterThan(districts + 0.15);
		expect((m('EAST', 'info-security') + m('WEST', 'info-security')) / 2).toBeLessThan(m('BIGDATA', 'info-security'));
	});

	it('keeps the department at completion for people who moved since', async () => {
		const [moved] = await rows<{ n: number }>(
			db,
			sql`select count(distinct co.user_id)::int as n from completion co join "user" u on u.id = co.user_id where co.department_id <> u.department_id`
		);
		expect(moved.n).toBeGreaterThanOrEqual(3);
	});

	it('gives the demo learner one completed course with a certificate, one in progress and one overdue', async () => {
		const [learner] = await rows<{ id: number }>(db, sql`select id from "user" where username = 'learner'`);
		const view = await learning.dashboard(learner.id, 'zh-CN', now);
		const status = Object.fromEntries(view.assignments.map((a) => [a.slug, a.status]));
		expect(status['integrated-service']).toBe('completed');
		expect(status['smart-government-basics']).toBe('in-progress');
		expect(status['information-security']).toBe('overdue');
		expect(view.certificates).toHaveLength(1);
		expect(view.hours.earned).toBeGreaterThan(0);
		expect(view.inProgress.map((c) => c.slug)).toContain('smart-government-basics');
		expect(await learning.verifyCertificate(view.certificates[0].code)).toMatchObject({ valid: true, holderName: '林晓' });
	});
});
