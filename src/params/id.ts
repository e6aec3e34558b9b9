import type { ParamMatcher } from '@sveltejs/kit';

/**
 * A database id in a URL: a positive integer that fits Postgres' int4. Anything else (letters, zero,
 * leading zeros, 2^31 and beyond) matches no route, so it is a 404 before any code runs.
 */
export const match = ((param: string): param is string =>
	/^[1-9]\d{0,9}$/.test(param) && Number(param) <= 2_147_483_647) satisfies ParamMatcher;
