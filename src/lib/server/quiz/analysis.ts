// Item analysis: how each question of a course performs on learners' first attempts.
import { sql } from 'drizzle-orm';
import { db, rows, type Executor } from '../db';
import type { CourseDef, Locale } from '../content/library';
import type { QuizQuestion } from './parse';

export const POPULATIONS = ['all', 'zh-CN', 'en'] as const;
export type Population = (typeof POPULATIONS)[number];

/** Share of learners in each of the upper and lower groups (Kelley's 27%). */
export const GROUP_SHARE = 0.27;
/** Facility above this is "too easy", below LOW_FACILITY "too hard". */
export const HIGH_FACILITY = 0.95;
export const LOW_FACILITY = 0.2;
/** Fewer first attempts than this and a figure is too noisy to flag. */
export const MIN_FLAG_ATTEMPTS = 5;
/** Language gap: facility differs by more than this between zh-CN and en, each with LANGUAGE_MIN attempts. */
export const LANGUAGE_GAP = 0.2;
export const LANGUAGE_MIN = 10;

export type Flag = 'too-easy' | 'too-hard' | 'negative-discrimination' | 'language-gap';

export interface PopulationStats {
	attempts: number;
	earned: number;
	possible: number;
	/** Points earned / points possible, 0..1; null without attempts. */
	facility: number | null;
	/** Facility of the upper 27% minus that of the lower 27% (learners ranked by total first-attempt score). */
	discrimination: number | null;
	upper: { attempts: number; facility: number | null };
	lower: { attempts: number; facility: number | null };
	/** How often each option (file order) was chosen. */
	optionCounts: number[];
	/** Short answer: the most frequent typed answers (normalised), with whether they were accepted. */
	typed: { text: string; count: number; correct: boolean }[];
}

export interface ItemStats {
	question: QuizQuestion;
	position: number;
	stats: Record<Population, PopulationStats>;
	flags: Flag[];
}

interface StatRow {
	questionId: string;
	pop: Population;
	attempts: number;
	earned: number;
	possible: number;
	upperAttempts: number;
	upperEarned: number | null;
	upperPossible: number | null;
	lowerAttempts: number;
	lowerEarned: number | null;
	lowerPossible: number | null;
}

interface ResponseRow {
	questionId: string;
	pop: Population;
	option: number | null;
	text: string | null;
	n: number;
	correct: boolean | null;
}

const ratio = (earned: number | null, possible: number | null) => (possible ? (earned ?? 0) / possible : null);

/**
 * Statistics per question of `course` over first attempts, pooled and per language. Only answers given
 * under the question's current key count (a question whose key changed starts fresh); answers from
 * every content version with that key pool. Two queries whatever the number of questions or learners.
 */
export async function itemAnalysis(course: CourseDef, locale: Locale, executor: Executor = db): Promise<ItemStats[]> {
	const questions = course.quiz[locale] ?? course.quiz['zh-CN'] ?? course.quiz.en ?? [];
	// Learners are ranked by their whole first attempt (all its answers), separately in each population:
	// pooled, and among those whose first attempt was in zh-CN or in en.
	const statRows = await rows<StatRow>(
		executor,
		sql`
		with first as (
			select aa.user_id, aa.locale, aa.question_id, aa.points_earned, aa.points_possible,
				(q.key_hash is not null and aa.key_hash = q.key_hash) as current_key
			from attempt_answer aa
			left join question q on q.course_id = aa.course_id and q.id = aa.question_id
			where aa.course_id = ${course.id} and aa.attempt_no = 1
		),
		learner as (
			select user_id, min(locale) as locale, sum(points_earned)::float8 / nullif(sum(points_possible), 0) as total
			from first group by user_id
		),
		ranked as (
			select user_id, locale,
				row_number() over (order by total desc nulls last, user_id) as r_all,
				count(*) over () as n_all,
				row_number() over (partition by locale order by total desc nulls last, user_id) as r_loc,
				count(*) over (partition by locale) as n_loc
			from learner
		),
		band as (
			select user_id, 'all'::text as pop,
				case when r_all <= round(${GROUP_SHARE}::numeric * n_all) then 'upper' when r_all > n_all - round(${GROUP_SHARE}::numeric * n_all) then 'lower' end as band
			from ranked
			union all
			select user_id, locale,
				case when r_loc <= round(${GROUP_SHARE}::numeric * n_loc) then 'upper' when r_loc > n_loc - round(${GROUP_SHARE}::numeric * n_loc) then 'lower' end
			from ranked
		)
		select f.question_id as "questionId", b.pop,
			count(*)::int as attempts,
			sum(f.points_earned)::int as earned,
			sum(f.points_possible)::int as possible,
			count(*) filter (where b.band = 'upper')::int as "upperAttempts",
			(sum(f.points_earned) filter (where b.band = 'upper'))::int as "upperEarned",
			(sum(f.points_possible) filter (where b.band = 'upper'))::int as "upperPossible",
			count(*) filter (where b.band = 'lower')::int as "lowerAttempts",
			(sum(f.points_earned) filter (where b.band = 'lower'))::int as "lowerEarned",
			(sum(f.points_possible) filter (where b.band = 'lower'))::int as "lowerPossible"
		from first f
		join band b on b.user_id = f.user_id and (b.pop = 'all' or b.pop = f.locale)
		where f.current_key
		group by f.question_id, b.pop`
	);
	const responseRows = await rows<ResponseRow>(
		executor,
		sql`
		with first as (
			select aa.question_id, aa.locale, aa.response, aa.correct
			from attempt_answer aa
			join question q on q.course_id = aa.course_id and q.id = aa.question_id and q.key_hash = aa.key_hash
			where aa.course_id = ${course.id} and aa.attempt_no = 1
		),
		pops as (
			select f.*, p.pop from first f cross join lateral (values ('all'::text), (f.locale)) as p(pop)
		)
		select question_id as "questionId", pop, opt.value::int as option, null::text as text, count(*)::int as n, null::boolean as correct
		from pops cross join lateral jsonb_array_elements_text(response) as opt(value)
		where jsonb_typeof(response) = 'array'
		group by question_id, pop, opt.value
		union all
		select question_id, pop, null, lower(btrim(response #>> '{}')), count(*)::int, bool_or(correct)
		from pops
		where jsonb_typeof(response) = 'string'
		group by question_id, pop, lower(btrim(response #>> '{}'))`
	);

	const empty = (q: QuizQuestion): PopulationStats => ({
		attempts: 0,
		earned: 0,
		possible: 0,
		facility: null,
		discrimination: null,
		upper: { attempts: 0, facility: null },
		lower: { attempts: 0, facility: null },
		optionCounts: q.options.map(() => 0),
		typed: []
	});
	const byId = new Map<string, ItemStats>();
	const items = questions.map((question, position) => {
		const item: ItemStats = {
			question,
			position,
			stats: { all: empty(question), 'zh-CN': empty(question), en: empty(question) },
			flags: []
		};
		byId.set(question.id, item);
		return item;
	});
	for (const r of statRows) {
		const item = byId.get(r.questionId);
		if (!item || !(POPULATIONS as readonly string[]).includes(r.pop)) continue;
		const s = item.stats[r.pop];
		s.attempts = r.attempts;
		s.earned = r.earned;
		s.possible = r.possible;
		s.facility = ratio(r.earned, r.possible);
		s.upper = { attempts: r.upperAttempts, facility: ratio(r.upperEarned, r.upperPossible) };
		s.lower = { attempts: r.lowerAttempts, facility: ratio(r.lowerEarned, r.lowerPossible) };
		s.discrimination = s.upper.facility !== null && s.lower.facility !== null ? s.upper.facility - s.lower.facility : null;
	}
	for (const r of responseRows) {
		const item = byId.get(r.questionId);
		if (!item || !(POPULATIONS as readonly string[]).includes(r.pop)) continue;
		const s = item.stats[r.pop];
		if (r.option !== null && r.option >= 0 && r.option < s.optionCounts.length) s.optionCounts[r.option] += r.n;
		else if (r.text !== null) s.typed.push({ text: r.text, count: r.n, correct: Boolean(r.correct) });
	}
	for (const item of items) {
		for (const pop of POPULATIONS)
			item.stats[pop].typed = item.stats[pop].typed.sort((a, b) => b.count - a.count || a.text.localeCompare(b.text)).slice(0, 8);
		item.flags = flagsOf(item.stats);
	}
	return items;
}

/** The flags a trainer should look at, from the pooled figures and the per-language facilities. */
export function flagsOf(stats: Record<Population, PopulationStats>): Flag[] {
	const flags: Flag[] = [];
	const all = stats.all;
	if (all.attempts >= MIN_FLAG_ATTEMPTS && all.facility !== null) {
		if (all.facility > HIGH_FACILITY) flags.push('too-easy');
		if (all.facility < LOW_FACILITY) flags.push('too-hard');
	}
	if (all.attempts >= MIN_FLAG_ATTEMPTS && all.discrimination !== null && all.discrimination < 0) flags.push('negative-discrimination');
	const zh = stats['zh-CN'];
	const en = stats.en;
	if (
		zh.attempts >= LANGUAGE_MIN &&
		en.attempts >= LANGUAGE_MIN &&
		zh.facility !== null &&
		en.facility !== null &&
		Math.abs(zh.facility - en.facility) > LANGUAGE_GAP
	)
		flags.push('language-gap');
	return flags;
}
