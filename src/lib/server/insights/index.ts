// HR insights: completion of required learning, skill gaps, drill-down, remediation, trend, exports.
// Routes import this module as `insights`. Every figure is set-based SQL over the per-person rollups
// (insight_user_course, insight_first_attempt) and the assignment views: the number of queries per
// page is fixed, whatever the size of the organisation.
import { audit } from '../audit';
import { DomainError } from '../errors';
import type { Locale } from '../content';
import { parseFilters, parseId, resolveContext, type Context } from './context';
import { exportResponse, exportTable, VIEWS, type View } from './export';

export { parseFilters, parseId, resolveContext, FILTER_KEYS, type Context, type Dept, type Filters } from './context';
export { filterOptions, visibleTree, type Option, type TreeDept } from './tree';
export { completionMatrix, completionFor, courseColumns, type Counts, type Matrix, type MatrixRow, type CourseColumn } from './completion';
export {
	heatmap,
	largestGaps,
	gapCell,
	masteryFor,
	competencyColumns,
	toMastery,
	MIN_PEOPLE,
	type Heatmap,
	type HeatmapRow,
	type Mastery,
	type Gap,
	type GapCell
} from './skills';
export { overview, DEFAULT_ANNUAL_TARGET, type Overview } from './overview';
export {
	departmentStaff,
	personRecord,
	breadcrumbs,
	PAGE_SIZE,
	type StaffRow,
	type PersonRecord,
	type CourseStatus,
	type PersonStatus
} from './people';
export { weeklyTrend, type Week } from './trend';
export { remediate, type RemediationResult } from './remediation';
export { exportTable, exportResponse, csvStream, xlsxStream, contentDisposition, VIEWS, type View, type Table } from './export';

/** Filters from the URL resolved against the HR scope (404 outside it, 400 for bad filters). */
export function context(
	scope: { departmentId: number },
	url: URL,
	locale: Locale,
	overrides: { department?: number } = {}
): Promise<Context> {
	const filters = parseFilters(url.searchParams);
	return resolveContext(scope, { ...filters, ...overrides }, locale);
}

/** `?expand=1,2,3`: departments whose children a tree report shows. */
export function parseExpand(url: URL): number[] {
	return (url.searchParams.get('expand') ?? '')
		.split(',')
		.map((s) => Number(s))
		.filter((n) => Number.isSafeInteger(n) && n > 0 && n <= 2_147_483_647)
		.slice(0, 200);
}

/**
 * An export download: the view and filters from the URL, resolved against the HR scope (404 outside
 * it, also for a record's person), streamed as CSV or XLSX. The export itself is audited.
 */
export async function download(
	scope: { departmentId: number },
	by: { id: number; username: string },
	url: URL,
	format: 'csv' | 'xlsx',
	locale: Locale
): Promise<Response> {
	const view = url.searchParams.get('view') ?? 'completion';
	if (!(VIEWS as readonly string[]).includes(view)) throw new DomainError('invalid', 'view', `view: one of ${VIEWS.join(', ')}`);
	const ctx = await context(scope, url, locale);
	const person = view === 'record' ? parseId(url.searchParams.get('person')) : undefined;
	const table = await exportTable(ctx, view as View, person);
	if (!table) throw new DomainError('not-found', 'not-found', 'not found');
	await audit({
		action: 'insights.export',
		targetType: view === 'record' ? 'user' : 'department',
		targetId: person ?? ctx.root.id,
		after: { view, format, filters: ctx.filters },
		actor: by
	});
	const now = new Date();
	const today = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
	return exportResponse(table, format, today);
}
