/**
 * A link to the current page with some query parameters changed (`null` removes one): pagination,
 * sort headers and filters keep every other parameter the reader chose.
 */
export function withQuery(current: URLSearchParams, changes: Record<string, string | null>): string {
	const params = new URLSearchParams(current);
	for (const [key, value] of Object.entries(changes)) {
		if (value === null) params.delete(key);
		else params.set(key, value);
	}
	return `?${params}`;
}
