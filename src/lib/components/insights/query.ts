// Links between insights pages keep the filters (and nothing else) in the query string.
export const FILTER_KEYS = ['department', 'course', 'competency', 'from', 'to'] as const;

/** The current filters from a URL, as plain strings (empty ones dropped). */
export function filtersOf(url: URL): Record<string, string> {
	const out: Record<string, string> = {};
	for (const key of FILTER_KEYS) {
		const value = url.searchParams.get(key);
		if (value) out[key] = value;
	}
	return out;
}

/** `path?filters&extra` (extra values of null or '' remove a key). */
export function withFilters(
	path: string,
	url: URL,
	extra: Record<string, string | number | null | undefined> = {},
	keep: readonly string[] = FILTER_KEYS
): string {
	const params = new URLSearchParams();
	for (const key of keep) {
		const value = url.searchParams.get(key);
		if (value) params.set(key, value);
	}
	for (const [key, value] of Object.entries(extra)) {
		if (value === null || value === undefined || value === '') params.delete(key);
		else params.set(key, String(value));
	}
	const q = params.toString();
	return q ? `${path}?${q}` : path;
}

/** The `expand` list with one department added or removed. */
export function toggleExpand(url: URL, id: number): string {
	const open = new Set((url.searchParams.get('expand') ?? '').split(',').filter(Boolean).map(Number));
	if (open.has(id)) open.delete(id);
	else open.add(id);
	return [...open].join(',');
}
