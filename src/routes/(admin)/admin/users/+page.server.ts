import { z } from 'zod';
import { requireRole } from '$lib/server/auth/guards';
import * as departments from '$lib/server/admin/departments';
import * as users from '$lib/server/admin/users';
import { ROLES } from '$lib/server/db/schema';
import type { PageServerLoad } from './$types';

const filters = z.object({
	q: z.string().trim().max(100).optional().catch(undefined),
	department: z.coerce.number().int().positive().max(2_147_483_647).optional().catch(undefined),
	subtree: z.literal('1').optional().catch(undefined),
	status: z.enum(['active', 'pending', 'inactive']).optional().catch(undefined),
	role: z.enum(ROLES).optional().catch(undefined),
	page: z.coerce.number().int().positive().max(100_000).optional().catch(undefined)
});

export const load: PageServerLoad = async ({ url }) => {
	requireRole('admin');
	const f = filters.parse(Object.fromEntries(url.searchParams));
	const [result, options] = await Promise.all([
		users.search({ q: f.q, departmentId: f.department, subtree: f.subtree === '1', status: f.status, role: f.role, page: f.page }),
		departments.options()
	]);
	return {
		...result,
		filters: { q: f.q ?? '', department: f.department ?? null, subtree: f.subtree === '1', status: f.status ?? '', role: f.role ?? '' },
		options
	};
};
