import { z } from 'zod';
import { db, rows, sql } from '../db';
import { DomainError } from '../errors';
import type { Locale } from '../content';

/** The filters every insights page and export shares; they live in the URL so a view can be shared. */
export interface Filters {
	/** Root of the department subtree to report on (inside the HR scope). */
	department?: number;
	course?: string;
	competency?: string;
	/** Period, inclusive, as YYYY-MM-DD. */
	from?: string;
	to?: string;
}

export interface Dept {
	id: number;
	code: string;
	name: string;
	path: string;
	depth: number;
	parentId: number | null;
}

/** Everything a report needs to know about who asks and what they filtered. */
export interface Context {
	/** The HR user's scope root. */
	scope: Dept;
	/** The department the report starts from: the filtered department, or the scope root. */
	root: Dept;
	filters: Filters;
	locale: Locale;
	/** Calendar year hours count in (server time, as the learning records do). */
	year: number;
}

const id = z
	.string()
	.max(100)
	.regex(/^[A-Za-z0-9_-]+$/, 'invalid id');
const day = z
	.string()
	.regex(/^\d{4}-\d{2}-\d{2}$/, 'date as YYYY-MM-DD')
	.refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'not a date')
	// Reports cover this organisation's years: a period from year 1 would be a hundred thousand weeks of trend.
	.refine((d) => d >= '2000-01-01' && d <= '2100-12-31', 'a date between 2000 and 2100');

const filterSchema = z
	.object({
		department: z.coerce.number().int().positive().max(2_147_483_647).optional(),
		course: id.optional(),
		competency: id.optional(),
		from: day.optional(),
		to: day.optional()
	})
	.refine((f) => !f.from || !f.to || f.from <= f.to, { message: 'the period ends before it starts', path: ['to'] });

export const FILTER_KEYS = ['department', 'course', 'competency', 'from', 'to'] as const;

/** Reads the filters from a query string; empty fields mean "no filter". Bad values are an invalid DomainError (a 400). */
export function parseFilters(params: URLSearchParams): Filters {
	const raw: Record<string, string> = {};
	for (const key of FILTER_KEYS) {
		const value = params.get(key)?.trim();
		if (value) raw[key] = value;
	}
	const parsed = filterSchema.safeParse(raw);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		throw new DomainError('invalid', 'filter', `${issue.path.join('.') || 'filter'}: ${issue.message}`);
	}
	return parsed.data;
}

/** Reads a positive integer id (route parameter or query); anything else is a not-found DomainError (a 404). */
export function parseId(value: string | null | undefined): number {
	const n = Number(value);
	if (!value || !/^\d{1,10}$/.test(value) || !Number.isSafeInteger(n) || n <= 0 || n > 2_147_483_647)
		throw new DomainError('not-found', 'not-found', 'not found');
	return n;
}

/** The department name in the reader's language. */
export function nameSql(locale: Locale, alias = 'd'): ReturnType<typeof sql.raw> {
	return sql.raw(locale === 'en' ? `${alias}.name_en` : `${alias}.name_zh`);
}

/**
 * Resolves the HR scope and the filters in one query. A department outside the scope is a 404 (its
 * existence is not revealed); an unknown course or competency is a 400.
 */
export async function resolveContext(
	scope: { departmentId: number },
	filters: Filters,
	locale: Locale,
	now = new Date()
): Promise<Context> {
	const wanted = filters.department ?? scope.departmentId;
	const found = await rows<{
		id: number;
		code: string;
		name: string;
		path: string;
		depth: number;
		parent_id: number | null;
		course_ok: boolean;
		competency_ok: boolean;
	}>(
		db,
		sql`select d.id, d.code, ${nameSql(locale)} as name, d.path, d.depth, d.parent_id,
			${filters.course ? sql`exists (select 1 from course where id = ${filters.course})` : sql`true`} as course_ok,
			${filters.competency ? sql`exists (select 1 from competency where id = ${filters.competency})` : sql`true`} as competency_ok
		from department d where d.id in (${scope.departmentId}, ${wanted})`
	);
	const toDept = (r: (typeof found)[number]): Dept => ({
		id: Number(r.id),
		code: r.code,
		name: r.name,
		path: r.path,
		depth: Number(r.depth),
		parentId: r.parent_id === null ? null : Number(r.parent_id)
	});
	const scopeRow = found.find((r) => Number(r.id) === scope.departmentId);
	if (!scopeRow) throw new DomainError('forbidden', 'no-scope', 'no HR scope');
	const rootRow = found.find((r) => Number(r.id) === wanted);
	if (!rootRow || !rootRow.path.startsWith(scopeRow.path)) throw new DomainError('not-found', 'not-found', 'not found');
	if (!rootRow.course_ok) throw new DomainError('invalid', 'unknown-course', 'course: unknown course');
	if (!rootRow.competency_ok) throw new DomainError('invalid', 'unknown-competency', 'competency: unknown competency');
	return { scope: toDept(scopeRow), root: toDept(rootRow), filters, locale, year: now.getFullYear() };
}

/** Escapes LIKE wildcards (paths are digits and slashes, but be exact anyway). */
export function likePrefix(path: string): string {
	return path.replace(/[\\%_]/g, (c) => `\\${c}`) + '%';
}
