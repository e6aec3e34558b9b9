// The scale generator behind `npm run seed:scale`: a province of N learners with twelve months of
// learning, written with COPY in one transaction. Deterministic: the same N, seed and date give the
// same rows. Plain TS with relative imports (runs under tsx, outside Vite).
import { hash } from '@node-rs/argon2';
import { ARGON2_OPTIONS } from '../src/lib/server/auth/argon2';
import { normalizeAnswer } from '../src/lib/server/quiz/grade';
import { keyHash, type CourseDef, type Library } from '../src/lib/server/content/library';
import type { QuizQuestion } from '../src/lib/server/quiz/parse';
import { CopyBuffer, copy, syncIdentity, type ScaleDb } from './copy';
import { chineseName, createRandom, emailFor, type Random } from './random';
import { cityName, sectionName, unitName } from './scale-names';

export const SCALE_PASSWORD = 'govlearn-demo';
const DAY = 86_400_000;
const HOUR = 3_600_000;
const MINUTE = 60_000;

export interface ScaleOptions {
	learners: number;
	/** The generated year ends here (default: today, midnight UTC, so a day's runs agree). */
	now?: Date;
	seed?: number;
	/** Allowed to run beside real (non-generated) users. */
	force?: boolean;
	log?: (line: string) => void;
}

export interface ScaleSummary {
	learners: number;
	departments: number;
	rows: Record<string, number>;
	accounts: { admin: string; hr: string[]; hrDistrict: string[]; district: string; password: string };
	seconds: number;
}

export class ScaleRefused extends Error {}

interface Dept {
	id: number;
	code: string;
	parentId: number | null;
	path: string;
	depth: number;
	zh: string;
	en: string;
	district: boolean;
	/** Mastery offset per competency (index into the framework): departments differ in their gaps. */
	effect: number[];
	staff: number;
}

interface Assigned {
	courseIndex: number;
	departmentId: number;
	depth: number;
	required: boolean;
	yearly: boolean;
	createdAt: number;
}

/** Tables the course-library sync owns; everything else is organisation data the generator may clear. */
const CONTENT_TABLES = new Set(['competency', 'course', 'lesson', 'question', 'content_state', 'setting']);

const ymd = (t: number) => new Date(t).toISOString().slice(0, 10);
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** Seeds a generated province into `db` (already migrated, library synced). */
export async function seedScale(db: ScaleDb, library: Library, options: ScaleOptions): Promise<ScaleSummary> {
	const started = Date.now();
	const log = options.log ?? (() => {});
	const n = Math.floor(options.learners);
	if (!(n >= 10)) throw new ScaleRefused('--learners must be at least 10');
	const now = options.now ?? new Date(new Date().toISOString().slice(0, 10) + 'T00:00:00Z');
	const random = createRandom(options.seed ?? 8_000_000 + n);

	const [counts] = await db.query<{ real: number; generated: number }>(
		`select count(*) filter (where not generated)::int as real, count(*) filter (where generated)::int as generated from "user"`
	);
	if (counts.real > 0 && !options.force) {
		throw new ScaleRefused(
			`This database holds ${counts.real} real (non-generated) users; refusing to add generated data beside them. Use a scratch database, or pass --force.`
		);
	}
	const courses = library.courses.filter((c) => !c.draft && c.errors.length === 0).sort((a, b) => a.position - b.position);
	if (courses.length === 0) throw new ScaleRefused('No published course in the library: sync the content first.');
	const synced = await db.query<{ id: string }>(`select id from course where present and not draft`);
	const syncedIds = new Set(synced.map((r) => r.id));
	const missing = courses.filter((c) => !syncedIds.has(c.id));
	if (missing.length) throw new ScaleRefused(`Courses not synced to this database: ${missing.map((c) => c.id).join(', ')}`);

	const passwordHash = await hash(SCALE_PASSWORD, ARGON2_OPTIONS);
	const rows: Record<string, number> = {};
	const add = (table: string, k: number) => (rows[table] = (rows[table] ?? 0) + k);

	let summary: Omit<ScaleSummary, 'rows' | 'seconds'> | undefined;
	await db.transaction(async (tx) => {
		await tx.query(`set local synchronous_commit = off`);
		await clearPrevious(tx, counts, log);
		summary = await generate(tx, library, courses, { n, now, random, passwordHash, log, add });
	});
	log('analyze…');
	await db.query(`analyze`);
	return { ...summary!, rows, seconds: (Date.now() - started) / 1000 };
}

/** Removes an earlier generated data set: everything when only generated users exist, else just theirs. */
async function clearPrevious(tx: ScaleDb, counts: { real: number; generated: number }, log: (s: string) => void) {
	if (counts.generated === 0 && counts.real === 0) return;
	if (counts.real === 0) {
		const tables = await tx.query<{ name: string }>(`select tablename as name from pg_tables where schemaname = 'public'`);
		const clear = tables.map((t) => t.name).filter((t) => !CONTENT_TABLES.has(t));
		log(`clearing the previous generated data (${clear.length} tables)…`);
		await tx.query(`truncate ${clear.map((t) => `"${t}"`).join(', ')} restart identity cascade`);
		await tx.query(`delete from setting where key = 'scale_seed'`);
		return;
	}
	if (counts.generated === 0) return;
	log('removing the previous generated users beside real ones…');
	const [seedInfo] = await tx.query<{ value: string }>(`select value from setting where key = 'scale_seed'`);
	await tx.query(`create temp table scale_old on commit drop as select id from "user" where generated`);
	for (const statement of [
		`delete from attempt_answer where user_id in (select id from scale_old)`,
		`delete from completion where user_id in (select id from scale_old)`,
		`delete from quiz_attempt where user_id in (select id from scale_old)`,
		`delete from lesson_progress where user_id in (select id from scale_old)`,
		`delete from enrollment where user_id in (select id from scale_old)`,
		`delete from session where user_id in (select id from scale_old)`,
		`update assignment set created_by = null where created_by in (select id from scale_old)`,
		`update import_batch set created_by = null where created_by in (select id from scale_old)`,
		`update import_batch set applied_by = null where applied_by in (select id from scale_old)`,
		`delete from "user" where id in (select id from scale_old)`
	])
		await tx.query(statement);
	const root = seedInfo ? (JSON.parse(seedInfo.value) as { rootPath?: string }).rootPath : undefined;
	if (root) {
		const subtree = `(select id from department where path like $1)`;
		await tx.query(`delete from assignment where department_id in ${subtree}`, [root + '%']);
		await tx.query(`update "user" set hr_scope_id = null where hr_scope_id in ${subtree}`, [root + '%']);
		await tx.query(
			`delete from department where path like $1 and id not in (select department_id from "user") and id not in (select department_id from completion)`,
			[root + '%']
		);
	}
	await tx.query(`delete from setting where key = 'scale_seed'`);
}

interface GenerateContext {
	n: number;
	now: Date;
	random: Random;
	passwordHash: string;
	log: (line: string) => void;
	add: (table: string, n: number) => void;
}

async function generate(tx: ScaleDb, library: Library, courses: CourseDef[], ctx: GenerateContext) {
	const { n, random, log, add } = ctx;
	const now = ctx.now.getTime();
	const windowStart = now - 365 * DAY;
	const currentYear = new Date(now).getUTCFullYear();
	const yearStart = Date.UTC(currentYear, 0, 1);
	const competencies = library.competencies.map((c) => c.id);
	const compIndex = new Map(competencies.map((c, i) => [c, i]));

	// ---- departments: about n/200, four levels (province > cities > bureaus and districts > sections)
	const [{ maxDept }] = await tx.query<{ maxDept: number }>(`select coalesce(max(id), 0)::int as "maxDept" from department`);
	const total = Math.max(Math.ceil(n / 200), 13);
	const branching = Math.max(2, Math.round(Math.cbrt(total - 1)));
	const level1 = branching;
	const level2 = Math.min(branching * branching, total - 1 - level1 - 1);
	const level3 = total - 1 - level1 - level2;
	const depts: Dept[] = [];
	const effectOf = (parent: Dept | undefined, spread: number) =>
		competencies.map((_, i) => (parent?.effect[i] ?? 0) + random.gauss() * spread);
	const makeDept = (parent: Dept | undefined, code: string, name: { zh: string; en: string; district?: boolean }, spread: number): Dept => {
		const id = maxDept + depts.length + 1;
		const d: Dept = {
			id,
			code,
			parentId: parent?.id ?? null,
			path: `${parent?.path ?? '/'}${id}/`,
			depth: parent ? parent.depth + 1 : 0,
			zh: name.zh,
			en: name.en,
			district: Boolean(name.district),
			effect: effectOf(parent, spread),
			staff: 0
		};
		depts.push(d);
		return d;
	};
	const root = makeDept(undefined, 'P', { zh: '某省人民政府', en: 'Provincial Government' }, 0.1);
	const cities = Array.from({ length: level1 }, (_, i) => makeDept(root, `P-${String(i + 1).padStart(2, '0')}`, cityName(i), 0.35));
	const units: Dept[] = [];
	for (let j = 0; j < level2; j++) {
		const city = j % level1;
		const index = Math.floor(j / level1);
		const parent = cities[city];
		units.push(makeDept(parent, `${parent.code}-${String(index + 1).padStart(2, '0')}`, unitName(city, index), 0.3));
	}
	const sections: Dept[] = [];
	const childCount = new Map<number, number>();
	for (let k = 0; k < level3; k++) {
		const parent = units[k % units.length];
		const index = childCount.get(parent.id) ?? 0;
		childCount.set(parent.id, index + 1);
		sections.push(makeDept(parent, `${parent.code}-${String(index + 1).padStart(2, '0')}`, sectionName(parent, index), 0.25));
	}
	const deptBuf = new CopyBuffer('department', [
		'id',
		'code',
		'parent_id',
		'path',
		'depth',
		'name_zh',
		'name_en',
		'active',
		'position',
		'created_at',
		'updated_at'
	]);
	const positions = new Map<number | null, number>();
	for (const d of depts) {
		const position = positions.get(d.parentId) ?? 0;
		positions.set(d.parentId, position + 1);
		const created = new Date(windowStart - 200 * DAY);
		deptBuf.push(d.id, d.code, d.parentId, d.path, d.depth, d.zh, d.en, true, position, created, created);
	}
	add('department', await copy(tx, deptBuf, { overriding: true }));
	await syncIdentity(tx, 'department');
	log(`${depts.length} departments (1 + ${level1} + ${level2} + ${level3})`);

	// ---- staff: most in sections, fewer in bureau and city offices
	const staffed = depts.filter((d) => d.depth > 0);
	const weights = staffed.map((d) => (d.depth === 1 ? 0.25 : d.depth === 2 ? 0.6 : 0.6 + random.next() * 0.9));
	const weightSum = weights.reduce((a, b) => a + b, 0);
	let placed = 0;
	staffed.forEach((d, i) => {
		d.staff = Math.floor((n * weights[i]) / weightSum);
		placed += d.staff;
	});
	for (let i = 0; placed < n; i = (i + 1) % staffed.length, placed++) staffed[staffed.length - 1 - i].staff++;

	// ---- assignments at several levels, some yearly, some overdue, one ended
	const [{ maxUser }] = await tx.query<{ maxUser: number }>(`select coalesce(max(id), 0)::int as "maxUser" from "user"`);
	const adminId = maxUser + 1;
	const c = (i: number) => i % courses.length;
	const assigned: (Assigned & { due: string; endedAt: number | null })[] = [];
	const assign = (
		courseIndex: number,
		dept: Dept,
		due: string,
		o: { yearly?: boolean; required?: boolean; created: number; ended?: number }
	) =>
		assigned.push({
			courseIndex: c(courseIndex),
			departmentId: dept.id,
			depth: dept.depth,
			required: o.required ?? true,
			yearly: Boolean(o.yearly),
			createdAt: o.created,
			due,
			endedAt: o.ended ?? null
		});
	assign(0, root, `${new Date(windowStart).getUTCFullYear()}-06-30`, { yearly: true, created: windowStart - 30 * DAY });
	assign(courses.length - 2, root, ymd(now - 45 * DAY), { created: now - 210 * DAY });
	cities.forEach((city, i) =>
		assign(1 + (i % Math.max(1, courses.length - 2)), city, ymd(now + ((i % 4) - 1) * 40 * DAY), { created: now - 160 * DAY + i * DAY })
	);
	assign(3, cities[0], `${currentYear}-11-30`, { yearly: true, created: windowStart + 20 * DAY });
	units.forEach((u, j) => {
		if (j % 3 === 0) assign(j, u, ymd(now + 60 * DAY), { required: false, created: now - 90 * DAY });
	});
	sections.forEach((s, k) => {
		if (k % 10 === 0) assign(k + 2, s, ymd(now + 20 * DAY), { created: now - 70 * DAY });
	});
	assign(2, cities[cities.length - 1], ymd(now - 100 * DAY), { created: windowStart + 10 * DAY, ended: now - 120 * DAY });
	const assignBuf = new CopyBuffer('assignment', [
		'course_id',
		'department_id',
		'due_date',
		'recurrence',
		'required',
		'created_by',
		'created_at',
		'updated_at',
		'ended_at'
	]);
	for (const a of assigned) {
		assignBuf.push(
			courses[a.courseIndex].id,
			a.departmentId,
			a.due,
			a.yearly ? 'yearly' : 'none',
			a.required,
			adminId,
			new Date(a.createdAt),
			new Date(a.createdAt),
			a.endedAt ? new Date(a.endedAt) : null
		);
	}
	// For each department, the nearest assignment per course up the tree (what the SQL view computes).
	const byDept = new Map<number, Assigned[]>();
	for (const a of assigned) if (!a.endedAt) byDept.set(a.departmentId, [...(byDept.get(a.departmentId) ?? []), a]);
	const effective = new Map<number, Assigned[]>();
	for (const d of depts) {
		const nearest = new Map<number, Assigned>();
		for (const id of d.path.split('/').filter(Boolean).map(Number)) {
			for (const a of byDept.get(id) ?? []) {
				const prev = nearest.get(a.courseIndex);
				if (!prev || a.depth > prev.depth || (a.depth === prev.depth && a.createdAt >= prev.createdAt)) nearest.set(a.courseIndex, a);
			}
		}
		effective.set(d.id, [...nearest.values()]);
	}

	// ---- accounts: admin, trainer, 20 HR for the province, 20 HR for the first city; then staff
	const userBuf = new CopyBuffer('user', [
		'id',
		'username',
		'display_name',
		'email',
		'department_id',
		'roles',
		'hr_scope_id',
		'status',
		'password_hash',
		'locale',
		'generated',
		'created_at',
		'updated_at'
	]);
	const accountsCreated = new Date(windowStart - 100 * DAY);
	const office = units[0] ?? cities[0];
	const districtOffice = depts.find((d) => d.parentId === cities[0].id && d.depth === 2) ?? cities[0];
	const hr = Array.from({ length: 20 }, (_, i) => (i === 0 ? 'hr' : `hr-${String(i + 1).padStart(2, '0')}`));
	const hrDistrict = Array.from({ length: 20 }, (_, i) => `hr-d${String(i + 1).padStart(2, '0')}`);
	let nextUser = maxUser;
	const special: [string, string, Dept, string[], number | null][] = [
		['admin', '系统管理员', office, ['admin', 'learner'], null],
		['trainer', '周培训', office, ['trainer', 'learner'], null],
		['reviewer', '郑审核', office, ['trainer', 'reviewer', 'learner'], null],
		...hr.map((u, i): [string, string, Dept, string[], number | null] => [u, `省人事${i + 1}`, root, ['hr', 'learner'], root.id]),
		...hrDistrict.map((u, i): [string, string, Dept, string[], number | null] => [
			u,
			`${cities[0].zh.slice(0, 2)}人事${i + 1}`,
			districtOffice,
			['hr', 'learner'],
			cities[0].id
		])
	];
	for (const [username, name, dept, roles, scope] of special) {
		userBuf.push(
			++nextUser,
			username,
			name,
			`${username}@gov.example.cn`,
			dept.id,
			roles,
			scope,
			'active',
			ctx.passwordHash,
			null,
			true,
			accountsCreated,
			accountsCreated
		);
	}

	interface Person {
		id: number;
		dept: Dept;
		/** Department before a move, and when the move happened (completions before it keep the old one). */
		before?: { dept: Dept; until: number };
		status: 'active' | 'inactive' | 'pending';
	}
	const people: Person[] = [];
	let number = 0;
	for (const d of staffed) {
		for (let i = 0; i < d.staff; i++) {
			const username = `S${String(++number).padStart(7, '0')}`;
			const status = random.chance(0.015) ? 'inactive' : random.chance(0.01) ? 'pending' : 'active';
			const person: Person = { id: ++nextUser, dept: d, status };
			if (random.chance(0.03))
				person.before = { dept: staffed[random.int(0, staffed.length - 1)], until: windowStart + random.next() * 365 * DAY };
			people.push(person);
			const created = new Date(windowStart - random.int(30, 2000) * DAY);
			userBuf.push(
				person.id,
				username,
				chineseName(random),
				random.chance(0.8) ? emailFor(random, username) : null,
				d.id,
				['learner'],
				null,
				status,
				status === 'pending' ? null : ctx.passwordHash,
				random.chance(0.1) ? 'en' : null,
				true,
				created,
				created
			);
		}
		if (userBuf.size >= 50_000) add('user', await copy(tx, userBuf, { overriding: true }));
	}
	add('user', await copy(tx, userBuf, { overriding: true }));
	await syncIdentity(tx, 'user');
	add('assignment', await copy(tx, assignBuf));
	log(`${people.length} learners and ${special.length} staff accounts; ${assigned.length} assignments`);

	// ---- twelve months of learning
	const questionDifficulty = new Map<string, number>();
	for (const course of courses)
		for (const q of course.quiz['zh-CN'] ?? course.quiz.en ?? [])
			questionDifficulty.set(`${course.id}/${q.id}`, -0.4 + random.gauss() * 0.7);
	const [{ maxAttempt }] = await tx.query<{ maxAttempt: number }>(`select coalesce(max(id), 0)::int as "maxAttempt" from quiz_attempt`);
	let nextAttempt = maxAttempt;
	const enrollBuf = new CopyBuffer('enrollment', ['user_id', 'course_id', 'started_at', 'last_lesson_slug', 'last_seen_at']);
	const progressBuf = new CopyBuffer('lesson_progress', ['user_id', 'course_id', 'lesson_slug', 'completed_at']);
	const attemptBuf = new CopyBuffer('quiz_attempt', [
		'id',
		'user_id',
		'course_id',
		'attempt_no',
		'year',
		'content_version',
		'locale',
		'slots',
		'started_at',
		'submitted_at',
		'points_earned',
		'points_possible',
		'score',
		'passed'
	]);
	const answerBuf = new CopyBuffer('attempt_answer', [
		'attempt_id',
		'question_id',
		'course_id',
		'user_id',
		'competency_id',
		'attempt_no',
		'content_version',
		'key_hash',
		'locale',
		'points_possible',
		'points_earned',
		'correct',
		'response',
		'answered_at'
	]);
	const completionBuf = new CopyBuffer('completion', [
		'user_id',
		'course_id',
		'completed_at',
		'year',
		'department_id',
		'hours',
		'score',
		'attempt_id',
		'content_version',
		'certificate_code',
		'revoked_at'
	]);
	const flush = async () => {
		add('enrollment', await copy(tx, enrollBuf));
		add('lesson_progress', await copy(tx, progressBuf));
		add('quiz_attempt', await copy(tx, attemptBuf, { overriding: true }));
		add('attempt_answer', await copy(tx, answerBuf));
		add('completion', await copy(tx, completionBuf));
	};
	const keyHashes = new Map<string, string>();
	for (const course of courses) for (const q of course.quiz['zh-CN'] ?? []) keyHashes.set(`${course.id}/${q.id}`, keyHash(q));
	const certificate = () => {
		let s = '';
		for (let i = 0; i < 16; i++) s += BASE32[Math.floor(random.next() * 32)];
		return s;
	};

	/** One quiz attempt: questions in this attempt's order, answers drawn from ability and difficulty. */
	const takeQuiz = (
		person: Person,
		course: CourseDef,
		ability: number,
		locale: 'zh-CN' | 'en',
		attemptNo: number,
		startAt: number,
		submitAt: number | null
	) => {
		const questions = course.quiz[locale] ?? course.quiz['zh-CN'] ?? course.quiz.en ?? [];
		const keys = course.quiz['zh-CN'] ?? questions;
		const slots = slotsFor(questions, course.shuffle, random);
		const id = ++nextAttempt;
		const year = new Date(startAt).getUTCFullYear();
		if (submitAt === null) {
			attemptBuf.push(
				id,
				person.id,
				course.id,
				attemptNo,
				year,
				course.version,
				locale,
				slots,
				new Date(startAt),
				null,
				null,
				null,
				null,
				null
			);
			return { id, score: 0, passed: false };
		}
		let earned = 0;
		const dept = person.dept;
		for (const slot of slots) {
			const q = keys.find((k) => k.id === slot.id)!;
			const shown = questions.find((k) => k.id === slot.id) ?? q;
			const ci = compIndex.get(q.competency) ?? 0;
			const p =
				1 /
				(1 + Math.exp(-(0.9 + ability + dept.effect[ci] - (questionDifficulty.get(`${course.id}/${q.id}`) ?? 0) + 0.35 * (attemptNo - 1))));
			const correct = random.next() < p;
			if (correct) earned++;
			answerBuf.push(
				id,
				q.id,
				course.id,
				person.id,
				q.competency,
				attemptNo,
				course.version,
				keyHashes.get(`${course.id}/${q.id}`) ?? keyHash(q),
				locale,
				1,
				correct ? 1 : 0,
				correct,
				JSON.stringify(responseFor(q, shown, correct, random)),
				new Date(submitAt)
			);
		}
		const possible = slots.length;
		const score = possible > 0 ? Math.floor((earned * 100) / possible) : 0;
		const passed = possible > 0 && score >= course.passScore;
		attemptBuf.push(
			id,
			person.id,
			course.id,
			attemptNo,
			year,
			course.version,
			locale,
			slots,
			new Date(startAt),
			new Date(submitAt),
			earned,
			possible,
			score,
			passed
		);
		return { id, score, passed };
	};

	for (const [index, person] of people.entries()) {
		const active = person.status !== 'pending' && random.chance(0.6);
		if (active) {
			const ability = random.gauss() * 0.7;
			const diligence = 0.84 + random.next() * 0.15;
			const locale = random.chance(0.15) ? 'en' : 'zh-CN';
			const chosen = new Map<number, Assigned | null>();
			for (const a of effective.get(person.dept.id) ?? []) if (random.chance(a.required ? 0.9 : 0.4)) chosen.set(a.courseIndex, a);
			if (random.chance(0.35)) chosen.set(random.int(0, courses.length - 1), chosen.get(0) ?? null);
			if (random.chance(0.15)) chosen.set(random.int(0, courses.length - 1), null);
			for (const [courseIndex, a] of chosen) {
				const course = courses[courseIndex];
				const lessons = course.lessons.filter((l) => !l.draft);
				// Yearly assignments pull starts into the current period.
				let t =
					a?.yearly && random.chance(0.5) && now - yearStart > 7 * DAY
						? yearStart + random.next() * (now - yearStart)
						: windowStart + random.next() * (now - windowStart - HOUR);
				const startedAt = t;
				let last: string | null = null;
				let done = 0;
				for (const l of lessons) {
					if (done > 0) t += MINUTE * 5 + random.next() * random.next() * 6 * DAY;
					if (t >= now) break;
					progressBuf.push(person.id, course.id, l.slug, new Date(t));
					last = l.slug;
					done++;
					if (!random.chance(diligence)) break;
				}
				enrollBuf.push(person.id, course.id, new Date(startedAt), last, new Date(Math.min(t, now - MINUTE)));
				if (done < lessons.length) continue;
				// The quiz, retried while attempts remain; a pass completes the course.
				let attemptNo = 0;
				const perYear = new Map<number, number>();
				const attemptRound = (from: number): number | null => {
					let at = from;
					for (;;) {
						const start = at + HOUR / 4 + random.next() * 2 * DAY;
						if (start >= now) return null;
						const year = new Date(start).getUTCFullYear();
						if ((perYear.get(year) ?? 0) >= course.attemptLimit) return null;
						perYear.set(year, (perYear.get(year) ?? 0) + 1);
						attemptNo++;
						let submit: number | null = start + (4 + random.next() * 20) * MINUTE;
						if (submit >= now || random.chance(0.03)) submit = null;
						const result = takeQuiz(person, course, ability, locale, attemptNo, start, submit);
						if (submit === null) return null;
						if (result.passed) {
							const dept = person.before && submit < person.before.until ? person.before.dept : person.dept;
							completionBuf.push(
								person.id,
								course.id,
								new Date(submit),
								new Date(submit).getUTCFullYear(),
								dept.id,
								course.hours,
								result.score,
								result.id,
								course.version,
								certificate(),
								random.chance(0.002) ? new Date(Math.min(now - HOUR, submit + 30 * DAY)) : null
							);
							return submit;
						}
						if (!random.chance(0.75)) return null;
						at = submit + HOUR + random.next() * 10 * DAY;
					}
				};
				const passedAt = attemptRound(t);
				// A yearly course done last year is often done again this year.
				if (
					passedAt !== null &&
					a?.yearly &&
					new Date(passedAt).getUTCFullYear() < currentYear &&
					now - yearStart > 20 * DAY &&
					random.chance(0.55)
				) {
					attemptRound(yearStart + random.next() * (now - yearStart - 10 * DAY));
				}
			}
		}
		if (answerBuf.size >= 200_000 || index === people.length - 1) {
			await flush();
			log(`  activity: ${index + 1}/${people.length} learners`);
		}
	}
	await flush();
	await syncIdentity(tx, 'quiz_attempt');
	await tx.query(`insert into setting (key, value) values ('annual_target_hours', '50') on conflict (key) do nothing`);
	await tx.query(
		`insert into setting (key, value) values ('scale_seed', $1) on conflict (key) do update set value = excluded.value, updated_at = now()`,
		[JSON.stringify({ learners: n, now: new Date(now).toISOString(), rootPath: root.path })]
	);
	return {
		learners: people.length,
		departments: depts.length,
		accounts: { admin: 'admin', hr, hrDistrict, district: cities[0].code, password: SCALE_PASSWORD }
	};
}

/** The order of questions and options of one attempt, as the server's own shuffle makes them. */
function slotsFor(questions: QuizQuestion[], shuffle: boolean, random: Random): { id: string; options: number[] }[] {
	const shuffled = <T>(items: T[]): T[] => {
		for (let i = items.length - 1; i > 0; i--) {
			const j = Math.floor(random.next() * (i + 1));
			[items[i], items[j]] = [items[j], items[i]];
		}
		return items;
	};
	const slots = questions.map((q) => {
		const order = q.options.map((_, i) => i);
		return { id: q.id, options: shuffle && q.type !== 'true-false' ? shuffled(order) : order };
	});
	return shuffle ? shuffled(slots) : slots;
}

/** An answer consistent with the key: the right options when correct, a plausible mistake when not. */
function responseFor(key: QuizQuestion, shown: QuizQuestion, correct: boolean, random: Random): number[] | string {
	if (key.type === 'short') {
		if (correct) return shown.accepted[0] ?? key.accepted[0] ?? '';
		const accepted = new Set([...key.accepted, ...shown.accepted].map(normalizeAnswer));
		return random.pick(['不清楚', '不知道', 'not sure', '12315', '110'].filter((w) => !accepted.has(normalizeAnswer(w))));
	}
	const right = key.options.flatMap((o, i) => (o.correct ? [i] : []));
	if (correct) return right;
	const wrong = key.options.flatMap((o, i) => (o.correct ? [] : [i]));
	if (key.type !== 'multiple') return wrong.length ? [random.pick(wrong)] : [];
	if (wrong.length === 0 && right.length < 2) return [];
	if (right.length > 1 && (wrong.length === 0 || random.chance(0.5))) {
		const drop = random.int(0, right.length - 1);
		return right.filter((_, i) => i !== drop);
	}
	return [...right, random.pick(wrong)].sort((a, b) => a - b);
}
